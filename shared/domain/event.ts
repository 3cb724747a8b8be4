/**
 * The tenant lifecycle event contract, version 1. Producers: see docs/event.schema.json (generated
 * from this schema by `npm run schema`, and checked by a test so the two never drift).
 */
import * as z from '../zod.ts';

export const EVENT_TYPES = [
  'tenant.created',
  'tenant.delinquent',
  'tenant.reinstated',
  'tenant.churned',
  /** A churned tenant's grace period has ended (sent by the close sweep, or `tenants close-now`). */
  'tenant.close-due',
  /** New credentials for the tenant (`tenants rotate`, or the rotation schedule). */
  'tenant.credentials-rotation-requested',
] as const;
export type TenantEventType = (typeof EVENT_TYPES)[number];

/**
 * 1..48 letters, digits, `.`, `_`, `-`: it must fit a Secrets Manager name segment, an SQS
 * MessageGroupId and, with the FriendlyName template around it, Twilio's 64-character FriendlyName.
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._-]{1,48}$/;

/**
 * Printable ASCII without spaces, 1..128: the characters SQS accepts in a MessageDeduplicationId,
 * so producers can pass the eventId as the FIFO deduplication id unchanged.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
export const EVENT_ID_PATTERN = /^[\x21-\x7E]{1,128}$/;

export const tenantEventSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    tenantId: z
      .string()
      .check(z.regex(TENANT_ID_PATTERN, 'must be 1..48 characters of letters, digits, ".", "_" or "-"')),
    eventId: z
      .string()
      .check(z.regex(EVENT_ID_PATTERN, 'must be 1..128 printable ASCII characters without spaces')),
    occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset or Z' }),
    tenantName: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
    version: z.literal(1),
  })
  .register(z.globalRegistry, {
    title: 'TenantEvent',
    description: 'A tenant lifecycle event consumed by subaccount-provisioner (version 1).',
  });

export type TenantEvent = z.infer<typeof tenantEventSchema>;
