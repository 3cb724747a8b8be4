/**
 * Sends dead-lettered messages back to the source queue, then deletes them from the DLQ, in that
 * order: a crash in between leaves a copy in both queues, never in neither.
 *
 * - The body goes back unchanged, without the DLQ's attributes, with MessageGroupId = its tenant
 *   (the `tenantId` attribute, else the tenant read from the body; a message with neither keeps
 *   its DLQ group, which then holds up nobody), so it is ordered with the tenant's other events.
 * - The deduplication id is derived from the DLQ message id: the original id would be dropped by
 *   SQS as a repeat within its 5-minute window, while a repeat of this very redrive is dropped as
 *   it should be.
 * - A tenant's messages go back oldest first (the time they entered the DLQ; a FIFO DLQ resets it
 *   when SQS moves a message), one message per tenant per SendMessageBatch, and once one of them
 *   could not be sent its later ones stay in the DLQ too: a newer event applied before an older
 *   one would make the older one stale (it is then acknowledged and ignored).
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
 * - A message whose body the function had to cut to fit the DLQ is never sent back: it is not the
 *   event any more, and would only be dead-lettered again as invalid.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  type OutgoingMessage,
  type PublishResult,
  publishMessages,
  SQS_BATCH_LIMIT,
} from '../../shared/publishing/publisher.ts';
import {
  bodyWasCut,
  type DeadLetter,
  deleteDeadLetters,
  oldestFirst,
  releaseDeadLetters,
} from './dead-letters.ts';

export const redriveDeduplicationId = (dlqMessageId: string): string => `redrive-${dlqMessageId}`;

/** The group a dead letter goes back to on the tenant-events queue. */
export const redriveGroupId = (letter: DeadLetter): string =>
  letter.tenantId ?? letter.groupId ?? letter.messageId;

export interface RedriveOutcome {
  readonly letter: DeadLetter;
  /** The new message id on the source queue, when it was sent. */
  readonly messageId?: string;
  /** Why it is still in the DLQ (or, when it was sent, also in the source queue). */
  readonly problem?: string;
  /** The message can never be redriven as it is (its body was cut): retrying will not help. */
  readonly refused?: boolean;
}

/** The first, second, ... message of every group: no batch ever holds two of one tenant. */
const rounds = (letters: readonly DeadLetter[]): DeadLetter[][] => {
  const byGroup = new Map<string, DeadLetter[]>();
  for (const letter of letters) {
    const group = byGroup.get(redriveGroupId(letter)) ?? [];
    group.push(letter);
    byGroup.set(redriveGroupId(letter), group);
  }
  const depth = Math.max(0, ...[...byGroup.values()].map((group) => group.length));
  return Array.from({ length: depth }, (_, round) =>
    [...byGroup.values()].flatMap((group) => (group[round] === undefined ? [] : [group[round]])),
  );
};

const messageOf = (letter: DeadLetter): OutgoingMessage => ({
  body: letter.body,
  groupId: redriveGroupId(letter),
  deduplicationId: redriveDeduplicationId(letter.messageId),
});

const cutBodyProblem = (letter: DeadLetter): string =>
  `its body was cut to fit the dead-letter queue (original ${letter.originalBodyBytes ?? '?'} bytes, ` +
  `sha256 ${letter.originalBodySha256 ?? '?'}); publish the original event again instead`;

const sendInOrder = async (
  sqs: SQSClient,
  queueUrl: string,
  letters: readonly DeadLetter[],
): Promise<Map<DeadLetter, PublishResult | 'held back'>> => {
  const results = new Map<DeadLetter, PublishResult | 'held back'>();
  const blocked = new Set<string>();
  for (const round of rounds(letters)) {
    const due = round.filter((letter) => !blocked.has(redriveGroupId(letter)));
    for (const letter of round) if (!due.includes(letter)) results.set(letter, 'held back');
    for (let offset = 0; offset < due.length; offset += SQS_BATCH_LIMIT) {
      const chunk = due.slice(offset, offset + SQS_BATCH_LIMIT);
      const sent = await publishMessages({ sqs, queueUrl }, chunk.map(messageOf));
      for (const result of sent) {
        const letter = chunk[result.index];
        if (letter === undefined) continue;
        results.set(letter, result);
        if (result.error !== undefined || result.messageId === undefined) blocked.add(redriveGroupId(letter));
      }
    }
  }
  return results;
};

export const redrive = async (
  sqs: SQSClient,
  queues: { queueUrl: string; dlqUrl: string },
  letters: readonly DeadLetter[],
): Promise<RedriveOutcome[]> => {
  const ordered = oldestFirst(letters);
  const refused = ordered.filter(bodyWasCut);
  const results = await sendInOrder(
    sqs,
    queues.queueUrl,
    ordered.filter((letter) => !bodyWasCut(letter)),
  );
  const sent = ordered.flatMap((letter) => {
    const result = results.get(letter);
    return typeof result === 'object' && result.error === undefined && result.messageId !== undefined
      ? [{ letter, messageId: result.messageId }]
      : [];
  });
  const sentLetters = new Set(sent.map((s) => s.letter));
  await releaseDeadLetters(
    sqs,
    queues.dlqUrl,
    ordered.filter((letter) => !sentLetters.has(letter)),
  );
  const notDeleted = await deleteDeadLetters(
    sqs,
    queues.dlqUrl,
    sent.map((s) => s.letter),
  );
  return ordered.map((letter): RedriveOutcome => {
    if (refused.includes(letter)) return { letter, problem: cutBodyProblem(letter), refused: true };
    const result = results.get(letter);
    if (result === 'held back') {
      return { letter, problem: 'not sent: an earlier dead letter of the same tenant could not be redriven' };
    }
    if (result?.messageId === undefined || result.error !== undefined) {
      return { letter, problem: result?.error?.message ?? 'not sent' };
    }
    return {
      letter,
      messageId: result.messageId,
      ...(notDeleted.has(letter.messageId)
        ? { problem: 'sent, but could not be deleted from the dead-letter queue' }
        : {}),
    };
  });
};
