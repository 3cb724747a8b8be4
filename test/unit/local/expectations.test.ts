import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type EventLine, expectTenantStates, toEventLine } from '../../../local/expectations.ts';
import { parseEventLines, SAMPLE_EVENTS_FILE } from '../../../local/start/events-file.ts';
import type { TenantEvent } from '../../../shared/domain/event.ts';
import { tenantEvent } from '../../helpers/events.ts';

/** Lines as an event file holds them, each read the way the handler reads a message body. */
const fileOf = (...entries: Array<TenantEvent | string>): EventLine[] =>
  entries.map((entry, index) =>
    toEventLine(typeof entry === 'string' ? entry : JSON.stringify(entry), index + 1),
  );

const only = (lines: EventLine[], tenantId: string) => {
  const found = expectTenantStates(lines).tenants.find((tenant) => tenant.tenantId === tenantId);
  if (found === undefined) throw new Error(`no expectation for ${tenantId}`);
  return found;
};

describe('toEventLine', () => {
  it('reads plain events and envelopes as events', () => {
    const event = tenantEvent('tenant.created', 'acme', { at: 1 });
    const { type, ...detail } = event;
    const eventBridge = JSON.stringify({ 'detail-type': type, source: 'billing', detail });

    expect(toEventLine(JSON.stringify(event), 1)).toMatchObject({ kind: 'event', event });
    expect(toEventLine(eventBridge, 2)).toMatchObject({ kind: 'event', lineNumber: 2, event });
  });

  it('keeps a line that is not JSON as malformed, with no tenant', () => {
    expect(toEventLine('{"type":"tenant.created","tenantId":"acme"', 3)).toMatchObject({
      kind: 'malformed',
      lineNumber: 3,
      tenantId: undefined,
      errorCode: 'EVENT_INVALID_JSON',
    });
  });

  it('attributes a schema violation to the tenant when its id is readable', () => {
    const line = toEventLine(
      JSON.stringify({ ...tenantEvent('tenant.created', 'acme'), occurredAt: 'soon' }),
      4,
    );
    expect(line).toMatchObject({ kind: 'malformed', tenantId: 'acme', errorCode: 'EVENT_SCHEMA_VIOLATION' });
    expect(line.kind === 'malformed' && line.reason).toContain('occurredAt');
  });
});

describe('expectTenantStates', () => {
  it('provisions a created tenant: active subaccount, live secret', () => {
    expect(only(fileOf(tenantEvent('tenant.created', 'acme', { at: 1 })), 'acme')).toEqual({
      tenantId: 'acme',
      status: 'active',
      secretStored: true,
      deadLetter: null,
      subaccounts: 1,
    });
  });

  it('suspends a delinquent tenant and reactivates a reinstated one', () => {
    const suspended = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      tenantEvent('tenant.delinquent', 'acme', { at: 2 }),
    );
    expect(only(suspended, 'acme')).toMatchObject({ status: 'suspended', secretStored: true });

    const reinstated = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      tenantEvent('tenant.delinquent', 'acme', { at: 2 }),
      tenantEvent('tenant.reinstated', 'acme', { at: 3 }),
    );
    expect(only(reinstated, 'acme')).toMatchObject({ status: 'active', secretStored: true });
  });

  it('closes a churned tenant and retires its secret', () => {
    const lines = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      tenantEvent('tenant.churned', 'acme', { at: 2 }),
    );
    expect(only(lines, 'acme')).toMatchObject({ status: 'closed', secretStored: false, deadLetter: null });
  });

  it('gives a returning customer a fresh subaccount and a live secret again', () => {
    const lines = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      tenantEvent('tenant.churned', 'acme', { at: 2 }),
      tenantEvent('tenant.created', 'acme', { at: 3 }),
    );
    expect(only(lines, 'acme')).toMatchObject({ status: 'active', secretStored: true, subaccounts: 2 });
  });

  it('applies a duplicate delivery once', () => {
    const created = tenantEvent('tenant.created', 'acme', { at: 1 });
    const churned = tenantEvent('tenant.churned', 'acme', { at: 2 });
    expect(only(fileOf(created, created), 'acme')).toMatchObject({ status: 'active', subaccounts: 1 });
    expect(only(fileOf(created, churned, churned), 'acme')).toMatchObject({
      status: 'closed',
      secretStored: false,
      deadLetter: null,
    });
  });

  it('ignores an event older than one already applied', () => {
    const lines = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      tenantEvent('tenant.delinquent', 'acme', { at: 2 }),
      tenantEvent('tenant.reinstated', 'acme', { at: 4 }),
      tenantEvent('tenant.delinquent', 'acme', { at: 3 }),
    );
    expect(only(lines, 'acme')).toMatchObject({ status: 'active', deadLetter: null });
  });

  it('does not bring back a churned tenant with a created event older than the churn', () => {
    const lines = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      tenantEvent('tenant.churned', 'acme', { at: 5 }),
      tenantEvent('tenant.created', 'acme', { at: 3 }),
    );
    expect(only(lines, 'acme')).toMatchObject({ status: 'closed', secretStored: false, subaccounts: 1 });
  });

  it('lets an applied no-op move the watermark, so an event older than it is stale', () => {
    const lines = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      tenantEvent('tenant.delinquent', 'acme', { at: 2 }),
      tenantEvent('tenant.delinquent', 'acme', { at: 6 }),
      tenantEvent('tenant.reinstated', 'acme', { at: 4 }),
    );
    expect(only(lines, 'acme')).toMatchObject({ status: 'suspended' });
  });

  it('leaves a churned tenant closed when it turns delinquent, without a dead letter', () => {
    const lines = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      tenantEvent('tenant.churned', 'acme', { at: 2 }),
      tenantEvent('tenant.delinquent', 'acme', { at: 3 }),
    );
    expect(only(lines, 'acme')).toMatchObject({ status: 'closed', deadLetter: null });
  });

  it('dead-letters a reinstatement after churn as an illegal transition', () => {
    const lines = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      tenantEvent('tenant.churned', 'acme', { at: 2 }),
      tenantEvent('tenant.reinstated', 'acme', { at: 3 }),
    );
    const expectations = expectTenantStates(lines);
    expect(expectations.tenants).toEqual([
      expect.objectContaining({ tenantId: 'acme', status: 'closed', deadLetter: ['ILLEGAL_TRANSITION'] }),
    ]);
    expect(expectations.deadLetters).toEqual([
      {
        lineNumber: 3,
        tenantId: 'acme',
        errorCode: 'ILLEGAL_TRANSITION',
        reason: 'closed subaccounts cannot be reopened',
      },
    ]);
  });

  it('dead-letters events of a tenant that was never created', () => {
    const expectations = expectTenantStates(fileOf(tenantEvent('tenant.delinquent', 'ghost', { at: 1 })));
    expect(expectations.tenants).toEqual([
      {
        tenantId: 'ghost',
        status: null,
        secretStored: false,
        deadLetter: ['UNKNOWN_TENANT'],
        subaccounts: 0,
      },
    ]);
    expect(expectations.deadLetters[0]).toMatchObject({ tenantId: 'ghost', errorCode: 'UNKNOWN_TENANT' });
    expect(expectations.deadLetters[0]?.reason).toContain('"ghost"');
  });

  it('dead-letters malformed lines: under their tenant when readable, else on their own', () => {
    const lines = fileOf(
      tenantEvent('tenant.created', 'acme', { at: 1 }),
      JSON.stringify({ ...tenantEvent('tenant.delinquent', 'acme', { at: 2 }), version: 2 }),
      'not json at all',
    );
    const expectations = expectTenantStates(lines);
    expect(expectations.tenants).toEqual([
      {
        tenantId: 'acme',
        status: 'active',
        secretStored: true,
        deadLetter: ['EVENT_SCHEMA_VIOLATION'],
        subaccounts: 1,
      },
    ]);
    expect(
      expectations.deadLetters.map(({ lineNumber, tenantId, errorCode }) => ({
        lineNumber,
        tenantId,
        errorCode,
      })),
    ).toEqual([
      { lineNumber: 2, tenantId: 'acme', errorCode: 'EVENT_SCHEMA_VIOLATION' },
      { lineNumber: 3, tenantId: undefined, errorCode: 'EVENT_INVALID_JSON' },
    ]);
  });

  it('keeps tenants apart and lists them in order of first appearance', () => {
    const lines = fileOf(
      tenantEvent('tenant.created', 'zeta', { at: 1 }),
      tenantEvent('tenant.created', 'alpha', { at: 2 }),
      tenantEvent('tenant.churned', 'zeta', { at: 3 }),
    );
    expect(expectTenantStates(lines).tenants.map(({ tenantId, status }) => [tenantId, status])).toEqual([
      ['zeta', 'closed'],
      ['alpha', 'active'],
    ]);
  });

  it('does not modify the lines it is given', () => {
    const lines = fileOf(tenantEvent('tenant.created', 'acme', { at: 1 }), 'broken');
    const before = structuredClone(lines);
    expectTenantStates(lines);
    expectTenantStates(lines);
    expect(lines).toEqual(before);
  });
});

describe('the bundled sample (examples/events.jsonl)', () => {
  const text = readFileSync(SAMPLE_EVENTS_FILE, 'utf8');
  const lines = parseEventLines(text);
  const expectations = expectTenantStates(lines);
  const tenant = (tenantId: string) => expectations.tenants.find((entry) => entry.tenantId === tenantId);

  it('covers about 25 tenants', () => {
    expect(expectations.tenants.length).toBeGreaterThanOrEqual(20);
    expect(expectations.tenants.length).toBeLessThanOrEqual(30);
  });

  it('holds a duplicate delivery: the same line twice', () => {
    const raws = text.split('\n').filter((line) => line.trim() !== '');
    expect(new Set(raws).size).toBeLessThan(raws.length);
  });

  it('holds an out-of-order event that ends up ignored', () => {
    const outOfOrder = lines.some((line, index) => {
      if (line.kind !== 'event') return false;
      return lines
        .slice(0, index)
        .some(
          (earlier) =>
            earlier.kind === 'event' &&
            earlier.event.tenantId === line.event.tenantId &&
            Date.parse(earlier.event.occurredAt) > Date.parse(line.event.occurredAt),
        );
    });
    expect(outOfOrder).toBe(true);
    expect(tenant('hooli')).toMatchObject({ status: 'active', deadLetter: null });
  });

  it('holds a returning customer', () => {
    expect(tenant('soylent')).toMatchObject({ status: 'active', secretStored: true, subaccounts: 2 });
  });

  it('holds malformed lines, an illegal transition and events of unknown tenants', () => {
    const codes = expectations.deadLetters.map((entry) => entry.errorCode);
    expect(codes).toEqual(
      expect.arrayContaining([
        'EVENT_INVALID_JSON',
        'EVENT_SCHEMA_VIOLATION',
        'ILLEGAL_TRANSITION',
        'UNKNOWN_TENANT',
      ]),
    );
    expect(tenant('wayne-ent')).toMatchObject({ status: 'closed', deadLetter: ['ILLEGAL_TRANSITION'] });
  });

  it('uses ISO timestamps with offsets and fixed event ids', () => {
    for (const line of lines) {
      if (line.kind !== 'event') continue;
      expect(line.event.occurredAt).toMatch(/(Z|[+-]\d{2}:\d{2})$/);
      expect(line.event.eventId).toMatch(/^evt-/);
    }
  });
});
