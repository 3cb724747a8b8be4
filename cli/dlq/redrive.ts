/**
 * Sends dead-lettered messages back to the source queue, then deletes them from the DLQ, in that
 * order: a crash in between leaves a copy in both queues, never in neither. The body goes back
 * unchanged in its message group, without the DLQ's reason attributes, and with a deduplication
 * id derived from the DLQ message id: the original id would be dropped by SQS as a repeat within
 * its 5-minute window, while a repeat of this very redrive is dropped as it should be.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { publishMessages } from '../../shared/publishing/publisher.ts';
import { type DeadLetter, deleteDeadLetters, releaseDeadLetters } from './dead-letters.ts';

export const redriveDeduplicationId = (dlqMessageId: string): string => `redrive-${dlqMessageId}`;

export interface RedriveOutcome {
  readonly letter: DeadLetter;
  /** The new message id on the source queue, when it was sent. */
  readonly messageId?: string;
  /** Why it is still in the DLQ (or, for `left-in-dlq`, also in the source queue). */
  readonly problem?: string;
}

export const redrive = async (
  sqs: SQSClient,
  queues: { queueUrl: string; dlqUrl: string },
  letters: readonly DeadLetter[],
): Promise<RedriveOutcome[]> => {
  const results = await publishMessages(
    { sqs, queueUrl: queues.queueUrl },
    letters.map((letter) => ({
      body: letter.body,
      groupId: letter.groupId ?? letter.tenantId ?? letter.messageId,
      deduplicationId: redriveDeduplicationId(letter.messageId),
    })),
  );
  const sent = results.flatMap((result) => {
    const letter = letters[result.index];
    return letter !== undefined && result.messageId !== undefined && result.error === undefined
      ? [{ letter, messageId: result.messageId }]
      : [];
  });
  const unsent = letters.filter((letter) => !sent.some((s) => s.letter === letter));
  await releaseDeadLetters(sqs, queues.dlqUrl, unsent);
  const notDeleted = await deleteDeadLetters(
    sqs,
    queues.dlqUrl,
    sent.map((s) => s.letter),
  );
  const errorOf = new Map(results.map((result) => [letters[result.index], result.error?.message]));
  return [
    ...sent.map(({ letter, messageId }) => ({
      letter,
      messageId,
      ...(notDeleted.has(letter.messageId)
        ? { problem: 'sent, but could not be deleted from the dead-letter queue' }
        : {}),
    })),
    ...unsent.map((letter) => ({ letter, problem: errorOf.get(letter) ?? 'not sent' })),
  ];
};
