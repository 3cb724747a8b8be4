import { ProvisionerError } from '../errors.ts';

/** One entry EventBridge did not accept: where it was in the call and EventBridge's code, nothing more. */
export interface FailedOutcomeEntry {
  /** Position in the list given to `publish`. */
  readonly index: number;
  /** The outcome's type (its DetailType). */
  readonly type: string;
  /** `Entries[i].ErrorCode` (e.g. ThrottlingException), or the failed call's error name. */
  readonly errorCode: string;
}

const summary = (failed: readonly FailedOutcomeEntry[]): string => {
  const counts = new Map<string, number>();
  for (const { errorCode } of failed) counts.set(errorCode, (counts.get(errorCode) ?? 0) + 1);
  return [...counts].map(([code, count]) => (count === 1 ? code : `${code} x${count}`)).join(', ');
};

/**
 * Outcomes were not (all) published: EventBridge refused entries, or the PutEvents call failed.
 * Always retryable: the input must not be acknowledged, and its redelivery publishes again
 * (consumers deduplicate on causingEventId + type). The message and context name the failed
 * entries' error codes, never an entry's Detail nor EventBridge's ErrorMessage.
 */
export class OutcomePublishError extends ProvisionerError {
  readonly code = 'OUTCOME_PUBLISH_FAILED';
  readonly failed: readonly FailedOutcomeEntry[];

  constructor(failed: readonly FailedOutcomeEntry[], total: number, options: { cause?: unknown } = {}) {
    super(`EventBridge did not accept ${failed.length} of ${total} outcome events: ${summary(failed)}`, {
      retryable: true,
      cause: options.cause,
      context: {
        failedEntryCount: failed.length,
        outcomeCount: total,
        errorCodes: [...new Set(failed.map((entry) => entry.errorCode))],
      },
    });
    this.failed = Object.freeze(failed.map((entry) => Object.freeze({ ...entry })));
  }
}

export { InvalidOutcomeError } from '../domain/outcome-event.ts';
