/** Public API of the Twilio Accounts client. */
export { DEFAULT_TWILIO_BASE_URL, readTwilioBaseUrl, validateTwilioBaseUrl } from './base-url.ts';
export { classifyTwilioError, type TwilioErrorClassification } from './classify.ts';
export { createTwilioAccountsClient } from './client.ts';
export type { TwilioAccountsClientOptions } from './client-options.ts';
export {
  TwilioAmbiguousCreateError,
  TwilioApiError,
  TwilioAuthError,
  TwilioCallAbortedError,
  TwilioConfigError,
  TwilioError,
  type TwilioErrorKind,
  TwilioInputError,
  TwilioMainAccountSuspendedError,
  TwilioNetworkError,
  TwilioNotFoundError,
  TwilioParentIsSubaccountError,
  TwilioRateLimitError,
  TwilioSubaccountClosedError,
  TwilioSubaccountLimitError,
  TwilioSubaccountSuspendedByTwilioError,
  TwilioUnexpectedResponseError,
} from './errors.ts';
export type { TwilioOperation } from './operations.ts';
export { parseRetryAfterMs } from './retry-after.ts';
export {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type RetryDecision,
  type RetryPolicy,
  resolveRetryPolicy,
} from './retry-policy.ts';
export { DEFAULT_TIMEOUTS, type TwilioTimeouts } from './transport.ts';
export * from './types.ts';
