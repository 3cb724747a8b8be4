import type { SQSRecord } from 'aws-lambda';

let counter = 0;

/** An SQS record as Lambda delivers it from a FIFO queue. */
export const sqsRecord = (
  body: unknown,
  options: { groupId?: string; receiveCount?: number; messageId?: string } = {},
): SQSRecord => {
  counter += 1;
  const messageId = options.messageId ?? `00000000-0000-4000-8000-${counter.toString().padStart(12, '0')}`;
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: '1764230400000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1764230400001',
      SequenceNumber: String(18_000_000_000_000_000_000 + counter),
      MessageGroupId: options.groupId ?? 'group',
      MessageDeduplicationId: messageId,
    },
    messageAttributes: {},
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:tenant-events.fifo',
    awsRegion: 'us-east-1',
  };
};
