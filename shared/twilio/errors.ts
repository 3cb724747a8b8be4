/**
 * Errors of the Twilio client (Accounts, Keys, Balance), how an answer or a thrown error becomes
 * one, and how any error is classified for routing and metrics. Each error decides `retryable`
 * when it is built, and says whether Twilio may have applied the request (`mayHaveApplied`) so a
 * non-idempotent create can tell "safe to send again" from "look it up first".
 *
 * Twilio error bodies: https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions
 * Context and messages never hold an auth token or an Authorization header.
 */
import { isRetryable, ProvisionerError } from '../errors.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { TwilioAnswer, TwilioOperation } from './types.ts';

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
  /**
   * True for a retryable failure that another attempt within the same call cannot clear (an
   * account-wide block): it is left to a later delivery instead of the call's own retries.
   */
  readonly retryLater: boolean = false;
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
  /**
   * The account the request was about (the `{Sid}` of a fetch or update, the `{AccountSid}` of a
   * Keys or Balance request), named in messages.
   */
  readonly accountSid?: string;
  /** The key the request was about (a key fetch or delete). */
  readonly keySid?: string;
}

/** Twilio answered with a non-2xx status. */
export class TwilioApiError extends TwilioError {
  readonly code: string = 'TWILIO_API_ERROR';
  readonly kind: TwilioErrorKind = 'api';
  override readonly status: number;
  override readonly twilioCode: number | undefined;
  override readonly retryAfterMs: number | undefined;
  /** Twilio's own explanation of the error, e.g. https://www.twilio.com/docs/api/errors/20404 */
  readonly moreInfo: string | undefined;
  /** A 5xx may come after Twilio applied the change; a 4xx means it was refused. */
  override readonly mayHaveApplied: boolean;
  /** What the error was built from (no secret is ever among them), to explain it again. */
  readonly details: TwilioApiErrorDetails;

  /** `summary`, when given, says what the refusal means and leads the message (the DLQ reason). */
  constructor(details: TwilioApiErrorDetails, summary?: string) {
    const codePart = details.twilioCode === undefined ? '' : ` (Twilio code ${details.twilioCode})`;
    const failure = `Twilio ${details.operation} failed with HTTP ${details.status}${codePart}: ${details.twilioMessage}`;
    super(summary === undefined ? failure : `${summary}. ${failure}`, {
      retryable: details.retryable,
      context: {
        operation: details.operation,
        status: details.status,
        twilioCode: details.twilioCode,
        moreInfo: details.moreInfo,
        retryAfterMs: details.retryAfterMs,
        accountSid: details.accountSid,
        keySid: details.keySid,
      },
    });
    this.details = Object.freeze({ ...details });
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

/**
 * The last 401 of a call made with parent credentials that are an API key, on the Accounts or
 * Keys resource. Twilio answers a Standard key there with the same 401 / 20003 as a wrong key
 * (errors.md: a Standard key has access to everything of its account except Accounts and Keys),
 * so the message says both, and what the parent credentials must be. Names the key's SID (its
 * Basic-auth user, not a secret); never its secret.
 */
export const parentApiKeyRefusal = (refusal: TwilioApiError, apiKeySid: string): TwilioAuthError =>
  new TwilioAuthError(
    { ...refusal.details, retryable: false },
    `Twilio refused the parent credentials, API key ${apiKeySid}: they must be the main account's auth token or a Main API key, because a Standard key cannot create, update or list subaccounts or manage their keys (or the key is wrong or was deleted)`,
  );

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

/*
 * Refusals for which Twilio documents a code of its own (errors.md beside the checkout; each
 * class links its page). The code, not the status, decides the class (apiErrorFromAnswer), and each
 * class fixes its `retryable` here: no setting can make these refusals pass on a retry.
 */

const subaccountOf = (details: TwilioApiErrorDetails): string =>
  details.accountSid === undefined ? 'The subaccount' : `Subaccount ${details.accountSid}`;

/**
 * 21479 (https://www.twilio.com/docs/api/errors/21479): a status change of a closed subaccount;
 * closed is irreversible. The subaccount gateway turns it into the closed subaccount itself.
 */
export class TwilioSubaccountClosedError extends TwilioApiError {
  override readonly code = 'SUBACCOUNT_CLOSED';

  constructor(details: TwilioApiErrorDetails) {
    super(
      { ...details, retryable: false },
      `${subaccountOf(details)} is closed, and a closed subaccount can never change status again`,
    );
  }
}

/**
 * 21478 (https://www.twilio.com/docs/api/errors/21478): Twilio itself suspended the subaccount
 * (policy, fraud); only Twilio support can change its status.
 */
export class TwilioSubaccountSuspendedByTwilioError extends TwilioApiError {
  override readonly code = 'SUBACCOUNT_SUSPENDED_BY_TWILIO';

  constructor(details: TwilioApiErrorDetails) {
    super(
      { ...details, retryable: false },
      `${subaccountOf(details)} was suspended by Twilio itself (e.g. after a policy or fraud review); only Twilio support can change its status`,
    );
  }
}

/**
 * The main account is suspended, so Twilio refuses what this service asks of it:
 * 21476 (https://www.twilio.com/docs/api/errors/21476) for a subaccount's Status change, and
 * 10001 (https://www.twilio.com/docs/api/errors/10001) or 20005
 * (https://www.twilio.com/docs/api/errors/20005) for any request made with a suspended, not active
 * account's credentials. Nothing about one tenant can fix it, so it is retryable: the work waits
 * for the account to be restored. Not within the call, though: seconds will not restore it.
 */
export class TwilioMainAccountSuspendedError extends TwilioApiError {
  override readonly code = 'MAIN_ACCOUNT_SUSPENDED';
  override readonly retryLater = true;

  constructor(details: TwilioApiErrorDetails) {
    super(
      { ...details, retryable: true },
      'The main Twilio account is suspended (not in good standing): Twilio refuses to change its subaccounts until the account is restored, which no tenant event can fix',
    );
  }
}

/**
 * 21480 (https://www.twilio.com/docs/api/errors/21480): the main account has as many subaccounts
 * as it may (1,000 by default on a full account; closed ones don't count).
 */
export class TwilioSubaccountLimitError extends TwilioApiError {
  override readonly code = 'SUBACCOUNT_LIMIT_REACHED';

  constructor(details: TwilioApiErrorDetails) {
    super(
      { ...details, retryable: false },
      'The main Twilio account has reached its maximum number of subaccounts (closed ones do not count); close unused subaccounts or ask Twilio to raise the limit',
    );
  }
}

/**
 * 21101 (https://www.twilio.com/docs/api/errors/21101): the credentials used to create a
 * subaccount are a subaccount's, and subaccounts cannot contain subaccounts.
 */
export class TwilioParentIsSubaccountError extends TwilioApiError {
  override readonly code = 'PARENT_IS_SUBACCOUNT';

  constructor(details: TwilioApiErrorDetails) {
    super(
      { ...details, retryable: false },
      "The parent credentials belong to a subaccount, not to a main account, and subaccounts cannot contain subaccounts; configure the main account's credentials",
    );
  }
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

/** A 2xx answer whose body is not what Twilio's API documents. Retrying would read the same. */
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

/** The creates Twilio offers no idempotency key for. */
export type TwilioCreateOperation = Extract<TwilioOperation, 'create' | 'key-create'>;

/** What an ambiguous create was: a subaccount's (the default) or an API key of `accountSid`. */
export interface AmbiguousCreateTarget {
  readonly operation: TwilioCreateOperation;
  /** The account the key was being created on, for a key create. */
  readonly accountSid?: string;
}

const ambiguityMessage = (target: AmbiguousCreateTarget, cause: TwilioError): string =>
  target.operation === 'create'
    ? `Twilio create may or may not have been applied (${cause.message}); look it up by FriendlyName`
    : `Twilio key-create on account ${target.accountSid ?? '(unknown)'} may or may not have been applied (${cause.message}); its secret is lost either way: look the key up by FriendlyName and delete it`;

/**
 * A create that Twilio may or may not have applied (timeout, reset or 5xx after the request was
 * sent). Creating again could make a second subaccount or key: look it up by FriendlyName first.
 */
export class TwilioAmbiguousCreateError extends TwilioError {
  readonly code = 'TWILIO_CREATE_AMBIGUOUS';
  readonly kind = 'ambiguous-create';
  readonly ambiguous = true;
  override readonly mayHaveApplied = true;
  override readonly status: number | undefined;
  override readonly twilioCode: number | undefined;
  readonly friendlyName: string | undefined;
  readonly operation: TwilioCreateOperation;
  /** The account of a key create; `undefined` for a subaccount create. */
  readonly accountSid: string | undefined;

  constructor(
    friendlyName: string | undefined,
    cause: TwilioError,
    target: AmbiguousCreateTarget = { operation: 'create' },
  ) {
    super(ambiguityMessage(target, cause), {
      retryable: true,
      cause,
      context: {
        operation: target.operation,
        friendlyName,
        accountSid: target.accountSid,
        causeCode: cause.code,
      },
    });
    this.friendlyName = friendlyName;
    this.operation = target.operation;
    this.accountSid = target.accountSid;
    this.status = cause.status;
    this.twilioCode = cause.twilioCode;
  }
}

/*
 * From what a request produced, a non-2xx answer or a thrown socket error, to its typed error.
 * The `retryable` decision comes from the retry policy's lists, once, here.
 */

const DELAY_SECONDS = /^\d+$/;
// All three HTTP-date forms start with a day name; Date.parse alone would take "-1" for a year.
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/**
 * `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3,
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after). Anything else is ignored.
 */
export const parseRetryAfterMs = (value: string | string[] | undefined, now: number): number | undefined => {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  if (DELAY_SECONDS.test(raw)) return Number(raw) * 1000;
  const at = HTTP_DATE.test(raw) ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

/** Twilio's code for "Too Many Requests"; it may come with a status other than 429. */
const TWILIO_RATE_LIMIT_CODE = 20429;

type ApiErrorClass = new (details: TwilioApiErrorDetails) => TwilioApiError;

/**
 * Twilio codes that say exactly what happened: they decide the class whatever the status, as
 * Twilio's error reference asks ("a client should decide on the code, not on the status alone").
 */
const API_ERROR_BY_TWILIO_CODE: Readonly<Record<number, ApiErrorClass>> = {
  [TWILIO_RATE_LIMIT_CODE]: TwilioRateLimitError,
  10001: TwilioMainAccountSuspendedError,
  20005: TwilioMainAccountSuspendedError,
  21101: TwilioParentIsSubaccountError,
  21476: TwilioMainAccountSuspendedError,
  21478: TwilioSubaccountSuspendedByTwilioError,
  21479: TwilioSubaccountClosedError,
  21480: TwilioSubaccountLimitError,
};

/** Without a code of the list above, the status decides. */
const API_ERROR_BY_STATUS: Readonly<Record<number, ApiErrorClass>> = {
  401: TwilioAuthError,
  404: TwilioNotFoundError,
  429: TwilioRateLimitError,
};

/**
 * Failures raised before the request left this process: the connection was never established,
 * so even a create can be sent again.
 */
const CONNECT_PHASE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

interface TwilioErrorBody {
  readonly code?: number;
  readonly message?: string;
  readonly moreInfo?: string;
}

/** Twilio errors are JSON `{ code, message, more_info, status }`; proxies may answer HTML or nothing. */
const readErrorBody = (body: string): TwilioErrorBody => {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json !== 'object' || json === null) return {};
    const { code, message, more_info } = json as Record<string, unknown>;
    return {
      code: typeof code === 'number' && Number.isInteger(code) ? code : undefined,
      message: typeof message === 'string' ? message : undefined,
      moreInfo: typeof more_info === 'string' ? more_info : undefined,
    };
  } catch {
    return {};
  }
};

export const apiErrorFromAnswer = (
  answer: TwilioAnswer,
  policy: RetryPolicy,
  now: number,
): TwilioApiError => {
  const parsed = readErrorBody(answer.body);
  const rateLimited = parsed.code === TWILIO_RATE_LIMIT_CODE;
  const ErrorClass =
    (parsed.code === undefined ? undefined : API_ERROR_BY_TWILIO_CODE[parsed.code]) ??
    API_ERROR_BY_STATUS[answer.status] ??
    TwilioApiError;
  // Classes of a documented refusal fix their own `retryable`; this is the others' decision.
  return new ErrorClass({
    operation: answer.operation,
    accountSid: answer.accountSid,
    keySid: answer.keySid,
    status: answer.status,
    twilioCode: parsed.code,
    twilioMessage: parsed.message ?? 'no Twilio error body',
    moreInfo: parsed.moreInfo,
    retryAfterMs: parseRetryAfterMs(answer.headers['retry-after'], now),
    retryable: rateLimited || policy.retryableStatuses.includes(answer.status),
  });
};

/** The first `code` along the error, its causes and (for dual-stack connects) its aggregated errors. */
const findErrorCode = (error: unknown, depth = 0): string | undefined => {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  const nested = Array.isArray(errors) ? [cause, ...errors] : [cause];
  for (const inner of nested) {
    const found = findErrorCode(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
};

export const networkErrorFromThrown = (
  operation: TwilioOperation,
  thrown: unknown,
  policy: RetryPolicy,
): TwilioNetworkError => {
  const errorCode = findErrorCode(thrown) ?? 'UNKNOWN';
  return new TwilioNetworkError({
    operation,
    errorCode,
    phase: CONNECT_PHASE_CODES.has(errorCode) ? 'connect' : 'exchange',
    retryable: policy.retryableErrorCodes.includes(errorCode),
    cause: thrown,
  });
};

/**
 * One look at any error for routing and metrics: is it worth handing back to the queue, is it an
 * ambiguous create, and which code goes on the `TwilioError` metric's `twilioErrorCode` dimension.
 */
export interface TwilioErrorClassification {
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  readonly kind: TwilioErrorKind | 'unknown';
  readonly status: number | undefined;
  readonly twilioCode: number | undefined;
  /** Twilio's code (e.g. "20404"), else "HTTP_<status>", else the socket or error code. */
  readonly metricCode: string;
}

const metricCodeOf = (error: TwilioError): string => {
  if (error.twilioCode !== undefined) return String(error.twilioCode);
  if (error.status !== undefined) return `HTTP_${error.status}`;
  return error instanceof TwilioNetworkError ? error.errorCode : error.code;
};

export const classifyTwilioError = (error: unknown): TwilioErrorClassification => {
  if (!(error instanceof TwilioError)) {
    return {
      retryable: isRetryable(error),
      ambiguous: false,
      kind: 'unknown',
      status: undefined,
      twilioCode: undefined,
      metricCode: 'UNKNOWN',
    };
  }
  return {
    retryable: error.retryable,
    ambiguous: error.kind === 'ambiguous-create',
    kind: error.kind,
    status: error.status,
    twilioCode: error.twilioCode,
    metricCode: metricCodeOf(error),
  };
};
