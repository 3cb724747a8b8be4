/**
 * The outcome event contract, version 1: what subaccount-provisioner tells the platform after it
 * applied (or permanently refused) a tenant lifecycle event. Published to EventBridge with
 * `Source` = OUTCOME_SOURCE and `DetailType` = the type; this is the `Detail`. Consumers: see
 * docs/outcomes.md and docs/outcome.schema.json (generated from this schema by `npm run schema`,
 * and checked by a test so the two never drift).
 *
 * No outcome ever carries an auth token or any other secret: the schema has no such field and
 * rejects unknown keys, and the builders below copy only the fields listed here.
 */
import { createHash } from 'node:crypto';
import { ProvisionerError } from '../errors.ts';
import * as z from '../zod.ts';
import { EVENT_ID_PATTERN, TENANT_ID_PATTERN } from './event.ts';
import { ACCOUNT_SID_PATTERN, SUBACCOUNT_STATUSES, type SubaccountStatus } from './ports.ts';

export { ACCOUNT_SID_PATTERN };

/** EventBridge `Source` of every outcome: the service's own name (no `aws.` prefix, ever). */
export const OUTCOME_SOURCE = 'subaccount-provisioner';
export const OUTCOME_VERSION = 1;

export const OUTCOME_TYPES = [
  'tenant.provisioned',
  'tenant.suspended',
  'tenant.reactivated',
  'tenant.close-scheduled',
  'tenant.closed',
  'tenant.credentials-rotated',
  'tenant.event-rejected',
] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

/** Every field an outcome can have, in the order the Detail JSON lists them. Nothing else is copied. */
export const OUTCOME_FIELDS = [
  'version',
  'type',
  'tenantId',
  'accountSid',
  'secretName',
  'causingEventId',
  'causingOccurredAt',
  'status',
  'closeDueAt',
  'errorCode',
  'reason',
  'publishedAt',
] as const;
export type OutcomeField = (typeof OUTCOME_FIELDS)[number];

/** A Secrets Manager secret name (1..512 of the characters AWS allows in one). */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A stable machine-readable code, as ProvisionerError.code and the DLQ's `errorCode` attribute carry. */
export const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
/** At most this many characters of a rejection reason are published (a longer one is cut, with `…`). */
export const MAX_REASON_LENGTH = 1024;

const tenantId = z
  .string()
  .check(z.regex(TENANT_ID_PATTERN, 'must be 1..48 characters of letters, digits, ".", "_" or "-"'));
const accountSid = z.string().check(z.regex(ACCOUNT_SID_PATTERN, 'must be a Twilio account SID (AC…)'));
const secretName = z.string().check(z.regex(SECRET_NAME_PATTERN, 'must be a Secrets Manager secret name'));
const causingEventId = z
  .string()
  .check(z.regex(EVENT_ID_PATTERN, 'must be 1..128 printable ASCII characters without spaces'));
const causingOccurredAt = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time with an offset or Z',
});
const utcDateTime = z.iso.datetime({ error: 'must be an ISO-8601 UTC date-time (Z)' });
const version = z.literal(OUTCOME_VERSION);
const publishedAt = utcDateTime;

const status = z.enum(SUBACCOUNT_STATUSES);

/** Registers a schema with its title and description (they go into the published JSON Schema). */
const titled = <T extends z.ZodMiniType>(schema: T, title: string, description: string): T => {
  z.globalRegistry.add(schema, { title, description });
  return schema;
};

// Each object lists its fields in OUTCOME_FIELDS order; strict: an unknown key (a token) is refused.

export const provisionedOutcomeSchema = titled(
  z.strictObject({
    version,
    type: z.literal('tenant.provisioned'),
    tenantId,
    accountSid,
    secretName,
    causingEventId,
    causingOccurredAt,
    status: z.literal('active'),
    publishedAt,
  }),
  'TenantProvisioned',
  'The tenant has an active subaccount, and its credentials are stored in the secret `secretName`.',
);

export const suspendedOutcomeSchema = titled(
  z.strictObject({
    version,
    type: z.literal('tenant.suspended'),
    tenantId,
    accountSid,
    secretName: z.optional(secretName),
    causingEventId,
    causingOccurredAt,
    status: z.literal('suspended'),
    publishedAt,
  }),
  'TenantSuspended',
  "The tenant's subaccount is suspended.",
);

export const reactivatedOutcomeSchema = titled(
  z.strictObject({
    version,
    type: z.literal('tenant.reactivated'),
    tenantId,
    accountSid,
    secretName: z.optional(secretName),
    causingEventId,
    causingOccurredAt,
    status: z.literal('active'),
    publishedAt,
  }),
  'TenantReactivated',
  "The tenant's suspended subaccount is active again.",
);

export const closeScheduledOutcomeSchema = titled(
  z.strictObject({
    version,
    type: z.literal('tenant.close-scheduled'),
    tenantId,
    accountSid,
    secretName: z.optional(secretName),
    causingEventId,
    causingOccurredAt,
    status: z.optional(status),
    closeDueAt: utcDateTime,
    publishedAt,
  }),
  'TenantCloseScheduled',
  "The tenant's subaccount will be closed at `closeDueAt`; `status`, when present, is its status until then.",
);

export const closedOutcomeSchema = titled(
  z.strictObject({
    version,
    type: z.literal('tenant.closed'),
    tenantId,
    accountSid,
    secretName: z.optional(secretName),
    causingEventId,
    causingOccurredAt,
    status: z.literal('closed'),
    publishedAt,
  }),
  'TenantClosed',
  "The tenant's subaccount is closed (irreversible on Twilio) and its secret is scheduled for deletion.",
);

export const credentialsRotatedOutcomeSchema = titled(
  z.strictObject({
    version,
    type: z.literal('tenant.credentials-rotated'),
    tenantId,
    accountSid,
    secretName,
    causingEventId,
    causingOccurredAt,
    status: z.optional(status),
    publishedAt,
  }),
  'TenantCredentialsRotated',
  "The secret `secretName` holds new credentials for the tenant's subaccount: read it again.",
);

export const eventRejectedOutcomeSchema = titled(
  z.strictObject({
    version,
    type: z.literal('tenant.event-rejected'),
    tenantId: z.optional(tenantId),
    accountSid: z.optional(accountSid),
    secretName: z.optional(secretName),
    causingEventId,
    causingOccurredAt: z.optional(causingOccurredAt),
    status: z.optional(status),
    errorCode: z.string().check(z.regex(ERROR_CODE_PATTERN, 'must be an UPPER_SNAKE_CASE code')),
    reason: z.string().check(z.minLength(1), z.maxLength(MAX_REASON_LENGTH)),
    publishedAt,
  }),
  'TenantEventRejected',
  'The causing event was refused for good and moved to the dead-letter queue with `errorCode` and `reason`. ' +
    '`tenantId` and `causingOccurredAt` are absent when they could not be read from it; `causingEventId` is ' +
    'then `sqs-message:` followed by the SQS message id.',
);

export const outcomeEventSchema = titled(
  z.discriminatedUnion('type', [
    provisionedOutcomeSchema,
    suspendedOutcomeSchema,
    reactivatedOutcomeSchema,
    closeScheduledOutcomeSchema,
    closedOutcomeSchema,
    credentialsRotatedOutcomeSchema,
    eventRejectedOutcomeSchema,
  ]),
  'OutcomeEvent',
  'What subaccount-provisioner did with a tenant lifecycle event (version 1): the Detail of an EventBridge ' +
    'event with source "subaccount-provisioner" and detail-type = type. Delivered at least once: consumers ' +
    'deduplicate on (causingEventId, type). Never carries a token or any other secret.',
);

export type OutcomeEvent = z.infer<typeof outcomeEventSchema>;
export type OutcomeOf<T extends OutcomeType> = Extract<OutcomeEvent, { type: T }>;

/**
 * The port the lifecycle publishes through (adapter: shared/outcomes/eventbridge-publisher.ts).
 * Resolves once every outcome was accepted; throws (a retryable error) when any was not, in which
 * case the caller must not acknowledge the input, so that its redelivery publishes again.
 */
export interface OutcomePublisher {
  publish(outcomes: readonly OutcomeEvent[]): Promise<void>;
}

/**
 * An outcome that breaks the contract (a bug in the caller, never the data's fault): nothing was
 * published. Permanent: the same input builds the same outcome. The message names the fields, never
 * their values.
 */
export class InvalidOutcomeError extends ProvisionerError {
  readonly code = 'OUTCOME_INVALID';

  constructor(message: string, context: Record<string, unknown> = {}) {
    super(message, { retryable: false, context });
  }
}

/** Checks an outcome against the contract, keeping only its listed fields; throws InvalidOutcomeError. */
export const parseOutcomeEvent = (candidate: unknown): OutcomeEvent => {
  const picked: Record<string, unknown> = {};
  if (typeof candidate === 'object' && candidate !== null) {
    for (const field of OUTCOME_FIELDS) {
      const value = (candidate as Record<string, unknown>)[field];
      if (value !== undefined) picked[field] = value;
    }
  }
  const result = outcomeEventSchema.safeParse(picked);
  if (result.success) return result.data;
  const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(outcome)'))];
  const outcomeType = OUTCOME_TYPES.find((type) => type === picked.type);
  throw new InvalidOutcomeError(
    `outcome ${outcomeType ?? 'of no known type'} breaks the contract at ${fields.join(', ')}`,
    { outcomeType, fields },
  );
};

/** The event that caused an outcome: a TenantEvent fits (only these three fields are read). */
export interface CausingEvent {
  readonly tenantId: string;
  readonly eventId: string;
  readonly occurredAt: string;
}

/** What happened, per type; the status of the four plain transitions follows from the type. */
export type AppliedOutcome =
  | { readonly type: 'tenant.provisioned'; readonly accountSid: string; readonly secretName: string }
  | {
      readonly type: 'tenant.suspended' | 'tenant.reactivated' | 'tenant.closed';
      readonly accountSid: string;
      readonly secretName?: string;
    }
  | {
      readonly type: 'tenant.close-scheduled';
      readonly accountSid: string;
      readonly closeDueAt: Date;
      readonly status?: SubaccountStatus;
      readonly secretName?: string;
    }
  | {
      readonly type: 'tenant.credentials-rotated';
      readonly accountSid: string;
      readonly secretName: string;
      readonly status?: SubaccountStatus;
    };

const STATUS_OF_TYPE: Partial<Record<OutcomeType, SubaccountStatus>> = {
  'tenant.provisioned': 'active',
  'tenant.suspended': 'suspended',
  'tenant.reactivated': 'active',
  'tenant.closed': 'closed',
};

const isoOf = (date: Date, field: string): string => {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new InvalidOutcomeError(`outcome ${field} is not a valid date`, { fields: [field] });
  }
  return date.toISOString();
};

/**
 * The outcome of an applied tenant event, built from the causing event and what the change did,
 * published `now`.
 * Copies the listed fields only (whatever else the objects passed in hold, an auth token included,
 * goes nowhere) and validates the result; throws InvalidOutcomeError when it breaks the contract.
 */
export const buildOutcomeEvent = (cause: CausingEvent, outcome: AppliedOutcome, now: Date): OutcomeEvent => {
  const newStatus = STATUS_OF_TYPE[outcome.type] ?? ('status' in outcome ? outcome.status : undefined);
  return parseOutcomeEvent({
    version: OUTCOME_VERSION,
    type: outcome.type,
    tenantId: cause.tenantId,
    accountSid: outcome.accountSid,
    secretName: outcome.secretName,
    causingEventId: cause.eventId,
    causingOccurredAt: cause.occurredAt,
    status: newStatus,
    closeDueAt:
      outcome.type === 'tenant.close-scheduled' ? isoOf(outcome.closeDueAt, 'closeDueAt') : undefined,
    publishedAt: isoOf(now, 'publishedAt'),
  });
};

/**
 * What is known about a refused input: its SQS message id always, the rest when it could be read.
 * Values of any shape are accepted; one that breaks the contract is left out, never published.
 */
export interface RejectedInput {
  readonly messageId: string;
  readonly tenantId?: unknown;
  readonly eventId?: unknown;
  readonly occurredAt?: unknown;
  readonly accountSid?: unknown;
  readonly secretName?: unknown;
  readonly status?: unknown;
}

export interface Rejection {
  /** The dead-letter code (ProvisionerError.code). */
  readonly errorCode: string;
  /** The dead-letter reason (an error message: never holds a token). Cut to MAX_REASON_LENGTH. */
  readonly reason: string;
}

/** The prefix of a causingEventId that stands for an input whose eventId could not be read. */
export const SQS_MESSAGE_CAUSE_PREFIX = 'sqs-message:';

const valid = <T>(schema: z.ZodMiniType<T>, value: unknown): T | undefined => {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
};

/**
 * `sqs-message:<messageId>` (a digest when that is not a valid id): stable across redeliveries of
 * one message, so the (causingEventId, type) deduplication still holds.
 */
export const messageCauseId = (messageId: string): string => {
  const id = `${SQS_MESSAGE_CAUSE_PREFIX}${messageId}`;
  return EVENT_ID_PATTERN.test(id)
    ? id
    : `${SQS_MESSAGE_CAUSE_PREFIX}sha256:${createHash('sha256').update(messageId).digest('hex')}`;
};

const cutReason = (reason: string): string => {
  const text = reason.length > 0 ? reason : '(no reason given)';
  if (text.length <= MAX_REASON_LENGTH) return text;
  let cut = text.slice(0, MAX_REASON_LENGTH - 1);
  // Never leave half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
};

/**
 * The `tenant.event-rejected` outcome of an input that was dead-lettered. Never throws for what
 * the input held (a field that breaks the contract is left out, a long reason is cut); throws
 * InvalidOutcomeError only for an errorCode that is not a code.
 */
export const buildRejectedOutcome = (
  input: RejectedInput,
  rejection: Rejection,
  now: Date,
): OutcomeOf<'tenant.event-rejected'> =>
  parseOutcomeEvent({
    version: OUTCOME_VERSION,
    type: 'tenant.event-rejected',
    tenantId: valid(tenantId, input.tenantId),
    accountSid: valid(accountSid, input.accountSid),
    secretName: valid(secretName, input.secretName),
    causingEventId: valid(causingEventId, input.eventId) ?? messageCauseId(input.messageId),
    causingOccurredAt: valid(causingOccurredAt, input.occurredAt),
    status: valid(status, input.status),
    errorCode: rejection.errorCode,
    reason: cutReason(String(rejection.reason)),
    publishedAt: isoOf(now, 'publishedAt'),
  }) as OutcomeOf<'tenant.event-rejected'>;
