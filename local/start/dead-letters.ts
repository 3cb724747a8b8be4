/**
 * The dead-letter queue as the local run reports it, read without consuming it (the operator CLI's
 * reader: every message is received and held until the whole queue is read, then made visible
 * again), so `tenants dlq list` and a redrive still find all of them afterwards.
 *
 * Every dead letter the function sends is a message group of its own, so all of them are read,
 * however many one tenant has. Only messages SQS moved there itself (after the source queue's
 * maxReceiveCount receives) share their tenant's group, and those queued behind an earlier one
 * cannot be read without deleting it: `unread` counts what was left (cli/dlq/dead-letters.ts).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  approximateDepth,
  oldestFirst,
  type DeadLetter as QueuedDeadLetter,
  receiveDeadLetters,
  releaseDeadLetters,
} from '../../cli/dlq/dead-letters.ts';
import { EVENT_ID_PATTERN } from '../../shared/domain/event.ts';
import { messageCauseId } from '../../shared/domain/outcome-event.ts';

export interface DeadLetter {
  readonly messageId: string;
  /** From the handler's `tenantId` attribute, else read from the body. */
  readonly tenantId: string | undefined;
  /** `undefined` for a message SQS moved there itself after maxReceiveCount failed receives. */
  readonly errorCode: string | undefined;
  readonly reason: string;
  /**
   * The causingEventId its `tenant.event-rejected` outcome can carry: the eventId read from the
   * body, or `sqs-message:<original messageId>` when none could be read.
   */
  readonly causingEventIds: readonly string[];
}

export interface DeadLetterSnapshot {
  readonly deadLetters: DeadLetter[];
  readonly unread: number;
}

/** Long enough to read the whole queue; released explicitly at the end anyway. */
const HOLD_SECONDS = 60;

/** The top-level eventId of a body that is a JSON object, when it is a valid one. */
const bodyEventId = (body: string): string[] => {
  try {
    const parsed: unknown = JSON.parse(body);
    const eventId =
      typeof parsed === 'object' && parsed !== null ? (parsed as { eventId?: unknown }).eventId : undefined;
    return typeof eventId === 'string' && EVENT_ID_PATTERN.test(eventId) ? [eventId] : [];
  } catch {
    return [];
  }
};

const toDeadLetter = (letter: QueuedDeadLetter): DeadLetter => ({
  messageId: letter.messageId,
  tenantId: letter.tenantId,
  errorCode: letter.errorCode,
  reason: letter.reason ?? "moved by SQS after the source queue's maxReceiveCount receives",
  causingEventIds: [
    ...bodyEventId(letter.body),
    ...(letter.originalMessageId === undefined ? [] : [messageCauseId(letter.originalMessageId)]),
  ],
});

export const readDeadLetters = async (sqs: SQSClient, dlqUrl: string): Promise<DeadLetterSnapshot> => {
  const held = await receiveDeadLetters(sqs, dlqUrl, { visibilitySeconds: HOLD_SECONDS });
  try {
    const unread = Math.max(0, (await approximateDepth(sqs, dlqUrl)) - held.length);
    return { deadLetters: oldestFirst(held).map(toDeadLetter), unread };
  } finally {
    await releaseDeadLetters(sqs, dlqUrl, held);
  }
};
