/**
 * Public API of the Twilio client (Accounts, Keys, Balance) and its two gateways.
 *
 * Of client.ts only `createTwilioAccountsClient` is a value re-exported here, and nothing of
 * transport.ts: the benchmark swaps client.ts for its `twilio`-library variant at bundle time,
 * and its bundle must then carry no undici.
 */
export { createTwilioAccountsClient, type TwilioAccountsClientOptions } from './client.ts';
export {
  classifyTwilioError,
  parseRetryAfterMs,
  TwilioAmbiguousCreateError,
  TwilioApiError,
  TwilioAuthError,
  TwilioCallAbortedError,
  TwilioConfigError,
  type TwilioCreateOperation,
  TwilioError,
  type TwilioErrorClassification,
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
export {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type RetryDecision,
  type RetryPolicy,
  resolveRetryPolicy,
} from './retry-policy.ts';
export { createTwilioApiKeyGateway, createTwilioSubaccountGateway } from './subaccount-gateway.ts';
export type { TwilioTimeouts } from './transport.ts';
export * from './types.ts';
export { DEFAULT_TWILIO_BASE_URL, readTwilioBaseUrl, validateTwilioBaseUrl } from './wire.ts';
