/**
 * The dead-letter queue as the local run reports it, read without consuming it (the operator CLI's
 * reader: every message is received, then made visible again), so `tenants dlq list` and a
 * redrive still find all of them afterwards.
 *
 * A FIFO queue hands out no message of a group while an earlier one is in flight, so a group cut
 * at a receive's 10-message limit cannot be read further without deleting; `unread` counts what
 * was left. The tenant-events groups hold one message each in practice (one tenant, one failure).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  approximateDepth,
  type DeadLetter as QueuedDeadLetter,
  receiveDeadLetters,
  releaseDeadLetters,
} from '../../cli/dlq/dead-letters.ts';
import { peekTenantId } from '../../shared/domain/envelope.ts';

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

const toDeadLetter = (letter: QueuedDeadLetter): DeadLetter => ({
  messageId: letter.messageId,
  tenantId: letter.tenantId ?? peekTenantId(letter.body),
  errorCode: letter.errorCode,
  reason: letter.reason ?? "moved by SQS after the source queue's maxReceiveCount receives",
});

export const readDeadLetters = async (sqs: SQSClient, dlqUrl: string): Promise<DeadLetterSnapshot> => {
  const held = await receiveDeadLetters(sqs, dlqUrl, { visibilitySeconds: HOLD_SECONDS });
  try {
    const unread = Math.max(0, (await approximateDepth(sqs, dlqUrl)) - held.length);
    return { deadLetters: held.map(toDeadLetter), unread };
  } finally {
    await releaseDeadLetters(sqs, dlqUrl, held);
  }
};
