import type { SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EventSourceRunner,
  type InvocationReport,
  startEventSourceRunner,
} from '../../../local/runner/index.ts';
import { type QueueFixture, REGION, receiveAll, sendEvent, startQueueFixture } from './support.ts';

describe('event source runner: failures, redelivery and the DLQ', () => {
  let fixture: QueueFixture;
  let runner: EventSourceRunner | undefined;

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await fixture.stop();
  });

  /** Runs `handler` until the queue is drained; returns every delivery and every invocation report. */
  const runUntilDrained = async (
    handler: (records: SQSRecord[]) => Promise<unknown>,
    options: { batchSize?: number } = {},
  ) => {
    const deliveries: Array<{ body: string; receiveCount: string }> = [];
    const reports: InvocationReport[] = [];
    runner = await startEventSourceRunner({
      sqs: fixture.sqs,
      queueUrl: fixture.topology.queueUrl,
      queueArn: fixture.topology.queueArn,
      region: REGION,
      maxConcurrency: 1,
      ...options,
      onInvocation: (report) => reports.push(report),
      handler: async (event) => {
        for (const record of event.Records) {
          deliveries.push({ body: record.body, receiveCount: record.attributes.ApproximateReceiveCount });
        }
        return (await handler(event.Records)) as never;
      },
    });
    await runner.drained();
    return { deliveries, reports };
  };

  const firstDelivery = (records: SQSRecord[]) =>
    records.every((r) => r.attributes.ApproximateReceiveCount === '1');

  it('deletes the records that succeeded and redelivers those in batchItemFailures', async () => {
    fixture = await startQueueFixture({ visibilityTimeoutSeconds: 1 });
    for (const tenant of ['t-a', 't-b', 't-c']) await sendEvent(fixture, tenant, tenant);
    const { deliveries, reports } = await runUntilDrained(async (records) => ({
      batchItemFailures: records
        .filter((record) => record.body === 't-b' && record.attributes.ApproximateReceiveCount === '1')
        .map((record) => ({ itemIdentifier: record.messageId })),
    }));
    expect(reports[0]).toMatchObject({ outcome: 'partial' });
    expect(reports[0]!.messageIds).toHaveLength(3);
    expect(reports[0]!.failedMessageIds).toHaveLength(1);
    expect(deliveries.filter((d) => d.body === 't-b').map((d) => d.receiveCount)).toEqual(['1', '2']);
    expect(deliveries.filter((d) => d.body !== 't-b').map((d) => d.receiveCount)).toEqual(['1', '1']);
    expect(runner!.stats()).toMatchObject({ records: 4, succeeded: 3, failed: 1, batchFailures: 0 });
  });

  it('fails the whole batch when the handler throws', async () => {
    fixture = await startQueueFixture({ visibilityTimeoutSeconds: 1 });
    for (const tenant of ['t-a', 't-b']) await sendEvent(fixture, tenant, tenant);
    const { deliveries, reports } = await runUntilDrained(async (records) => {
      if (firstDelivery(records)) throw new Error('downstream unavailable');
    });
    expect(reports[0]).toMatchObject({
      outcome: 'error',
      error: { type: 'Error', message: 'downstream unavailable' },
    });
    expect(reports[0]!.failedMessageIds).toHaveLength(2);
    expect(deliveries.map((d) => d.receiveCount).sort()).toEqual(['1', '1', '2', '2']);
    expect(runner!.stats()).toMatchObject({ batchFailures: 1, succeeded: 2, failed: 2 });
  });

  it('fails the whole batch when batchItemFailures names no record of the batch', async () => {
    fixture = await startQueueFixture({ visibilityTimeoutSeconds: 1 });
    for (const tenant of ['t-a', 't-b']) await sendEvent(fixture, tenant, tenant);
    const { deliveries, reports } = await runUntilDrained(async (records) =>
      firstDelivery(records)
        ? { batchItemFailures: [{ itemIdentifier: 'not-a-message-of-this-batch' }] }
        : undefined,
    );
    expect(reports[0]).toMatchObject({ outcome: 'error', error: { type: 'InvalidBatchResponseError' } });
    expect(deliveries.map((d) => d.receiveCount).sort()).toEqual(['1', '1', '2', '2']);
  });

  it('lets the queue redrive a message to the DLQ after maxReceiveCount failed receives', async () => {
    fixture = await startQueueFixture({ visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
    await sendEvent(fixture, 't-poison', 'poison');
    await sendEvent(fixture, 't-fine', 'fine');
    const { deliveries } = await runUntilDrained(
      async (records) => ({
        batchItemFailures: records
          .filter((r) => r.body === 'poison')
          .map((r) => ({ itemIdentifier: r.messageId })),
      }),
      { batchSize: 1 },
    );
    expect(deliveries.filter((d) => d.body === 'poison').map((d) => d.receiveCount)).toEqual(['1', '2']);
    expect(deliveries.filter((d) => d.body === 'fine')).toHaveLength(1);
    const dead = await receiveAll(fixture.sqs, fixture.topology.dlqUrl);
    expect(dead.map((message) => message.Body)).toEqual(['poison']);
  });
});
