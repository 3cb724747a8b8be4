/**
 * One record, read once by the batch, through the lifecycle: apply, publish the outcome event,
 * and turn the result into a verdict for the batch. Permanent failures are dead-lettered with
 * their reason, published as `tenant.event-rejected`, and acknowledged; retryable ones are handed
 * back to SQS.
 */

import { randomUUID } from 'node:crypto';
import { applyTenantEvent, type LifecycleDependencies } from '../../shared/domain/apply-tenant-event.ts';
import { DeadlineExceededError, TenantBusyError } from '../../shared/domain/errors.ts';
import type { TenantEvent } from '../../shared/domain/event.ts';
import {
  buildOutcomeEvent,
  buildRejectedOutcome,
  type OutcomeEvent,
  type OutcomePublisher,
} from '../../shared/domain/outcome-event.ts';
import { ProvisionerError } from '../../shared/errors.ts';
import { classifyTwilioError } from '../../shared/twilio/index.ts';
import type { ReadRecord, RecordTiming, RecordVerdict } from './batch.ts';
import type { DeadLetterSender } from './dead-letter.ts';
import type { RecordObserver } from './observer.ts';

export interface TenantEventProcessorDependencies {
  readonly lifecycle: LifecycleDependencies;
  readonly deadLetter: DeadLetterSender;
  readonly observer: RecordObserver;
  /** Where outcome events go (an EventBridge bus). */
  readonly publisher: OutcomePublisher;
  readonly now?: () => number;
}

export type TenantEventProcessor = (record: ReadRecord, timing: RecordTiming) => Promise<RecordVerdict>;

/** Unexpected errors (bugs, SDK surprises) are retried: SQS's maxReceiveCount still bounds them. */
const isPermanent = (error: unknown): error is ProvisionerError =>
  error instanceof ProvisionerError && !error.retryable;

const describeError = (error: unknown): { errorCode: string; reason: string } =>
  error instanceof ProvisionerError
    ? { errorCode: error.code, reason: error.message }
    : { errorCode: 'UNEXPECTED', reason: error instanceof Error ? error.name : typeof error };

/** The Twilio error code an error carries, for the per-code metric. */
const twilioErrorCode = (error: unknown): string | undefined => {
  const { kind, metricCode } = classifyTwilioError(error);
  return kind === 'unknown' ? undefined : metricCode;
};

export const createTenantEventProcessor = (deps: TenantEventProcessorDependencies): TenantEventProcessor => {
  const now = deps.now ?? Date.now;
  /** Publishes one outcome; what went wrong, for the log line, when it could not. */
  const publish = async (outcome: OutcomeEvent) => {
    try {
      await deps.publisher.publish([outcome]);
      return undefined;
    } catch (error) {
      return describeError(error);
    }
  };

  return async ({ record, read, attempt, tenantId: readTenantId }, { deadline, leaseExpiresAt }) => {
    const startedAt = now();
    let event: TenantEvent | undefined;
    const base = () => ({
      messageId: record.messageId,
      attempt,
      durationMs: now() - startedAt,
      ...(event === undefined ? {} : { tenantId: event.tenantId, eventId: event.eventId, type: event.type }),
    });

    try {
      if (read instanceof Error) throw read;
      event = read.event;
      // The batch's deadline already keeps a reserve back: a record starts only before it.
      if (deadline <= now()) throw new DeadlineExceededError(`apply ${event.type}`);
      const outcome = await applyTenantEvent(event, deps.lifecycle, {
        deadline,
        leaseExpiresAt,
        owner: `${record.messageId}/${randomUUID()}`,
      });
      if (outcome.publish !== undefined) {
        // After the commit: a failed publish hands the record back, and its redelivery is a
        // replay that publishes the same outcome again. Never lost while the input is unacknowledged.
        const published = await publish(buildOutcomeEvent(event, outcome.publish, new Date(now())));
        if (published !== undefined) {
          deps.observer.record({
            ...base(),
            outcome: 'retried',
            accountSid: outcome.accountSid,
            ...published,
          });
          return 'retry';
        }
      }
      deps.observer.record({
        ...base(),
        outcome: outcome.kind,
        accountSid: outcome.accountSid,
        note: outcome.note,
      });
      return 'done';
    } catch (error) {
      const described = { ...describeError(error), twilioErrorCode: twilioErrorCode(error) };
      if (!isPermanent(error)) {
        const outcome = error instanceof TenantBusyError ? 'busy' : 'retried';
        deps.observer.record({ ...base(), outcome, ...described });
        return 'retry';
      }
      const tenantId = event?.tenantId ?? readTenantId;
      try {
        await deps.deadLetter.send(record, { code: error.code, reason: error.message, tenantId });
      } catch (sendError) {
        deps.observer.record({ ...base(), outcome: 'retried', ...describeError(sendError) });
        return 'retry';
      }
      const rejected = buildRejectedOutcome(
        { messageId: record.messageId, tenantId, eventId: event?.eventId, occurredAt: event?.occurredAt },
        { errorCode: error.code, reason: error.message },
        new Date(now()),
      );
      const published = await publish(rejected);
      if (published !== undefined) {
        deps.observer.record({ ...base(), outcome: 'retried', ...published });
        return 'retry';
      }
      deps.observer.record({ ...base(), tenantId, outcome: 'dead-lettered', ...described });
      return 'done';
    }
  };
};
