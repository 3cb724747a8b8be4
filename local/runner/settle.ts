import type { SQSRecord } from 'aws-lambda';
import { settleBatch } from './batch-response.ts';
import type { HandlerOutcome } from './execution/index.ts';
import type { InvocationOutcome } from './report.ts';

export interface Settlement {
  outcome: InvocationOutcome;
  succeeded: SQSRecord[];
  failed: SQSRecord[];
  error?: { type: string; message: string };
}

/** Decides which records of an invocation are done (deleted) and which stay for redelivery. */
export const settleInvocation = (records: SQSRecord[], handled: HandlerOutcome): Settlement => {
  if (handled.status === 'timedOut') return wholeBatchFailed('timeout', records, handled.error);
  if (handled.status === 'failed') return wholeBatchFailed('error', records, handled.error);
  try {
    const { succeeded, failed } = settleBatch(records, handled.value);
    return { outcome: failed.length === 0 ? 'success' : 'partial', succeeded, failed };
  } catch (error) {
    return wholeBatchFailed('error', records, error);
  }
};

const wholeBatchFailed = (
  outcome: 'error' | 'timeout',
  records: SQSRecord[],
  error: unknown,
): Settlement => ({
  outcome,
  succeeded: [],
  failed: records,
  error: describeError(error),
});

const describeError = (error: unknown): { type: string; message: string } => {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const errorType = (error as { errorType?: unknown }).errorType;
  return { type: typeof errorType === 'string' ? errorType : error.name, message: error.message };
};
