/**
 * Reads the dead-letter queue without consuming it: every message is received and held (a long
 * visibility timeout, never deleted), receive after receive, until the queue answers empty; the
 * caller then makes them visible again at once (or deletes the ones it redrove).
 *
 * What that reaches on a FIFO queue: SQS returns no message of a group while one of its messages
 * is in flight, and a receive returns at most 10 messages (as many of one group as it can).
 * - Every dead letter the function sent is a group of its own (shared/processing/dead-letter.ts),
 *   so all of them are read, however many a tenant has.
 * - A message SQS moved there itself after maxReceiveCount receives keeps its original group (the
 *   tenant): the first of a tenant's such messages is read, and those SQS returns with it in the
 *   same receive; the rest stay behind it until it is deleted (redriven).
 * - SQS holds at most 20,000 in-flight messages per FIFO queue; a larger DLQ is read up to that.
 * The queue's approximate depth is reported next to the listing so that what was not reached shows.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
 * https://repost.aws/knowledge-center/sqs-fifo-messages-not-returned
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
import { DLQ_ATTRIBUTE, TRUNCATED } from '../../shared/contracts/dead-letter-attributes.ts';
import { peekTenantId } from '../../shared/domain/envelope.ts';
import { SQS_BATCH_LIMIT } from '../../shared/publishing/publisher.ts';
import { CliQueueError } from '../errors.ts';

export interface DeadLetter {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** The DLQ message group: the original messageId, or the tenant for a message SQS moved. */
  readonly groupId?: string;
  readonly errorCode?: string;
  readonly reason?: string;
  /** The `tenantId` attribute, else the tenantId read from the body when it parses. */
  readonly tenantId?: string;
  readonly originalMessageId?: string;
  readonly receiveCount?: number;
  /** When the message entered the DLQ (a FIFO DLQ resets it when SQS moves a message there). */
  readonly sentAt?: string;
  readonly originalBodyBytes?: number;
  readonly originalBodySha256?: string;
  /** What the function had to cut or replace to make the dead letter fit (TRUNCATED). */
  readonly truncated?: string[];
}

export interface ReceiveOptions {
  /** Stop after this many messages. */
  readonly max?: number;
  /** How long received messages stay hidden if this process dies before releasing them. */
  readonly visibilitySeconds: number;
}

const text = (attributes: Record<string, MessageAttributeValue> | undefined, name: string) =>
  attributes?.[name]?.StringValue;

const numberOf = (value: string | undefined): number | undefined =>
  value === undefined || !/^\d+$/.test(value) ? undefined : Number(value);

const toDeadLetter = (message: Message): DeadLetter => {
  const attributes = message.MessageAttributes;
  const sent = message.Attributes?.SentTimestamp;
  const body = message.Body ?? '';
  const truncated = text(attributes, DLQ_ATTRIBUTE.truncated);
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body,
    groupId: message.Attributes?.MessageGroupId,
    errorCode: text(attributes, DLQ_ATTRIBUTE.errorCode),
    reason: text(attributes, DLQ_ATTRIBUTE.reason),
    tenantId: text(attributes, DLQ_ATTRIBUTE.tenantId) ?? peekTenantId(body),
    originalMessageId: text(attributes, DLQ_ATTRIBUTE.originalMessageId),
    receiveCount: numberOf(text(attributes, DLQ_ATTRIBUTE.receiveCount)),
    sentAt: sent === undefined ? undefined : new Date(Number(sent)).toISOString(),
    originalBodyBytes: numberOf(text(attributes, DLQ_ATTRIBUTE.originalBodyBytes)),
    originalBodySha256: text(attributes, DLQ_ATTRIBUTE.originalBodySha256),
    ...(truncated === undefined ? {} : { truncated: truncated.split(',') }),
  };
};

/** True when the body is not the one the producer sent (cut to fit, or characters replaced). */
export const bodyWasCut = (letter: DeadLetter): boolean =>
  letter.truncated?.includes(TRUNCATED.body) === true;

const sentAtOf = (letter: DeadLetter): number =>
  letter.sentAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(letter.sentAt);

/**
 * In the order they entered the DLQ (a message without a time last). Array.prototype.sort is
 * stable, so equal times keep the order SQS returned them in.
 */
export const oldestFirst = (letters: readonly DeadLetter[]): DeadLetter[] =>
  [...letters].sort((a, b) => {
    const [left, right] = [sentAtOf(a), sentAtOf(b)];
    return left === right ? 0 : left < right ? -1 : 1;
  });

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

/**
 * Receives until the queue answers empty (or `max` is reached); the messages stay in the queue,
 * held until the caller releases or deletes them. A message received again (its visibility ran
 * out during a very long read) keeps its newest receipt handle, the only one SQS still accepts.
 * If a receive fails, what was already held is released before the error is thrown.
 */
export const receiveDeadLetters = async (
  sqs: SQSClient,
  queueUrl: string,
  options: ReceiveOptions,
): Promise<DeadLetter[]> => {
  const byId = new Map<string, DeadLetter>();
  const limit = options.max ?? Number.POSITIVE_INFINITY;
  try {
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
      const letters = messages.map(toDeadLetter);
      const fresh = letters.filter((letter) => !byId.has(letter.messageId));
      for (const letter of letters) byId.set(letter.messageId, letter);
      if (fresh.length === 0) break;
    }
  } catch (error) {
    await releaseDeadLetters(sqs, queueUrl, [...byId.values()]).catch(() => {});
    throw error;
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
