/**
 * The EventBridge client the functions publish outcomes with. Region, credentials and endpoint
 * come from the standard AWS configuration (`AWS_REGION`, the credential chain,
 * `AWS_ENDPOINT_URL_EVENTBRIDGE`), which is also how it is pointed at the local stand-in.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { functionClientConfig } from '../aws/client-defaults.ts';

export const createEventBridgeClient = (overrides: EventBridgeClientConfig = {}): EventBridgeClient =>
  new EventBridgeClient({ ...functionClientConfig(), ...overrides });
