/**
 * Reads a tenant event out of an SQS message body. Producers may publish the event itself, or
 * through EventBridge (an event with `detail-type` + `detail`) or SNS (a notification whose
 * `Message` is the event), so the same queue can be fed by all three.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 */
import type { $ZodIssue } from 'zod/v4/core';
import { InvalidEventError } from './errors.ts';
import { TENANT_ID_PATTERN, type TenantEvent, tenantEventSchema } from './event.ts';

export type EnvelopeKind = 'plain' | 'eventbridge' | 'sns';

export interface ParsedEvent {
  readonly event: TenantEvent;
  readonly envelope: EnvelopeKind;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseJson = (text: string, where: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidEventError('EVENT_INVALID_JSON', `${where} is not valid JSON`, { cause });
  }
};

const isEventBridge = (value: Record<string, unknown>): boolean =>
  'detail-type' in value && 'detail' in value;
const isSns = (value: Record<string, unknown>): boolean =>
  value.Type === 'Notification' && typeof value.Message === 'string' && 'TopicArn' in value;

/** EventBridge carries the type in `detail-type`; a `detail` without `type` takes it from there. */
const fromEventBridge = (value: Record<string, unknown>): unknown => {
  const detail = value.detail;
  if (!isObject(detail)) {
    throw new InvalidEventError('EVENT_UNSUPPORTED_ENVELOPE', 'EventBridge event has no object "detail"');
  }
  const detailType = value['detail-type'];
  if (detail.type !== undefined && detail.type !== detailType) {
    throw new InvalidEventError(
      'EVENT_SCHEMA_VIOLATION',
      `EventBridge detail-type "${String(detailType)}" does not match detail.type "${String(detail.type)}"`,
      { tenantId: readableTenantId(detail) },
    );
  }
  return { type: detailType, ...detail };
};

const readableTenantId = (value: unknown): string | undefined =>
  isObject(value) && typeof value.tenantId === 'string' && TENANT_ID_PATTERN.test(value.tenantId)
    ? value.tenantId
    : undefined;

const describeIssues = (issues: readonly $ZodIssue[]): string =>
  issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');

const unwrap = (body: string): { candidate: unknown; envelope: EnvelopeKind } => {
  const outer = parseJson(body, 'message body');
  if (!isObject(outer)) {
    throw new InvalidEventError('EVENT_SCHEMA_VIOLATION', 'message body must be a JSON object');
  }
  if (isSns(outer)) {
    const inner = parseJson(outer.Message as string, 'SNS Message');
    return isObject(inner) && isEventBridge(inner)
      ? { candidate: fromEventBridge(inner), envelope: 'eventbridge' }
      : { candidate: inner, envelope: 'sns' };
  }
  if (isEventBridge(outer)) return { candidate: fromEventBridge(outer), envelope: 'eventbridge' };
  return { candidate: outer, envelope: 'plain' };
};

/** Parses and validates; throws `InvalidEventError` with every schema problem in one message. */
export const parseTenantEvent = (body: string): ParsedEvent => {
  const { candidate, envelope } = unwrap(body);
  const result = tenantEventSchema.safeParse(candidate);
  if (!result.success) {
    throw new InvalidEventError(
      'EVENT_SCHEMA_VIOLATION',
      `invalid tenant event: ${describeIssues(result.error.issues)}`,
      {
        tenantId: readableTenantId(candidate),
      },
    );
  }
  return { event: result.data, envelope };
};

/** Best-effort tenantId of a message that may not parse, for grouping and reports. */
export const peekTenantId = (body: string): string | undefined => {
  try {
    return readableTenantId(unwrap(body).candidate);
  } catch {
    return undefined;
  }
};
