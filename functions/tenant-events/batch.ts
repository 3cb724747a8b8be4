/**
 * The function's SQS batch processing: each record is read once, grouped by tenant, and given
 * the invocation's deadline; the answer is a partial batch response.
 *
 * Records of different groups (tenants) run concurrently, up to a bound; records of one group run
 * strictly in order. When a record must be retried, it and every later record of its group are
 * reported in `batchItemFailures`, so SQS redelivers them in their original order; other groups
 * carry on. https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type ParsedEvent, parseTenantEvent } from '../../shared/domain/envelope.ts';
import { InvalidEventError } from '../../shared/domain/errors.ts';

/** `done`: delete the message (applied, ignored, or dead-lettered). `retry`: leave it to SQS. */
export type RecordVerdict = 'done' | 'retry';

/** A record as read once: its body parsed into an event, or the reason it cannot be. */
export interface ReadRecord {
  readonly messageId: string;
  readonly record: SQSRecord;
  readonly read: ParsedEvent | InvalidEventError;
  /** The tenant the record belongs to, when one can be read even from an invalid body. */
  readonly tenantId: string | undefined;
  /** SQS ApproximateReceiveCount: 1 on first delivery. */
  readonly attempt: number;
}

export const readRecord = (record: SQSRecord): ReadRecord => {
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
  try {
    const read = parseTenantEvent(record.body);
    return { messageId: record.messageId, record, read, tenantId: read.event.tenantId, attempt };
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    return { messageId: record.messageId, record, read: error, tenantId: error.tenantId, attempt };
  }
};

/** The time an invocation gives a record. */
export interface RecordTiming {
  /** Epoch ms after which no call is started (the invocation's end minus a reserve). */
  readonly deadline: number;
  /** Epoch ms when a tenant lease taken for this record lapses (after the invocation's end). */
  readonly leaseExpiresAt: number;
}

/**
 * Time kept back at the end of an invocation so that a record in progress can finish its secret
 * writes, and no record starts that could not: a fifth of the invocation, between 0.2 s and 3 s.
 */
const reserveMs = (remainingMs: number): number => Math.min(3_000, Math.max(200, remainingMs / 5));

/**
 * A tenant lease lapses this long after the invocation's end: by then Lambda has stopped the
 * environment, so a killed invocation holds its tenants only briefly, and clocks of different
 * hosts may disagree by this much without two holders overlapping.
 */
const LEASE_MARGIN_MS = 10_000;

export const timingOf = (remainingMs: number, now: number = Date.now()): RecordTiming => {
  const end = now + remainingMs;
  return { deadline: end - reserveMs(remainingMs), leaseExpiresAt: end + LEASE_MARGIN_MS };
};

export interface BatchOptions<T extends { readonly messageId: string }> {
  readonly groupKey: (item: T) => string;
  readonly processRecord: (item: T) => Promise<RecordVerdict>;
  /** Called instead of `processRecord` for records skipped behind a failed one of their group. */
  readonly onSkipped?: (item: T) => void;
  readonly concurrency: number;
}

export const groupRecords = <T>(records: readonly T[], groupKey: (record: T) => string): T[][] => {
  const groups = new Map<string, T[]>();
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

export const processBatch = async <T extends { readonly messageId: string }>(
  records: readonly T[],
  options: BatchOptions<T>,
): Promise<SQSBatchResponse> => {
  const failed = new Set<string>();
  const runGroup = async (group: readonly T[]): Promise<void> => {
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

export interface TenantEventBatchOptions {
  readonly concurrency: number;
  readonly processRecord: (record: ReadRecord, timing: RecordTiming) => Promise<RecordVerdict>;
  readonly onSkipped: (record: ReadRecord) => void;
  readonly now?: () => number;
}

/** Records are ordered per tenant; a record whose tenant cannot be read is its own group. */
const tenantGroup = (record: ReadRecord): string =>
  record.tenantId === undefined ? `message:${record.messageId}` : `tenant:${record.tenantId}`;

/** One invocation's batch: read once, grouped per tenant, each record within the deadline. */
export const processTenantEventBatch = (
  event: SQSEvent,
  remainingMs: number,
  options: TenantEventBatchOptions,
): Promise<SQSBatchResponse> => {
  const timing = timingOf(remainingMs, (options.now ?? Date.now)());
  return processBatch(event.Records.map(readRecord), {
    groupKey: tenantGroup,
    concurrency: options.concurrency,
    processRecord: (record) => options.processRecord(record, timing),
    onSkipped: options.onSkipped,
  });
};
