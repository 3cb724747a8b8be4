import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueueTopology, QueueTopologyOptionError, sendTenantEvent } from '../../../local/sqs/index.ts';
import { type QueueFixture, REGION, receiveAll, startQueueFixture } from './support.ts';

const receive = async (sqs: SQSClient, queueUrl: string, max = 10) =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        MessageSystemAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    )
  ).Messages ?? [];

describe('local SQS topology on fauxqs', () => {
  let fixture: QueueFixture;

  afterEach(async () => {
    await fixture.stop();
  });

  describe('with the default topology', () => {
    beforeEach(async () => {
      fixture = await startQueueFixture({ maxReceiveCount: 2, visibilityTimeoutSeconds: 0 });
    });

    it('creates a FIFO queue without content-based deduplication, redriving to a FIFO DLQ', async () => {
      const { topology, sqs } = fixture;
      expect(topology.queueArn).toBe(`arn:aws:sqs:${REGION}:000000000000:tenant-events.fifo`);
      expect(topology.dlqArn).toBe(`arn:aws:sqs:${REGION}:000000000000:tenant-events-dlq.fifo`);
      const { Attributes: queue = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: topology.queueUrl, AttributeNames: ['All'] }),
      );
      expect(queue.FifoQueue).toBe('true');
      expect(queue.ContentBasedDeduplication).toBe('false');
      expect(queue.VisibilityTimeout).toBe('0');
      expect(JSON.parse(queue.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: topology.dlqArn,
        maxReceiveCount: 2,
      });
      const { Attributes: dlq = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: topology.dlqUrl, AttributeNames: ['FifoQueue'] }),
      );
      expect(dlq.FifoQueue).toBe('true');
    });

    it('serves queue URLs on the loopback endpoint origin, so env-configured SDK clients reach them', () => {
      expect(new URL(fixture.url).hostname).toBe('127.0.0.1');
      expect(new URL(fixture.topology.queueUrl).origin).toBe(fixture.url);
      expect(new URL(fixture.topology.dlqUrl).origin).toBe(fixture.url);
    });

    it('drops a second send with the same event id (MessageDeduplicationId)', async () => {
      const { sqs, topology } = fixture;
      const first = await sendTenantEvent(sqs, topology.queueUrl, {
        tenantId: 't-1',
        eventId: 'e-1',
        body: 'one',
      });
      const again = await sendTenantEvent(sqs, topology.queueUrl, {
        tenantId: 't-1',
        eventId: 'e-1',
        body: 'two',
      });
      expect(again.messageId).toBe(first.messageId);
      const { Attributes: attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: topology.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      expect(attributes.ApproximateNumberOfMessages).toBe('1');
    });

    it('moves a message to the DLQ once it was received maxReceiveCount times', async () => {
      const { sqs, topology } = fixture;
      await sendTenantEvent(sqs, topology.queueUrl, { tenantId: 't-9', eventId: 'e-9', body: 'poison' });
      const counts: string[] = [];
      for (;;) {
        const [message] = await receive(sqs, topology.queueUrl, 1);
        if (message === undefined) break;
        counts.push(message.Attributes?.ApproximateReceiveCount ?? '?');
      }
      expect(counts).toEqual(['1', '2']);
      const dead = await receiveAll(sqs, topology.dlqUrl);
      expect(dead.map((message) => [message.Body, message.Attributes?.MessageGroupId])).toEqual([
        ['poison', 't-9'],
      ]);
    });
  });

  describe('FIFO group ordering', () => {
    beforeEach(async () => {
      fixture = await startQueueFixture({ visibilityTimeoutSeconds: 30 });
    });

    it("keeps a tenant's group locked while one of its messages is in flight, then delivers in order", async () => {
      const { sqs, topology } = fixture;
      for (const [tenantId, eventId] of [
        ['t-a', 'a1'],
        ['t-b', 'b1'],
        ['t-a', 'a2'],
        ['t-a', 'a3'],
      ] as const) {
        await sendTenantEvent(sqs, topology.queueUrl, { tenantId, eventId, body: eventId });
      }
      const delivered: string[] = [];
      for (;;) {
        const batch = await receive(sqs, topology.queueUrl);
        if (batch.length === 0) break;
        const groups = batch.map((message) => message.Attributes?.MessageGroupId);
        expect(new Set(groups).size).toBe(groups.length);
        // Nothing more from these groups while they are in flight.
        expect(await receive(sqs, topology.queueUrl)).toEqual([]);
        for (const message of batch) {
          delivered.push(message.Body ?? '');
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: topology.queueUrl, ReceiptHandle: message.ReceiptHandle }),
          );
        }
      }
      expect(delivered.filter((body) => body.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
      expect(delivered).toContain('b1');
    });
  });

  it('rejects options SQS would refuse, naming the option', async () => {
    fixture = await startQueueFixture();
    const cases: Array<[Parameters<typeof createQueueTopology>[1], string]> = [
      [{ maxReceiveCount: 0 }, 'maxReceiveCount'],
      [{ maxReceiveCount: 1.5 }, 'maxReceiveCount'],
      [{ visibilityTimeoutSeconds: -1 }, 'visibilityTimeoutSeconds'],
      [{ queueName: 'tenant-events' }, 'queueName'],
      [{ dlqName: 'tenant-events.fifo' }, 'dlqName'],
    ];
    for (const [options, option] of cases) {
      const error = await createQueueTopology(fixture.sqs, options).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(QueueTopologyOptionError);
      expect((error as QueueTopologyOptionError).context.option).toBe(option);
      expect((error as Error).message).toContain(option);
    }
  });
});
