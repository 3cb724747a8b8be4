/**
 * Permanent failures go straight to the dead-letter queue, with the reason, instead of burning
 * SQS retries: one poison message never blocks its tenant. The DLQ is FIFO, so the original
 * messageId doubles as the deduplication id: a repeated send after a crash is dropped by SQS.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { ProvisionerError } from '../errors.ts';

/** Message attribute names on dead-lettered messages (read back by `tenants dlq list`). */
export const DLQ_ATTRIBUTE = {
  errorCode: 'errorCode',
  reason: 'reason',
  originalMessageId: 'originalMessageId',
  receiveCount: 'receiveCount',
  tenantId: 'tenantId',
} as const;

/** SQS message attribute values are limited in size; reasons are capped well below it. */
const MAX_REASON = 1000;

export class DeadLetterSendError extends ProvisionerError {
  readonly code = 'DEAD_LETTER_SEND_FAILED';

  constructor(messageId: string, cause: unknown) {
    super(`could not move message ${messageId} to the dead-letter queue`, {
      retryable: true,
      cause,
      context: { messageId },
    });
  }
}

export interface DeadLetterReason {
  readonly code: string;
  readonly reason: string;
  readonly tenantId?: string;
}

export interface DeadLetterSender {
  send(record: SQSRecord, why: DeadLetterReason): Promise<void>;
}

const text = (value: string) => ({ DataType: 'String', StringValue: value });

export const createDeadLetterSender = ({
  sqs,
  queueUrl,
}: {
  sqs: SQSClient;
  queueUrl: string;
}): DeadLetterSender => ({
  send: async (record, why) => {
    const groupId = record.attributes.MessageGroupId ?? why.tenantId ?? record.messageId;
    try {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: record.body,
          MessageGroupId: groupId,
          MessageDeduplicationId: record.messageId,
          MessageAttributes: {
            ...Object.fromEntries(
              Object.entries(record.messageAttributes ?? {})
                .filter(([, value]) => value.stringValue !== undefined)
                .slice(0, 5)
                .map(([key, value]) => [key, { DataType: value.dataType, StringValue: value.stringValue }]),
            ),
            [DLQ_ATTRIBUTE.errorCode]: text(why.code),
            [DLQ_ATTRIBUTE.reason]: text(why.reason.slice(0, MAX_REASON)),
            [DLQ_ATTRIBUTE.originalMessageId]: text(record.messageId),
            [DLQ_ATTRIBUTE.receiveCount]: {
              DataType: 'Number',
              StringValue: record.attributes.ApproximateReceiveCount,
            },
            ...(why.tenantId === undefined ? {} : { [DLQ_ATTRIBUTE.tenantId]: text(why.tenantId) }),
          },
        }),
      );
    } catch (error) {
      throw new DeadLetterSendError(record.messageId, error);
    }
  },
});
