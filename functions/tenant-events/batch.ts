/**
 * Partial-batch processing for an SQS FIFO event source.
 *
 * Records of different groups (tenants) run concurrently, up to a bound; records of one group run
 * strictly in order. When a record must be retried, it and every later record of its group are
 * reported in `batchItemFailures`, so SQS redelivers them in their original order; other groups
 * carry on. https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

/** `done`: delete the message (applied, ignored, or dead-lettered). `retry`: leave it to SQS. */
export type RecordVerdict = 'done' | 'retry';

export interface BatchOptions {
  readonly groupKey: (record: SQSRecord) => string;
  readonly processRecord: (record: SQSRecord) => Promise<RecordVerdict>;
  /** Called instead of `processRecord` for records skipped behind a failed one of their group. */
  readonly onSkipped?: (record: SQSRecord) => void;
  readonly concurrency: number;
}

export const groupRecords = (
  records: readonly SQSRecord[],
  groupKey: (record: SQSRecord) => string,
): SQSRecord[][] => {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const key = groupKey(record);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [record]);
    else group.push(record);
  }
  return [...groups.values()];
};

/** Runs `tasks` with at most `limit` in flight, in order of the array. */
export const runBounded = async (tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
};

export const processBatch = async (
  records: readonly SQSRecord[],
  options: BatchOptions,
): Promise<SQSBatchResponse> => {
  const failed = new Set<string>();
  const runGroup = async (group: readonly SQSRecord[]): Promise<void> => {
    let blocked = false;
    for (const record of group) {
      if (blocked) {
        options.onSkipped?.(record);
        failed.add(record.messageId);
        continue;
      }
      // A rejection here is a bug in processRecord; it still only costs this group a redelivery.
      const verdict = await options.processRecord(record).catch((): RecordVerdict => 'retry');
      if (verdict === 'retry') {
        blocked = true;
        failed.add(record.messageId);
      }
    }
  };
  await runBounded(
    groupRecords(records, options.groupKey).map((group) => () => runGroup(group)),
    options.concurrency,
  );
  // Reported in the batch's order, which is also each group's order.
  return {
    batchItemFailures: records
      .filter((record) => failed.has(record.messageId))
      .map((record) => ({ itemIdentifier: record.messageId })),
  };
};
