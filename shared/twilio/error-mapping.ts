/**
 * Builds typed errors from what a request produced: a non-2xx answer or a thrown socket error.
 * The `retryable` decision comes from the retry policy's lists, once, here.
 */
import {
  TwilioApiError,
  type TwilioApiErrorDetails,
  TwilioAuthError,
  TwilioMainAccountSuspendedError,
  TwilioNetworkError,
  TwilioNotFoundError,
  TwilioParentIsSubaccountError,
  TwilioRateLimitError,
  TwilioSubaccountClosedError,
  TwilioSubaccountLimitError,
  TwilioSubaccountSuspendedByTwilioError,
} from './errors.ts';
import type { TwilioOperation } from './operations.ts';
import { parseRetryAfterMs } from './retry-after.ts';
import type { RetryPolicy } from './retry-policy.ts';

/** Twilio's code for "Too Many Requests"; it may come with a status other than 429. */
export const TWILIO_RATE_LIMIT_CODE = 20429;

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

export interface ErrorAnswer {
  readonly operation: TwilioOperation;
  /** The `{Sid}` the request was about, if any. */
  readonly accountSid?: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export const apiErrorFromAnswer = (answer: ErrorAnswer, policy: RetryPolicy, now: number): TwilioApiError => {
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
    status: answer.status,
    twilioCode: parsed.code,
    twilioMessage: parsed.message ?? 'no Twilio error body',
    moreInfo: parsed.moreInfo,
    retryAfterMs: parseRetryAfterMs(answer.headers['retry-after'], now),
    retryable: rateLimited || policy.retryableStatuses.includes(answer.status),
  });
};

/** The first `code` along the error, its causes and (for dual-stack connects) its aggregated errors. */
export const findErrorCode = (error: unknown, depth = 0): string | undefined => {
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
