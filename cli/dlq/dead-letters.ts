/**
 * Reads the dead-letter queue without consuming it. On a FIFO queue a received message locks its
 * message group until it is deleted or visible again, so every message is received (hidden for a
 * short while), collected, and then made visible again at once with a zero visibility timeout.
 * Messages queued behind 10 in-flight ones of the same group stay out of reach until those leave
 * the queue; the queue's approximate depth is reported next to the listing for that reason.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DLQ_ATTRIBUTE } from '../../shared/processing/dead-letter.ts';
import { SQS_BATCH_LIMIT } from '../../shared/publishing/publisher.ts';
import { CliQueueError } from '../errors.ts';

export interface DeadLetter {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly groupId?: string;
  readonly errorCode?: string;
  readonly reason?: string;
  readonly tenantId?: string;
  readonly originalMessageId?: string;
  readonly receiveCount?: number;
  readonly sentAt?: string;
}

export interface ReceiveOptions {
  /** Stop after this many messages. */
  readonly max?: number;
  /** How long received messages stay hidden if this process dies before releasing them. */
  readonly visibilitySeconds: number;
}

const text = (attributes: Record<string, MessageAttributeValue> | undefined, name: string) =>
  attributes?.[name]?.StringValue;

const toDeadLetter = (message: Message): DeadLetter => {
  const attributes = message.MessageAttributes;
  const receiveCount = text(attributes, DLQ_ATTRIBUTE.receiveCount);
  const sent = message.Attributes?.SentTimestamp;
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    groupId: message.Attributes?.MessageGroupId,
    errorCode: text(attributes, DLQ_ATTRIBUTE.errorCode),
    reason: text(attributes, DLQ_ATTRIBUTE.reason),
    tenantId: text(attributes, DLQ_ATTRIBUTE.tenantId),
    originalMessageId: text(attributes, DLQ_ATTRIBUTE.originalMessageId),
    receiveCount: receiveCount === undefined ? undefined : Number(receiveCount),
    sentAt: sent === undefined ? undefined : new Date(Number(sent)).toISOString(),
  };
};

const call = async <T>(operation: string, queueUrl: string, send: () => Promise<T>): Promise<T> => {
  try {
    return await send();
  } catch (error) {
    throw new CliQueueError(operation, queueUrl, error);
  }
};

const chunksOf = <T>(items: readonly T[]): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += SQS_BATCH_LIMIT) chunks.push(items.slice(i, i + SQS_BATCH_LIMIT));
  return chunks;
};

/** Receives until the queue answers empty (or `max` is reached); the messages stay in the queue. */
export const receiveDeadLetters = async (
  sqs: SQSClient,
  queueUrl: string,
  options: ReceiveOptions,
): Promise<DeadLetter[]> => {
  const byId = new Map<string, DeadLetter>();
  const limit = options.max ?? Number.POSITIVE_INFINITY;
  while (byId.size < limit) {
    const { Messages: messages = [] } = await call('ReceiveMessage', queueUrl, () =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(SQS_BATCH_LIMIT, limit - byId.size),
          VisibilityTimeout: options.visibilitySeconds,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['MessageGroupId', 'SentTimestamp'],
        }),
      ),
    );
    const fresh = messages.map(toDeadLetter).filter((letter) => !byId.has(letter.messageId));
    if (fresh.length === 0) break;
    for (const letter of fresh) byId.set(letter.messageId, letter);
  }
  return [...byId.values()];
};

/** Makes received messages visible again right away (and unlocks their FIFO groups). */
export const releaseDeadLetters = async (
  sqs: SQSClient,
  queueUrl: string,
  letters: readonly DeadLetter[],
): Promise<void> => {
  for (const chunk of chunksOf(letters)) {
    await call('ChangeMessageVisibilityBatch', queueUrl, () =>
      sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((letter, index) => ({
            Id: String(index),
            ReceiptHandle: letter.receiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      ),
    );
  }
};

/** Deletes received messages; answers the ids SQS did not delete. */
export const deleteDeadLetters = async (
  sqs: SQSClient,
  queueUrl: string,
  letters: readonly DeadLetter[],
): Promise<Set<string>> => {
  const notDeleted = new Set<string>();
  for (const chunk of chunksOf(letters)) {
    const answer = await call('DeleteMessageBatch', queueUrl, () =>
      sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((letter, index) => ({ Id: String(index), ReceiptHandle: letter.receiptHandle })),
        }),
      ),
    );
    for (const failed of answer.Failed ?? []) {
      const letter = chunk[Number(failed.Id)];
      if (letter !== undefined) notDeleted.add(letter.messageId);
    }
  }
  return notDeleted;
};

/** SQS's approximate count of the queue's messages, visible and in flight. */
export const approximateDepth = async (sqs: SQSClient, queueUrl: string): Promise<number> => {
  const { Attributes: attributes = {} } = await call('GetQueueAttributes', queueUrl, () =>
    sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    ),
  );
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};
