/** Outcome events on EventBridge: the adapter of the OutcomePublisher port (shared/domain/outcome-event.ts). */
export { createEventBridgeClient } from './client.ts';
export { type FailedOutcomeEntry, InvalidOutcomeError, OutcomePublishError } from './errors.ts';
export {
  createEventBridgeOutcomePublisher,
  type EventBridgeOutcomePublisherOptions,
  outcomeDetail,
  outcomeEntry,
  PUT_EVENTS_MAX_ENTRIES,
  PUT_EVENTS_MAX_REQUEST_BYTES,
  putEventsEntrySize,
  RETRYABLE_ENTRY_ERROR_CODES,
} from './eventbridge-publisher.ts';
export { OUTCOME_SCHEMA_ID, outcomeEventJsonSchema } from './json-schema.ts';
