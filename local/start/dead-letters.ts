/**
 * Reads the dead-letter queue without consuming it: every message is received (with its
 * attributes), held invisible while the queue is read, then made visible again, so an operator
 * (`tenants dlq list`, a redrive) still finds all of them.
 *
 * A FIFO queue hands out no message of a group while an earlier one is in flight, and one receive
 * returns at most 10 messages, so a group cut at that limit cannot be read further without
 * deleting; `unread` counts what was left. The tenant-events groups hold one message each in
 * practice (one tenant, one failure).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { peekTenantId } from '../../shared/domain/envelope.ts';
import { DLQ_ATTRIBUTE } from '../../shared/processing/dead-letter.ts';
import { dlqDepth } from './progress.ts';

export interface DeadLetter {
  readonly messageId: string;
  /** From the handler's `tenantId` attribute, else read from the body. */
  readonly tenantId: string | undefined;
  /** `undefined` for a message SQS moved there itself after maxReceiveCount failed receives. */
  readonly errorCode: string | undefined;
  readonly reason: string;
}

export interface DeadLetterSnapshot {
  readonly deadLetters: DeadLetter[];
  readonly unread: number;
}

/** Long enough to read the whole queue; released explicitly at the end anyway. */
const HOLD_SECONDS = 30;
const SQS_BATCH_LIMIT = 10;

const attribute = (message: Message, name: string): string | undefined =>
  message.MessageAttributes?.[name]?.StringValue;

const toDeadLetter = (message: Message): DeadLetter => {
  const errorCode = attribute(message, DLQ_ATTRIBUTE.errorCode);
  return {
    messageId: message.MessageId ?? '',
    tenantId: attribute(message, DLQ_ATTRIBUTE.tenantId) ?? peekTenantId(message.Body ?? ''),
    errorCode,
    reason:
      attribute(message, DLQ_ATTRIBUTE.reason) ??
      "moved by SQS after the source queue's maxReceiveCount receives",
  };
};

const release = async (sqs: SQSClient, dlqUrl: string, held: readonly Message[]): Promise<void> => {
  for (let offset = 0; offset < held.length; offset += SQS_BATCH_LIMIT) {
    const chunk = held.slice(offset, offset + SQS_BATCH_LIMIT);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: dlqUrl,
        Entries: chunk.map((message, i) => ({
          Id: String(offset + i),
          ReceiptHandle: message.ReceiptHandle ?? '',
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
};

export const readDeadLetters = async (sqs: SQSClient, dlqUrl: string): Promise<DeadLetterSnapshot> => {
  const held: Message[] = [];
  try {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: SQS_BATCH_LIMIT,
          VisibilityTimeout: HOLD_SECONDS,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) break;
      held.push(...Messages);
    }
    const unread = await dlqDepth(sqs, dlqUrl).then((depth) => Math.max(0, depth - held.length));
    return { deadLetters: held.map(toDeadLetter), unread };
  } finally {
    await release(sqs, dlqUrl, held);
  }
};
