import { createHash } from 'node:crypto';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EventSourceRunner, startEventSourceRunner } from '../../../local/runner/index.ts';
import { type QueueFixture, REGION, sendEvent, startQueueFixture } from './support.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('event source runner: the event and context a handler receives', () => {
  let fixture: QueueFixture;
  let runner: EventSourceRunner | undefined;

  beforeEach(async () => {
    fixture = await startQueueFixture();
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await fixture.stop();
  });

  it('delivers records exactly as a Lambda SQS event source mapping does', async () => {
    const seen: Array<{ event: SQSEvent; context: Context; remaining: number }> = [];
    const sent = await sendEvent(fixture, 'tenant-42', '{"type":"tenant.created"}', {
      MessageAttributes: {
        source: { DataType: 'String', StringValue: 'billing' },
        attempt: { DataType: 'Number', StringValue: '3' },
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 250]) },
      },
    });
    runner = await startEventSourceRunner({
      sqs: fixture.sqs,
      queueUrl: fixture.topology.queueUrl,
      queueArn: fixture.topology.queueArn,
      region: REGION,
      functionName: 'tenant-events-handler',
      memoryLimitInMB: 512,
      functionTimeoutMs: 10_000,
      handler: async (event, context) => {
        seen.push({ event, context, remaining: context.getRemainingTimeInMillis() });
      },
    });
    await runner.drained();

    expect(seen).toHaveLength(1);
    const { event, context, remaining } = seen[0]!;
    expect(Object.keys(event)).toEqual(['Records']);
    expect(event.Records).toHaveLength(1);
    const record = event.Records[0]!;
    expect(Object.keys(record)).toEqual([
      'messageId',
      'receiptHandle',
      'body',
      'attributes',
      'messageAttributes',
      'md5OfBody',
      'md5OfMessageAttributes',
      'eventSource',
      'eventSourceARN',
      'awsRegion',
    ]);
    expect(record.messageId).toBe(sent.MessageId);
    expect(record.receiptHandle).toEqual(expect.any(String));
    expect(record.receiptHandle.length).toBeGreaterThan(0);
    expect(record.body).toBe('{"type":"tenant.created"}');
    expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
    expect(record.md5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(record.eventSource).toBe('aws:sqs');
    expect(record.eventSourceARN).toBe(fixture.topology.queueArn);
    expect(record.awsRegion).toBe(REGION);

    expect(Object.keys(record.attributes).sort()).toEqual(
      [
        'ApproximateFirstReceiveTimestamp',
        'ApproximateReceiveCount',
        'MessageDeduplicationId',
        'MessageGroupId',
        'SenderId',
        'SentTimestamp',
        'SequenceNumber',
      ].sort(),
    );
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    expect(record.attributes.MessageGroupId).toBe('tenant-42');
    expect(record.attributes.MessageDeduplicationId).toMatch(/^evt-/);
    expect(record.attributes.SequenceNumber).toBe(sent.SequenceNumber);
    expect(record.attributes.SenderId).toMatch(/\S/);
    for (const stamp of [
      record.attributes.SentTimestamp,
      record.attributes.ApproximateFirstReceiveTimestamp,
    ]) {
      expect(stamp).toMatch(/^\d{13}$/);
    }
    expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(
      Number(record.attributes.SentTimestamp),
    );

    expect(record.messageAttributes).toEqual({
      source: { stringValue: 'billing', stringListValues: [], binaryListValues: [], dataType: 'String' },
      attempt: { stringValue: '3', stringListValues: [], binaryListValues: [], dataType: 'Number' },
      blob: {
        binaryValue: Buffer.from([0, 1, 2, 250]).toString('base64'),
        stringListValues: [],
        binaryListValues: [],
        dataType: 'Binary',
      },
    });

    expect(context.awsRequestId).toMatch(UUID);
    expect(context.functionName).toBe('tenant-events-handler');
    expect(context.functionVersion).toBe('$LATEST');
    expect(context.invokedFunctionArn).toBe(
      `arn:aws:lambda:${REGION}:000000000000:function:tenant-events-handler`,
    );
    expect(context.memoryLimitInMB).toBe('512');
    expect(context.logGroupName).toBe('/aws/lambda/tenant-events-handler');
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.callbackWaitsForEmptyEventLoop).toBe(true);
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(10_000);
    for (const stub of [context.done, context.fail, context.succeed])
      expect(stub).toEqual(expect.any(Function));
  });

  it('omits md5OfMessageAttributes and gives an empty messageAttributes object when a message has none', async () => {
    const records: SQSEvent['Records'] = [];
    await sendEvent(fixture, 'tenant-7', 'plain');
    runner = await startEventSourceRunner({
      sqs: fixture.sqs,
      queueUrl: fixture.topology.queueUrl,
      queueArn: fixture.topology.queueArn,
      region: REGION,
      handler: async (event) => {
        records.push(...event.Records);
      },
    });
    await runner.drained();
    expect(records).toHaveLength(1);
    expect(records[0]!.messageAttributes).toEqual({});
    expect('md5OfMessageAttributes' in records[0]!).toBe(false);
  });
});
