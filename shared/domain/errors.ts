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
