import { describe, expect, it } from 'vitest';
import { eventKey } from '../../../../shared/domain/event-key.ts';
import { canonicalInstant } from '../../../../shared/domain/instant.ts';
import type { LedgerState } from '../../../../shared/domain/ports.ts';
import { decide, freshness, TRANSITIONS } from '../../../../shared/domain/transitions.ts';
import { tenantEvent } from '../../../helpers/events.ts';

const record = (overrides: Partial<LedgerState> = {}): LedgerState => ({
  accountSid: `AC${'a'.repeat(32)}`,
  friendlyName: 'tenant:acme',
  lifecycle: 'active',
  watermark: canonicalInstant(tenantEvent('tenant.created', 'acme', { at: 10 }).occurredAt),
  appliedAtWatermark: ['evt-0'],
  secretRetired: false,
  ...overrides,
});

describe('the transition table', () => {
  it.each([
    ['tenant.created', 'absent', 'provision'],
    ['tenant.created', 'active', 'noop'],
    ['tenant.created', 'suspended', 'noop'],
    ['tenant.created', 'closing', 'cancel-close'],
    ['tenant.created', 'closed', 'reprovision'],
    ['tenant.delinquent', 'absent', 'reject-unknown'],
    ['tenant.delinquent', 'active', 'suspend'],
    ['tenant.delinquent', 'suspended', 'noop'],
    ['tenant.delinquent', 'closing', 'noop'],
    ['tenant.delinquent', 'closed', 'noop-closed'],
    ['tenant.reinstated', 'absent', 'reject-unknown'],
    ['tenant.reinstated', 'active', 'noop'],
    ['tenant.reinstated', 'suspended', 'reactivate'],
    ['tenant.reinstated', 'closing', 'cancel-close'],
    ['tenant.reinstated', 'closed', 'reject-closed'],
    ['tenant.churned', 'absent', 'reject-unknown'],
    ['tenant.churned', 'active', 'churn'],
    ['tenant.churned', 'suspended', 'churn'],
    ['tenant.churned', 'closing', 'noop'],
    ['tenant.churned', 'closed', 'close'],
    ['tenant.close-due', 'absent', 'reject-unknown'],
    ['tenant.close-due', 'active', 'noop'],
    ['tenant.close-due', 'suspended', 'noop'],
    ['tenant.close-due', 'closing', 'close'],
    ['tenant.close-due', 'closed', 'noop-closed'],
    ['tenant.credentials-rotation-requested', 'absent', 'reject-unknown'],
    ['tenant.credentials-rotation-requested', 'active', 'rotate'],
    ['tenant.credentials-rotation-requested', 'suspended', 'rotate'],
    ['tenant.credentials-rotation-requested', 'closing', 'rotate'],
    ['tenant.credentials-rotation-requested', 'closed', 'reject-closed'],
  ] as const)('%s on a %s tenant → %s', (type, state, action) => {
    expect(TRANSITIONS[type][state]).toBe(action);
    const existing =
      state === 'absent'
        ? undefined
        : state === 'closing'
          ? record({ lifecycle: 'suspended', closeDueAt: '2026-12-01T00:00:00.000Z' })
          : record({ lifecycle: state });
    expect(decide(tenantEvent(type, 'acme', { at: 20 }), existing)).toBe(action);
  });
});

describe('the stale-event rule', () => {
  it('applies any event to a tenant with no history', () => {
    expect(freshness(tenantEvent('tenant.delinquent', 'acme', { at: 1 }), undefined)).toBe('new');
  });

  it('ignores an event strictly older than the last applied one', () => {
    const older = tenantEvent('tenant.delinquent', 'acme', { at: 9 });
    expect(freshness(older, record())).toBe('stale');
    expect(decide(older, record())).toBe('ignore-stale');
  });

  it('applies an event at the same instant or later', () => {
    expect(freshness(tenantEvent('tenant.delinquent', 'acme', { at: 10 }), record())).toBe('new');
    expect(freshness(tenantEvent('tenant.delinquent', 'acme', { at: 11 }), record())).toBe('new');
  });

  it('recognises an event applied at the watermark instant as a replay', () => {
    const event = tenantEvent('tenant.churned', 'acme', { at: 10, eventId: 'evt-churn' });
    expect(freshness(event, record({ appliedAtWatermark: ['evt-0', 'evt-churn'] }))).toBe('replay');
    expect(decide(event, record({ appliedAtWatermark: ['evt-churn'] }))).toBe('replay');
  });

  it('recognises a replay recorded by its tag key (tenants adopted from their secret)', () => {
    const eventId = 'evt with #hash';
    const event = tenantEvent('tenant.churned', 'acme', { at: 10, eventId });
    expect(freshness(event, record({ appliedAtWatermark: [eventKey(eventId)] }))).toBe('replay');
  });

  it('an applied event that is no longer at the watermark is stale, not a replay', () => {
    const event = tenantEvent('tenant.churned', 'acme', { at: 9, eventId: 'evt-0' });
    expect(freshness(event, record())).toBe('stale');
  });

  it('compares instants, not strings, across offsets', () => {
    const event = { ...tenantEvent('tenant.delinquent', 'acme'), occurredAt: '2026-11-01T01:09:00+01:00' };
    expect(freshness(event, record({ watermark: canonicalInstant('2026-11-01T00:10:00Z') }))).toBe('stale');
  });

  it('compares every fractional digit', () => {
    const at = (occurredAt: string) => ({ ...tenantEvent('tenant.delinquent', 'acme'), occurredAt });
    const mark = record({ watermark: canonicalInstant('2026-11-01T00:10:00.0009Z') });
    expect(freshness(at('2026-11-01T00:10:00.0001Z'), mark)).toBe('stale');
    expect(freshness(at('2026-11-01T00:10:00.00090000001Z'), mark)).toBe('new');
    expect(freshness(at('2026-11-01T00:10:00.000899999999Z'), mark)).toBe('stale');
  });
});
