/**
 * Publishes tenant events to the FIFO queue the way every producer should: MessageGroupId = the
 * tenantId (per-tenant ordering) and MessageDeduplicationId = the eventId (SQS drops a repeat
 * within its 5-minute deduplication window). Used by the operator CLI, the local run and the tests.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html
 */
import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TenantEvent, TenantEventType } from '../domain/event.ts';
import { PublishError, type PublishFailure } from './errors.ts';
import { fifoIdErrors } from './sqs-ids.ts';

/** SendMessageBatch takes at most 10 entries. */
export const SQS_BATCH_LIMIT = 10;

export interface PublishTarget {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
}

/** One message: a valid event, or any body (a malformed line is still sent as it is). */
export interface OutgoingMessage {
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
}

export interface PublishResult {
  readonly index: number;
  readonly messageId?: string;
  readonly error?: PublishFailure;
}

export const messageOf = (event: TenantEvent): OutgoingMessage => ({
  body: JSON.stringify(event),
  groupId: event.tenantId,
  deduplicationId: event.eventId,
});

export const newTenantEvent = (
  type: TenantEventType,
  tenantId: string,
  options: { tenantName?: string; eventId?: string; occurredAt?: Date } = {},
): TenantEvent => ({
  type,
  tenantId,
  eventId: options.eventId ?? randomUUID(),
  occurredAt: (options.occurredAt ?? new Date()).toISOString(),
  ...(options.tenantName === undefined ? {} : { tenantName: options.tenantName }),
  version: 1,
});

interface Indexed {
  readonly message: OutgoingMessage;
  /** The message's position in the caller's list, also its batch entry Id. */
  readonly index: number;
}

const sendChunk = async (target: PublishTarget, chunk: readonly Indexed[]): Promise<PublishResult[]> => {
  try {
    const answer = await target.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: target.queueUrl,
        Entries: chunk.map(({ message, index }) => ({
          Id: String(index),
          MessageBody: message.body,
          MessageGroupId: message.groupId,
          MessageDeduplicationId: message.deduplicationId,
        })),
      }),
    );
    const sent = new Map((answer.Successful ?? []).map((entry) => [entry.Id, entry.MessageId]));
    const failed = new Map((answer.Failed ?? []).map((entry) => [entry.Id, entry]));
    return chunk.map(({ index }) => {
      const failure = failed.get(String(index));
      if (failure !== undefined || !sent.has(String(index))) {
        return {
          index,
          error: new PublishError(
            `SQS refused message ${index}: ${failure?.Code ?? 'no answer'} ${failure?.Message ?? ''}`.trim(),
            {
              retryable: failure?.SenderFault !== true,
              context: { index, sqsCode: failure?.Code },
            },
          ),
        };
      }
      return { index, messageId: sent.get(String(index)) };
    });
  } catch (cause) {
    const name = cause instanceof Error ? cause.name : 'Error';
    return chunk.map(({ index }) => ({
      index,
      error: new PublishError(`SendMessageBatch failed: ${name}`, {
        retryable: true,
        cause,
        context: { index },
      }),
    }));
  }
};

/**
 * Sends messages in SendMessageBatch chunks, in order (a FIFO queue keeps the order of one group
 * only if its messages are sent in order). Reports each message's result; never throws for a send.
 * A message whose group or deduplication id SQS would refuse is reported without being sent (the
 * local queue would accept it, the real one would not).
 */
export const publishMessages = async (
  target: PublishTarget,
  messages: readonly OutgoingMessage[],
  onChunk?: (results: readonly PublishResult[]) => void | Promise<void>,
): Promise<PublishResult[]> => {
  const results: PublishResult[] = [];
  const refused: PublishResult[] = [];
  const sendable: { message: OutgoingMessage; index: number }[] = [];
  messages.forEach((message, index) => {
    const [error] = fifoIdErrors(message);
    if (error === undefined) sendable.push({ message, index });
    else refused.push({ index, error });
  });
  if (refused.length > 0) {
    results.push(...refused);
    await onChunk?.(refused);
  }
  for (let offset = 0; offset < sendable.length; offset += SQS_BATCH_LIMIT) {
    const chunk = sendable.slice(offset, offset + SQS_BATCH_LIMIT);
    const chunkResults = await sendChunk(target, chunk);
    results.push(...chunkResults);
    await onChunk?.(chunkResults);
  }
  return results.sort((a, b) => a.index - b.index);
};

export const publishEvents = (
  target: PublishTarget,
  events: readonly TenantEvent[],
): Promise<PublishResult[]> => publishMessages(target, events.map(messageOf));
