import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  groupRecords,
  processBatch,
  processTenantEventBatch,
  type RecordVerdict,
  runBounded,
  timingOf,
} from '../../../../functions/tenant-events/batch.ts';
import { sqsRecord } from '../../../helpers/sqs-records.ts';

const byGroup = (record: SQSRecord) => record.attributes.MessageGroupId!;

describe('processBatch', () => {
  it('runs one group in order and reports a retry plus every later record of its group', async () => {
    const seen: string[] = [];
    const records = ['a1', 'b1', 'a2', 'b2', 'a3'].map((body) => sqsRecord(body, { groupId: body[0] }));
    const skipped: string[] = [];
    const result = await processBatch(records, {
      groupKey: byGroup,
      concurrency: 4,
      onSkipped: (record) => skipped.push(record.body),
      processRecord: async (record): Promise<RecordVerdict> => {
        seen.push(record.body);
        return record.body === 'a2' ? 'retry' : 'done';
      },
    });
    expect(seen.filter((body) => body.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(seen.filter((body) => body.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(skipped).toEqual(['a3']);
    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      records[2]!.messageId,
      records[4]!.messageId,
    ]);
  });

  it('runs different groups concurrently, up to the bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const records = ['a', 'b', 'c', 'd', 'e'].map((group) => sqsRecord(group, { groupId: group }));
    const done = processBatch(records, {
      groupKey: byGroup,
      concurrency: 3,
      processRecord: () =>
        new Promise<RecordVerdict>((resolve) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          release.push(() => {
            inFlight -= 1;
            resolve('done');
          });
        }),
    });
    while (release.length < 3) await new Promise((resolve) => setImmediate(resolve));
    expect(inFlight).toBe(3);
    while (release.length > 0 || inFlight > 0) {
      release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await done).batchItemFailures).toEqual([]);
    expect(peak).toBe(3);
  });

  it('treats a rejected record as a retry of that group only', async () => {
    const records = [sqsRecord('x', { groupId: 'x' }), sqsRecord('y', { groupId: 'y' })];
    const result = await processBatch(records, {
      groupKey: byGroup,
      concurrency: 2,
      processRecord: async (record) => {
        if (record.body === 'x') throw new Error('bug');
        return 'done';
      },
    });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: records[0]!.messageId }]);
  });
});

describe('helpers', () => {
  it('groups preserving first-seen order', () => {
    const records = ['b', 'a', 'b'].map((group) => sqsRecord(group, { groupId: group }));
    expect(groupRecords(records, byGroup).map((group) => group.map((r) => r.body))).toEqual([
      ['b', 'b'],
      ['a'],
    ]);
  });

  it('runBounded runs every task once', async () => {
    const ran: number[] = [];
    await runBounded(
      [1, 2, 3, 4].map((n) => async () => void ran.push(n)),
      2,
    );
    expect(ran.sort()).toEqual([1, 2, 3, 4]);
    await runBounded([], 2);
  });
});

describe('processTenantEventBatch', () => {
  const event = (tenantId: string, n: number) =>
    JSON.stringify({
      type: 'tenant.delinquent',
      tenantId,
      eventId: `e-${tenantId}-${n}`,
      occurredAt: '2026-11-01T00:00:00Z',
      version: 1,
    });

  it('reads each body once, groups by the tenant it names, and gives every record the same deadline', async () => {
    const records = [
      sqsRecord(event('acme', 1), { groupId: 'x' }),
      sqsRecord(event('globex', 1), { groupId: 'x' }),
      // Invalid, but its tenant is readable: it blocks acme's later record when retried.
      sqsRecord(JSON.stringify({ tenantId: 'acme', type: 'tenant.paused' }), { groupId: 'x' }),
      sqsRecord(event('acme', 2), { groupId: 'x' }),
      sqsRecord('not json', { groupId: 'x' }),
    ];
    const seen: { tenantId: string | undefined; valid: boolean; deadline: number }[] = [];
    const skipped: string[] = [];
    const result = await processTenantEventBatch({ Records: records }, 10_000, {
      concurrency: 3,
      now: () => 1_000_000,
      onSkipped: (record) => skipped.push(record.messageId),
      processRecord: async (record, timing) => {
        seen.push({
          tenantId: record.tenantId,
          valid: !(record.read instanceof Error),
          deadline: timing.deadline,
        });
        return record.read instanceof Error && record.tenantId === 'acme' ? 'retry' : 'done';
      },
    });
    expect(seen.filter((s) => s.tenantId === 'acme').map((s) => s.valid)).toEqual([true, false]);
    expect(seen.find((s) => s.tenantId === undefined)?.valid).toBe(false);
    // A fifth of 10 s, capped at 3 s, is kept back; the lease runs 10 s past the invocation's end.
    expect(new Set(seen.map((s) => s.deadline))).toEqual(new Set([1_000_000 + 10_000 - 2_000]));
    expect(skipped).toEqual([records[3]!.messageId]);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[2]!.messageId,
      records[3]!.messageId,
    ]);
  });

  it('leases a tenant until a little after the invocation can no longer run', () => {
    expect(timingOf(30_000, 0)).toEqual({ deadline: 27_000, leaseExpiresAt: 40_000 });
    expect(timingOf(500, 0)).toEqual({ deadline: 300, leaseExpiresAt: 10_500 });
  });
});
