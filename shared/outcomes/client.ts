/**
 * The EventBridge client the functions publish outcomes with. Region, credentials and endpoint
 * come from the standard AWS configuration (`AWS_REGION`, the credential chain,
 * `AWS_ENDPOINT_URL_EVENTBRIDGE`), which is also how it is pointed at the local stand-in.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';

/**
 * Short timeouts, as for the other AWS clients: a hung call must fail well inside the invocation,
 * leaving time to hand the record back. Without `throwOnRequestTimeout` the SDK only logs a
 * warning and keeps waiting.
 */
export const EVENTBRIDGE_REQUEST_HANDLER = {
  connectionTimeout: 2_000,
  requestTimeout: 5_000,
  throwOnRequestTimeout: true,
} as const;

/** The SDK's standard retry mode already retries a throttled or failed (5xx) call before we see it. */
export const EVENTBRIDGE_MAX_ATTEMPTS = 3;

export const createEventBridgeClient = (overrides: EventBridgeClientConfig = {}): EventBridgeClient =>
  new EventBridgeClient({
    maxAttempts: EVENTBRIDGE_MAX_ATTEMPTS,
    requestHandler: { ...EVENTBRIDGE_REQUEST_HANDLER },
    ...overrides,
  });
