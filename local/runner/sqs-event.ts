import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';

export interface EventSourceIdentity {
  queueArn: string;
  region: string;
}

/**
 * System attributes Lambda copies into `record.attributes`, in the order Lambda lists them
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html). FIFO-only ones appear only when
 * SQS returned them.
 */
const RECORD_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'AWSTraceHeader',
  'SentTimestamp',
  'SequenceNumber',
  'MessageGroupId',
  'SenderId',
  'MessageDeduplicationId',
  'ApproximateFirstReceiveTimestamp',
  'DeadLetterQueueSourceArn',
] as const;

/** Turns a ReceiveMessage result into the record a Lambda SQS event source mapping delivers. */
export const toSqsRecord = (message: Message, source: EventSourceIdentity): SQSRecord => {
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: toRecordAttributes(message.Attributes ?? {}),
    messageAttributes: toLambdaMessageAttributes(message.MessageAttributes ?? {}),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: source.queueArn,
    awsRegion: source.region,
  };
  if (message.MD5OfMessageAttributes !== undefined) {
    return insertAfter(record, 'md5OfBody', { md5OfMessageAttributes: message.MD5OfMessageAttributes });
  }
  return record;
};

const toRecordAttributes = (attributes: Partial<Record<string, string>>): SQSRecordAttributes => {
  const result: Record<string, string> = {};
  for (const name of RECORD_ATTRIBUTES) {
    const value = attributes[name];
    if (value !== undefined) result[name] = value;
  }
  return result as unknown as SQSRecordAttributes;
};

/**
 * Lambda spells message attributes in camelCase, always carries both list fields (SQS reserves
 * them; they are always empty) and sends binary values as base64 strings.
 */
export const toLambdaMessageAttributes = (
  attributes: Record<string, MessageAttributeValue>,
): SQSMessageAttributes => {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    result[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined
        ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }
        : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType ?? 'String',
    };
  }
  return result;
};

/** Keeps Lambda's key order (md5OfMessageAttributes right after md5OfBody) for byte-faithful JSON. */
const insertAfter = (record: SQSRecord, key: keyof SQSRecord, extra: Partial<SQSRecord>): SQSRecord => {
  const entries = Object.entries(record);
  const index = entries.findIndex(([name]) => name === key);
  entries.splice(index + 1, 0, ...Object.entries(extra));
  return Object.fromEntries(entries) as unknown as SQSRecord;
};
