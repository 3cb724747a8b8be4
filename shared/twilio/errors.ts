/**
 * Errors of the Twilio Accounts client. Each one decides `retryable` when it is built, and says
 * whether Twilio may have applied the request (`mayHaveApplied`) so a non-idempotent create can
 * tell "safe to send again" from "look it up first".
 *
 * Twilio error bodies: https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions
 * Context and messages never hold an auth token or an Authorization header.
 */
import { ProvisionerError } from '../errors.ts';
import type { TwilioOperation } from './operations.ts';

/** How the product routes a failure; also the `kind` of every error below. */
export type TwilioErrorKind =
  | 'input'
  | 'config'
  | 'auth'
  | 'not-found'
  | 'rate-limited'
  | 'api'
  | 'network'
  | 'unexpected-response'
  | 'aborted'
  | 'ambiguous-create';

export abstract class TwilioError extends ProvisionerError {
  abstract readonly kind: TwilioErrorKind;
  /** True when Twilio may have received and applied the request before the failure. */
  readonly mayHaveApplied: boolean = false;
  readonly status: number | undefined = undefined;
  /** Twilio's numeric error code (e.g. 20404), when it sent one. */
  readonly twilioCode: number | undefined = undefined;
  /** How long Twilio asked us to wait before trying again. */
  readonly retryAfterMs: number | undefined = undefined;
}

/** Bad input caught before any request was sent; fixing the input is the only remedy. */
export class TwilioInputError extends TwilioError {
  readonly code = 'TWILIO_INPUT_INVALID';
  readonly kind = 'input';

  constructor(field: string, problem: string) {
    super(`Invalid ${field}: ${problem}`, { retryable: false, context: { field } });
  }
}

/** A configuration value or client option is unusable; names the variable or option. */
export class TwilioConfigError extends TwilioError {
  readonly code = 'TWILIO_CONFIG_INVALID';
  readonly kind = 'config';

  constructor(setting: string, problem: string) {
    super(`${setting} ${problem}`, { retryable: false, context: { setting } });
  }
}

export interface TwilioApiErrorDetails {
  readonly operation: TwilioOperation;
  readonly status: number;
  readonly twilioCode?: number;
  readonly twilioMessage: string;
  readonly moreInfo?: string;
  readonly retryAfterMs?: number;
  readonly retryable: boolean;
}

/** Twilio answered with a non-2xx status. */
export class TwilioApiError extends TwilioError {
  readonly code: string = 'TWILIO_API_ERROR';
  readonly kind: TwilioErrorKind = 'api';
  override readonly status: number;
  override readonly twilioCode: number | undefined;
  override readonly retryAfterMs: number | undefined;
  /** Twilio's own explanation of the error, e.g. https://www.twilio.com/docs/errors/20404 */
  readonly moreInfo: string | undefined;
  /** A 5xx may come after Twilio applied the change; a 4xx means it was refused. */
  override readonly mayHaveApplied: boolean;

  constructor(details: TwilioApiErrorDetails) {
    const codePart = details.twilioCode === undefined ? '' : ` (Twilio code ${details.twilioCode})`;
    super(
      `Twilio ${details.operation} failed with HTTP ${details.status}${codePart}: ${details.twilioMessage}`,
      {
        retryable: details.retryable,
        context: {
          operation: details.operation,
          status: details.status,
          twilioCode: details.twilioCode,
          moreInfo: details.moreInfo,
          retryAfterMs: details.retryAfterMs,
        },
      },
    );
    this.status = details.status;
    this.twilioCode = details.twilioCode;
    this.moreInfo = details.moreInfo;
    this.retryAfterMs = details.retryAfterMs;
    this.mayHaveApplied = details.status >= 500;
  }
}

/** 401 (Twilio code 20003): the credentials were refused. */
export class TwilioAuthError extends TwilioApiError {
  override readonly code = 'TWILIO_AUTH_FAILED';
  override readonly kind = 'auth';
}

/** 404 (Twilio code 20404): no such account, or not one the credentials may see. */
export class TwilioNotFoundError extends TwilioApiError {
  override readonly code = 'TWILIO_NOT_FOUND';
  override readonly kind = 'not-found';
}

/** 429 (Twilio code 20429): Twilio did not apply the request and asks us to slow down. */
export class TwilioRateLimitError extends TwilioApiError {
  override readonly code = 'TWILIO_RATE_LIMITED';
  override readonly kind = 'rate-limited';
}

export interface TwilioNetworkErrorDetails {
  readonly operation: TwilioOperation;
  /** The socket or undici error code, e.g. ECONNRESET or UND_ERR_HEADERS_TIMEOUT. */
  readonly errorCode: string;
  /** `connect` when the request never left this process. */
  readonly phase: 'connect' | 'exchange';
  readonly retryable: boolean;
  readonly cause: unknown;
}

/** The connection failed or timed out: no complete answer from Twilio. */
export class TwilioNetworkError extends TwilioError {
  readonly code = 'TWILIO_NETWORK_ERROR';
  readonly kind = 'network';
  readonly errorCode: string;
  readonly phase: 'connect' | 'exchange';
  override readonly mayHaveApplied: boolean;

  constructor(details: TwilioNetworkErrorDetails) {
    super(`Twilio ${details.operation} failed: ${details.errorCode} during ${details.phase}`, {
      retryable: details.retryable,
      cause: details.cause,
      context: { operation: details.operation, errorCode: details.errorCode, phase: details.phase },
    });
    this.errorCode = details.errorCode;
    this.phase = details.phase;
    this.mayHaveApplied = details.phase === 'exchange';
  }
}

/** A 2xx answer whose body is not what the Accounts API documents. Retrying would read the same. */
export class TwilioUnexpectedResponseError extends TwilioError {
  readonly code = 'TWILIO_UNEXPECTED_RESPONSE';
  readonly kind = 'unexpected-response';
  override readonly mayHaveApplied = true;
  override readonly status: number;

  constructor(operation: TwilioOperation, status: number, problem: string) {
    super(`Twilio ${operation} answered HTTP ${status} with an unexpected body: ${problem}`, {
      retryable: false,
      context: { operation, status },
    });
    this.status = status;
  }
}

/**
 * The call was stopped by the caller's deadline or abort signal. Retryable: the work is not done
 * and the message can be handed back to the queue.
 */
export class TwilioCallAbortedError extends TwilioError {
  readonly code = 'TWILIO_CALL_ABORTED';
  readonly kind = 'aborted';
  readonly reason: 'deadline' | 'signal';
  override readonly mayHaveApplied: boolean;

  constructor(operation: TwilioOperation, reason: 'deadline' | 'signal', inFlight: boolean, cause?: unknown) {
    const when = inFlight ? 'while a request was in flight' : 'before a request was sent';
    super(`Twilio ${operation} stopped by the caller's ${reason} ${when}`, {
      retryable: true,
      cause,
      context: { operation, reason, inFlight },
    });
    this.reason = reason;
    this.mayHaveApplied = inFlight;
  }
}

/**
 * A create that Twilio may or may not have applied (timeout, reset or 5xx after the request was
 * sent). Creating again could make a second subaccount: look it up by FriendlyName first.
 */
export class TwilioAmbiguousCreateError extends TwilioError {
  readonly code = 'TWILIO_CREATE_AMBIGUOUS';
  readonly kind = 'ambiguous-create';
  readonly ambiguous = true;
  override readonly mayHaveApplied = true;
  override readonly status: number | undefined;
  override readonly twilioCode: number | undefined;
  readonly friendlyName: string | undefined;

  constructor(friendlyName: string | undefined, cause: TwilioError) {
    super(`Twilio create may or may not have been applied (${cause.message}); look it up by FriendlyName`, {
      retryable: true,
      cause,
      context: { operation: 'create', friendlyName, causeCode: cause.code },
    });
    this.friendlyName = friendlyName;
    this.status = cause.status;
    this.twilioCode = cause.twilioCode;
  }
}
