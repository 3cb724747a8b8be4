import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  groupRecords,
  processBatch,
  type RecordVerdict,
  runBounded,
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
