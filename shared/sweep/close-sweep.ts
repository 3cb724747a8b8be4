/**
 * The close sweep: every tenant whose grace period has ended gets a `tenant.close-due` event on
 * the tenant-events queue, in its own FIFO group (MessageGroupId = tenantId), so the close goes
 * through the same ordered, leased path as any other event and happens exactly once.
 *
 * The eventId is derived from the tenant and its due time, so a second sweep of the same due close
 * (an overlapping run, a retry) is dropped by SQS's deduplication, and one that gets through
 * anyway is a no-op on a tenant already closed. Shared by the scheduled function and `npm start`.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { TenantEvent } from '../domain/event.ts';
import type { LedgerEntry } from '../domain/ports.ts';
import { stateOf } from '../domain/transitions.ts';
import { type PublishResult, publishEvents } from '../publishing/publisher.ts';

export interface CloseSweepTarget {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
}

export interface SweepResult {
  /** Tenants in their grace period. */
  readonly closing: number;
  /** Tenants whose close was due and for which a close-due event was queued. */
  readonly queued: readonly string[];
  /** Sends SQS refused; the next sweep tries them again. */
  readonly failed: readonly PublishResult[];
}

/** SQS deduplication ids allow printable ASCII up to 128 characters; a tenantId has at most 48. */
export const closeDueEventId = (tenantId: string, closeDueAt: string): string =>
  `close-due:${tenantId}:${new Date(closeDueAt).toISOString()}`;

/** The close-due events `entries` call for at `now`. Pure. */
export const dueCloses = (entries: readonly LedgerEntry[], now: Date): TenantEvent[] =>
  entries.flatMap((entry) => {
    const due = entry.state?.closeDueAt;
    if (due === undefined || stateOf(entry.state) !== 'closing' || Date.parse(due) > now.getTime()) return [];
    return [
      {
        type: 'tenant.close-due' as const,
        tenantId: entry.tenantId,
        eventId: closeDueEventId(entry.tenantId, due),
        occurredAt: now.toISOString(),
        version: 1 as const,
      },
    ];
  });

export const sweepDueCloses = async (
  entries: readonly LedgerEntry[],
  target: CloseSweepTarget,
  now: Date = new Date(),
): Promise<SweepResult> => {
  const events = dueCloses(entries, now);
  const results = await publishEvents(target, events);
  return {
    closing: entries.filter((entry) => stateOf(entry.state) === 'closing').length,
    queued: results.filter((r) => r.error === undefined).map((r) => events[r.index]!.tenantId),
    failed: results.filter((r) => r.error !== undefined),
  };
};
