import { describe, expect, it } from 'vitest';
import { parseTenantEvent, peekTenantId } from '../../../../shared/domain/envelope.ts';
import { InvalidEventError } from '../../../../shared/domain/errors.ts';
import { tenantEvent } from '../../../helpers/events.ts';

const event = tenantEvent('tenant.created', 'acme', { tenantName: 'Acme Inc.' });

const failure = (body: string): InvalidEventError => {
  try {
    parseTenantEvent(body);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected an InvalidEventError');
};

describe('envelope unwrapping', () => {
  it('reads a plain event', () => {
    expect(parseTenantEvent(JSON.stringify(event))).toEqual({ event, envelope: 'plain' });
  });

  it('reads an EventBridge event, taking the type from detail-type', () => {
    const { type, ...detail } = event;
    const body = JSON.stringify({
      version: '0',
      id: 'e1',
      'detail-type': type,
      source: 'billing',
      account: '123456789012',
      time: '2026-11-27T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail,
    });
    expect(parseTenantEvent(body)).toEqual({ event, envelope: 'eventbridge' });
  });

  it('rejects an EventBridge event whose detail.type contradicts detail-type', () => {
    const error = failure(JSON.stringify({ 'detail-type': 'tenant.churned', detail: event }));
    expect(error.code).toBe('EVENT_SCHEMA_VIOLATION');
    expect(error.tenantId).toBe('acme');
  });

  it('reads an SNS notification, and EventBridge inside SNS', () => {
    const sns = (message: unknown) =>
      JSON.stringify({
        Type: 'Notification',
        MessageId: 'm1',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:tenants',
        Message: JSON.stringify(message),
        Timestamp: '2026-11-27T10:00:00Z',
      });
    expect(parseTenantEvent(sns(event))).toEqual({ event, envelope: 'sns' });
    const { type, ...detail } = event;
    expect(parseTenantEvent(sns({ 'detail-type': type, detail })).envelope).toBe('eventbridge');
  });

  it('reports invalid JSON precisely', () => {
    const error = failure('{"type": ');
    expect(error.code).toBe('EVENT_INVALID_JSON');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('message body is not valid JSON');
  });

  it('reports every schema problem in one message, keeping a readable tenantId', () => {
    const error = failure(
      JSON.stringify({ ...event, type: 'tenant.exploded', occurredAt: 'yesterday', version: 2 }),
    );
    expect(error.code).toBe('EVENT_SCHEMA_VIOLATION');
    expect(error.message).toMatch(/^invalid tenant event: /);
    expect(error.message).toContain('type:');
    expect(error.message).toContain('occurredAt: must be an ISO-8601 date-time');
    expect(error.message).toContain('version:');
    expect(error.tenantId).toBe('acme');
  });

  it.each([
    ['tenantId', 'has space'],
    ['tenantId', 'x'.repeat(49)],
    ['tenantId', ''],
    ['eventId', ''],
    ['eventId', 'e'.repeat(129)],
    ['eventId', 'with space'],
    ['occurredAt', '2026-11-27T10:00:00'],
    ['tenantName', ''],
  ])('rejects %s = %j', (field, value) => {
    const error = failure(JSON.stringify({ ...event, [field]: value }));
    expect(error.message).toContain(`${field}:`);
  });

  it('accepts offsets other than Z and the longest ids', () => {
    const body = {
      ...event,
      tenantId: 'a'.repeat(48),
      eventId: '~'.repeat(128),
      occurredAt: '2026-11-27T10:00:00+05:30',
    };
    expect(parseTenantEvent(JSON.stringify(body)).event.tenantId).toHaveLength(48);
  });

  it('rejects non-object bodies', () => {
    expect(failure('[1,2]').message).toBe('message body must be a JSON object');
    expect(failure('"tenant.created"').code).toBe('EVENT_SCHEMA_VIOLATION');
  });

  it('peeks a tenantId out of a message that does not parse', () => {
    expect(peekTenantId(JSON.stringify({ tenantId: 'acme', type: 'nope' }))).toBe('acme');
    expect(peekTenantId('not json')).toBeUndefined();
    expect(peekTenantId(JSON.stringify({ tenantId: 'bad id' }))).toBeUndefined();
  });
});
