/**
 * How one invocation ended, from the event source mapping's point of view:
 * - `success`: every record is deleted;
 * - `partial`: the records named in `batchItemFailures` stay for redelivery, the rest are deleted;
 * - `error`: the handler threw, rejected, returned an invalid response, could not start or its
 *   environment died; nothing is deleted;
 * - `timeout`: the invocation outlived the function timeout; nothing is deleted.
 */
export type InvocationOutcome = 'success' | 'partial' | 'error' | 'timeout';

export interface InvocationReport {
  requestId: string;
  /** Index of the concurrency slot (execution environment) that ran it. */
  slot: number;
  coldStart: boolean;
  outcome: InvocationOutcome;
  messageIds: string[];
  succeededMessageIds: string[];
  failedMessageIds: string[];
  /** Type and message of the failure for `error` and `timeout` outcomes. */
  error?: { type: string; message: string };
  durationMs: number;
}

/**
 * Running totals. `records`, `succeeded` and `failed` count records (succeeded = deleted);
 * `invocations`, `timedOut`, `batchFailures` (whole batch failed: `error` or `timeout`) and
 * `coldStarts` count invocations. `inFlight` is a gauge, not a total: records received and not yet
 * settled (being handled, or waiting for their environment's cold start).
 */
export interface RunnerStats {
  inFlight: number;
  invocations: number;
  records: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  batchFailures: number;
  coldStarts: number;
}

export const createStats = (): RunnerStats => ({
  inFlight: 0,
  invocations: 0,
  records: 0,
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  batchFailures: 0,
  coldStarts: 0,
});

export const recordInvocation = (stats: RunnerStats, report: InvocationReport): void => {
  stats.invocations += 1;
  stats.records += report.messageIds.length;
  stats.succeeded += report.succeededMessageIds.length;
  stats.failed += report.failedMessageIds.length;
  if (report.outcome === 'timeout') stats.timedOut += 1;
  if (report.outcome === 'error' || report.outcome === 'timeout') stats.batchFailures += 1;
  if (report.coldStart) stats.coldStarts += 1;
};
