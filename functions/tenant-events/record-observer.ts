import type { OutcomeKind } from '../../shared/domain/apply-tenant-event.ts';

/** What happened to one SQS record. Logged as one line; never carries a token. */
export interface RecordOutcome {
  readonly messageId: string;
  readonly tenantId?: string;
  readonly eventId?: string;
  readonly type?: string;
  readonly accountSid?: string;
  /** `busy`: another invocation holds the tenant's lease; retried later, never dead-lettered. */
  readonly outcome: OutcomeKind | 'dead-lettered' | 'retried' | 'busy' | 'skipped';
  /** SQS ApproximateReceiveCount: 1 on first delivery. */
  readonly attempt: number;
  readonly durationMs: number;
  readonly note?: string;
  readonly errorCode?: string;
  readonly reason?: string;
  readonly twilioErrorCode?: string;
}

export interface RecordObserver {
  record(outcome: RecordOutcome): void;
}
