/**
 * What every AWS SDK client of the functions is built with. No SDK import here, so each client
 * module (and the bundle of a function that does not use it) pulls in only its own SDK package.
 */

/**
 * Short timeouts: a hung call must fail well inside the invocation, leaving time to hand the
 * record back. Without `throwOnRequestTimeout` the SDK only logs a warning and keeps waiting.
 */
export const REQUEST_HANDLER = Object.freeze({
  connectionTimeout: 2_000,
  requestTimeout: 5_000,
  throwOnRequestTimeout: true,
});

/** The SDK's standard retry mode retries a throttled or failed (5xx) call before we see it. */
export const MAX_ATTEMPTS = 3;

/**
 * The configuration every function client starts from. `cacheMiddleware` resolves each command's
 * middleware stack once per client instead of on every `send`: the functions never add middleware
 * after building a client and never pass per-call options, which is what the cache requires, and
 * it takes about a tenth of the CPU of each warm call (docs/performance.md).
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-smithy-smithy-client/Interface/SmithyConfiguration/
 */
export const functionClientConfig = () => ({
  maxAttempts: MAX_ATTEMPTS,
  requestHandler: { ...REQUEST_HANDLER },
  cacheMiddleware: true,
});
