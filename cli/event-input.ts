/**
 * Builds a tenant event from command-line input and validates it against the event contract, so
 * nothing the processor would reject is ever published. Problems are named by their option.
 */
import type { z } from 'zod';
import { type TenantEvent, type TenantEventType, tenantEventSchema } from '../shared/domain/event.ts';
import { messageOf, newTenantEvent, type OutgoingMessage } from '../shared/publishing/publisher.ts';
import { fifoIdErrors } from '../shared/publishing/sqs-ids.ts';
import { CliInputError } from './errors.ts';

/** The event types `tenants send` takes, without their `tenant.` prefix. */
export const SHORT_EVENT_TYPES = [
  'created',
  'delinquent',
  'reinstated',
  'churned',
  'close-due',
  'credentials-rotation-requested',
] as const satisfies readonly (TenantEventType extends `tenant.${infer Short}` ? Short : never)[];
export type ShortEventType = (typeof SHORT_EVENT_TYPES)[number];

export const fullEventType = (type: ShortEventType): TenantEventType => `tenant.${type}`;

export interface EventInput {
  readonly type: TenantEventType;
  readonly tenantId: string;
  readonly tenantName?: string;
  readonly eventId?: string;
  /** As typed; validated by the contract (ISO-8601 with an offset or Z). */
  readonly occurredAt?: string;
}

const FIELD_LABEL: Readonly<Record<string, string>> = {
  tenantId: 'tenantId',
  tenantName: '--name',
  eventId: '--event-id',
  occurredAt: '--occurred-at',
};

export const describeIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  issues
    .map((issue) => {
      const field = String(issue.path[0] ?? '');
      return `${FIELD_LABEL[field] ?? field}: ${issue.message}`;
    })
    .join('; ');

/** A valid event, or a CliInputError listing every problem. */
export const buildTenantEvent = (input: EventInput, now: Date): TenantEvent => {
  const event = {
    ...newTenantEvent(input.type, input.tenantId, {
      occurredAt: now,
      ...(input.tenantName === undefined ? {} : { tenantName: input.tenantName }),
      ...(input.eventId === undefined ? {} : { eventId: input.eventId }),
    }),
    ...(input.occurredAt === undefined ? {} : { occurredAt: input.occurredAt }),
  };
  const parsed = tenantEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new CliInputError(`invalid ${input.type} event: ${describeIssues(parsed.error.issues)}`, {
      tenantId: input.tenantId,
    });
  }
  return parsed.data;
};

/**
 * The queue message for a valid event, or a CliInputError naming the id field real SQS would
 * refuse (the local queue would take it), so the command fails before anything is sent.
 */
export const queueMessageOf = (event: TenantEvent): OutgoingMessage => {
  const message = messageOf(event);
  const errors = fifoIdErrors(message);
  if (errors.length > 0) {
    throw new CliInputError(
      `cannot publish ${event.type} for ${event.tenantId}: ${errors.map((error) => error.message).join('; ')}`,
      { tenantId: event.tenantId },
    );
  }
  return message;
};
