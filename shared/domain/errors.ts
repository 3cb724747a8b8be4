import { ProvisionerError } from '../errors.ts';

/** The message could not be read as a tenant event. Permanent: retrying cannot fix the bytes. */
export class InvalidEventError extends ProvisionerError {
  readonly code: 'EVENT_INVALID_JSON' | 'EVENT_SCHEMA_VIOLATION' | 'EVENT_UNSUPPORTED_ENVELOPE';
  /** The tenantId, when one could be read despite the error (for reports and DLQ grouping). */
  readonly tenantId: string | undefined;

  constructor(
    code: InvalidEventError['code'],
    message: string,
    options: { tenantId?: string; cause?: unknown } = {},
  ) {
    super(message, { retryable: false, cause: options.cause, context: { tenantId: options.tenantId } });
    this.code = code;
    this.tenantId = options.tenantId;
  }
}

/** The event asks for a transition the lifecycle forbids (e.g. reopening a closed subaccount). */
export class IllegalTransitionError extends ProvisionerError {
  readonly code = 'ILLEGAL_TRANSITION';

  constructor(message: string, context: Record<string, unknown>) {
    super(message, { retryable: false, context });
  }
}

/** A delinquent, reinstated or churned event for a tenant that was never provisioned. */
export class UnknownTenantError extends ProvisionerError {
  readonly code = 'UNKNOWN_TENANT';

  constructor(tenantId: string, eventType: string) {
    super(`tenant "${tenantId}" has no subaccount; cannot apply ${eventType}`, {
      retryable: false,
      context: { tenantId, eventType },
    });
  }
}

/**
 * Thrown by a SubaccountGateway when a create may or may not have been applied (the connection
 * ended after the request left, before the answer came). Retryable: the use case looks the
 * subaccount up, never creates again at once.
 */
export class CreateOutcomeUnknownError extends ProvisionerError {
  readonly code = 'CREATE_OUTCOME_UNKNOWN';

  constructor(friendlyName: string, cause: unknown, what: 'subaccount' | 'API key' = 'subaccount') {
    super(`the create of ${what} "${friendlyName}" may or may not have been applied`, {
      retryable: true,
      cause,
      context: { friendlyName },
    });
  }
}

/**
 * A create POST may or may not have reached Twilio, and the subaccount is not (yet) visible by
 * FriendlyName. Retryable: the redelivery looks it up again before creating anything.
 */
export class UnresolvedCreateError extends ProvisionerError {
  readonly code = 'CREATE_UNRESOLVED';

  constructor(friendlyName: string, cause: unknown) {
    super(`the create of subaccount "${friendlyName}" had no answer and it is not visible yet`, {
      retryable: true,
      cause,
      context: { friendlyName },
    });
  }
}

/** The Lambda's remaining time is too short to start (or finish) the work safely. */
export class DeadlineExceededError extends ProvisionerError {
  readonly code = 'DEADLINE_EXCEEDED';

  constructor(step: string) {
    super(`not enough time left in the invocation to ${step}`, { retryable: true, context: { step } });
  }
}

/**
 * The event is dated further in the future than clock skew explains. Applying it would move the
 * watermark past every real event to come and freeze the tenant, so it is refused; a redrive
 * after its time has come applies it normally.
 */
export class EventFromFutureError extends ProvisionerError {
  readonly code = 'EVENT_FROM_FUTURE';

  constructor(occurredAt: string, now: number, maxSkewMs: number) {
    super(
      `occurredAt ${occurredAt} is more than the allowed clock skew of ${maxSkewMs / 1000} s ahead of now (${new Date(now).toISOString()})`,
      { retryable: false, context: { occurredAt, maxSkewSeconds: maxSkewMs / 1000 } },
    );
  }
}

/** Another invocation holds the tenant's lease: the record is retried later, never dead-lettered. */
export class TenantBusyError extends ProvisionerError {
  readonly code = 'TENANT_BUSY';

  constructor(tenantId: string, heldUntil?: number) {
    super(`tenant busy: another invocation holds the lease of "${tenantId}"`, {
      retryable: true,
      context: {
        tenantId,
        ...(heldUntil === undefined ? {} : { heldUntil: new Date(heldUntil).toISOString() }),
      },
    });
  }
}

/**
 * The lease was lost (expired and taken over) before the fenced write: nothing was written, and
 * the newer holder's state stands. Retryable: the redelivery re-reads the ledger.
 */
export class LeaseLostError extends ProvisionerError {
  readonly code = 'LEASE_LOST';

  constructor(tenantId: string, step: string) {
    super(`the lease of tenant "${tenantId}" was lost before ${step}; nothing was written`, {
      retryable: true,
      context: { tenantId, step },
    });
  }
}

/**
 * An earlier create of this tenant's subaccount had no answer and the subaccount is not visible
 * by FriendlyName yet. Creating again now could make a second one, so the record waits until the
 * intent is older than the settle time.
 */
export class CreateSettlingError extends ProvisionerError {
  readonly code = 'CREATE_SETTLING';

  constructor(friendlyName: string, intentEventId: string, waitMs: number) {
    super(
      `an earlier create of "${friendlyName}" (event ${intentEventId}) may still become visible; retrying in about ${Math.ceil(waitMs / 1000)} s before creating again`,
      { retryable: true, context: { friendlyName, intentEventId } },
    );
  }
}

/** An API key create had no answer: its secret is lost; the retry deletes it and creates anew. */
export class KeyCreateUnresolvedError extends ProvisionerError {
  readonly code = 'KEY_CREATE_UNRESOLVED';

  constructor(tenantId: string, cause: unknown) {
    super(`the API key create of tenant "${tenantId}" had no answer; the retry replaces that key`, {
      retryable: true,
      cause,
      context: { tenantId },
    });
  }
}

/**
 * A rotation was asked for a tenant whose credential is its auth token only. Twilio rotates an
 * auth token through its secondary-token flow, which this service does not drive: rotation needs
 * API keys (`TENANT_CREDENTIALS=api-key` or `both`).
 */
export class RotationUnsupportedError extends ProvisionerError {
  readonly code = 'ROTATION_NEEDS_API_KEYS';

  constructor(tenantId: string) {
    super(
      `tenant "${tenantId}" has no API key to rotate: rotation needs TENANT_CREDENTIALS=api-key or both (auth tokens are rotated in Twilio's Console)`,
      { retryable: false, context: { tenantId } },
    );
  }
}
