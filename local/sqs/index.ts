export { DEFAULT_LOCAL_REGION, LOCAL_AWS_CREDENTIALS } from './credentials.ts';
export { LocalSqsStartError, QueueTopologyError, QueueTopologyOptionError } from './errors.ts';
export { type LocalSqs, type LocalSqsOptions, startLocalSqs } from './fauxqs-server.ts';
export { sendTenantEvent, type TenantEventMessage } from './producer.ts';
export { createLocalSqsClient } from './sqs-client.ts';
export {
  createQueueTopology,
  type QueueTopology,
  type QueueTopologyOptions,
  resolveTopologyOptions,
  TENANT_EVENTS_DLQ_NAME,
  TENANT_EVENTS_QUEUE_NAME,
} from './topology.ts';
