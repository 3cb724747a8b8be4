/**
 * One SQS record through the lifecycle: parse, apply, and turn the result into a verdict for the
 * batch. Permanent failures are dead-lettered with their reason and acknowledged; retryable ones
 * are handed back to SQS.
 */

import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { applyTenantEvent, type LifecycleDependencies } from '../../shared/domain/apply-tenant-event.ts';
import { parseTenantEvent } from '../../shared/domain/envelope.ts';
import { DeadlineExceededError, InvalidEventError, TenantBusyError } from '../../shared/domain/errors.ts';
import type { TenantEvent } from '../../shared/domain/event.ts';
import { ProvisionerError } from '../../shared/errors.ts';
import type { RecordVerdict } from './batch.ts';
import type { DeadLetterSender } from './dead-letter.ts';
import type { RecordObserver } from './record-observer.ts';

export interface TenantEventProcessorDependencies {
  readonly lifecycle: LifecycleDependencies;
  readonly deadLetter: DeadLetterSender;
  readonly observer: RecordObserver;
  /** Below this much time left, a record is not started but handed back to SQS untouched. */
  readonly minimumTimeMs: number;
  /** The Twilio error code carried by an error, for the per-code metric. */
  readonly twilioErrorCode?: (error: unknown) => string | undefined;
  readonly now?: () => number;
}

/** The time an invocation gives a record. */
export interface RecordTiming {
  /** Epoch ms after which no call is started (the invocation's end minus a reserve). */
  readonly deadline: number;
  /** Epoch ms when a tenant lease taken for this record lapses (after the invocation's end). */
  readonly leaseExpiresAt: number;
}

export type TenantEventProcessor = (record: SQSRecord, timing: RecordTiming) => Promise<RecordVerdict>;

/** Unexpected errors (bugs, SDK surprises) are retried: SQS's maxReceiveCount still bounds them. */
const isPermanent = (error: unknown): error is ProvisionerError =>
  error instanceof ProvisionerError && !error.retryable;

const describeError = (error: unknown): { errorCode: string; reason: string } =>
  error instanceof ProvisionerError
    ? { errorCode: error.code, reason: error.message }
    : { errorCode: 'UNEXPECTED', reason: error instanceof Error ? error.name : typeof error };

export const createTenantEventProcessor = (deps: TenantEventProcessorDependencies): TenantEventProcessor => {
  const now = deps.now ?? Date.now;

  return async (record, { deadline, leaseExpiresAt }) => {
    const startedAt = now();
    const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
    let event: TenantEvent | undefined;
    const base = () => ({
      messageId: record.messageId,
      attempt,
      durationMs: now() - startedAt,
      ...(event === undefined ? {} : { tenantId: event.tenantId, eventId: event.eventId, type: event.type }),
    });

    try {
      event = parseTenantEvent(record.body).event;
      if (deadline - now() < deps.minimumTimeMs) throw new DeadlineExceededError(`apply ${event.type}`);
      const outcome = await applyTenantEvent(event, deps.lifecycle, {
        deadline,
        leaseExpiresAt,
        owner: `${record.messageId}/${randomUUID()}`,
      });
      deps.observer.record({
        ...base(),
        outcome: outcome.kind,
        accountSid: outcome.accountSid,
        note: outcome.note,
      });
      return 'done';
    } catch (error) {
      const described = { ...describeError(error), twilioErrorCode: deps.twilioErrorCode?.(error) };
      if (!isPermanent(error)) {
        const outcome = error instanceof TenantBusyError ? 'busy' : 'retried';
        deps.observer.record({ ...base(), outcome, ...described });
        return 'retry';
      }
      const tenantId = event?.tenantId ?? (error instanceof InvalidEventError ? error.tenantId : undefined);
      try {
        await deps.deadLetter.send(record, { code: error.code, reason: error.message, tenantId });
      } catch (sendError) {
        deps.observer.record({ ...base(), outcome: 'retried', ...describeError(sendError) });
        return 'retry';
      }
      deps.observer.record({ ...base(), tenantId, outcome: 'dead-lettered', ...described });
      return 'done';
    }
  };
};
