import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

export interface ReceiveRequest {
  maxMessages: number;
  waitTimeSeconds: number;
  visibilityTimeoutSeconds: number;
}

/** One ReceiveMessage asking for everything Lambda puts in a record. */
export const receiveMessages = async (
  sqs: SQSClient,
  queueUrl: string,
  request: ReceiveRequest,
): Promise<Message[]> => {
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: request.maxMessages,
      WaitTimeSeconds: request.waitTimeSeconds,
      VisibilityTimeout: request.visibilityTimeoutSeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return received.Messages ?? [];
};

/** Deletes processed records; returns the message ids SQS refused to delete. */
export const deleteRecords = async (
  sqs: SQSClient,
  queueUrl: string,
  records: SQSRecord[],
): Promise<string[]> => {
  const refused: string[] = [];
  // DeleteMessageBatch takes at most 10 entries; a batch never holds more, but stay within the API.
  for (let start = 0; start < records.length; start += 10) {
    const chunk = records.slice(start, start + 10);
    const result = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
    for (const failure of result.Failed ?? []) {
      const record = chunk[Number(failure.Id)];
      if (record !== undefined) refused.push(record.messageId);
    }
  }
  return refused;
};

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export const readQueueCounts = async (sqs: SQSClient, queueUrl: string): Promise<QueueCounts> => {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
};

export const readVisibilityTimeoutSeconds = async (sqs: SQSClient, queueUrl: string): Promise<number> => {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
  );
  // 30 s is the SQS default when a queue does not report one.
  return Number(attributes.VisibilityTimeout ?? 30);
};
