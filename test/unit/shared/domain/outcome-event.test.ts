import { describe, expect, it } from 'vitest';
import { putEventsEntrySize as standInEntrySize } from '../../../../local/eventbridge/index.ts';
import {
  type AppliedOutcome,
  buildOutcomeEvent,
  buildRejectedOutcome,
  type CausingEvent,
  InvalidOutcomeError,
  MAX_REASON_LENGTH,
  messageCauseId,
  OUTCOME_FIELDS,
  OUTCOME_SOURCE,
  type OutcomeEvent,
  parseOutcomeEvent,
} from '../../../../shared/domain/outcome-event.ts';
import type { Subaccount, TenantCredentials } from '../../../../shared/domain/ports.ts';
import {
  outcomeDetail,
  outcomeEntry,
  PUT_EVENTS_MAX_REQUEST_BYTES,
  putEventsEntrySize,
} from '../../../../shared/outcomes/eventbridge-publisher.ts';
import { tenantEvent } from '../../../helpers/events.ts';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'tok_0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const at = new Date('2026-11-27T09:00:01.250Z');

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

/** Objects as the use case holds them, each with the tenant's auth token somewhere inside. */
const leaky = () => {
  const event = tenantEvent('tenant.created', 'acme', { tenantName: 'Acme' });
  const subaccount: Subaccount = {
    sid: SID,
    friendlyName: 'tenant:acme',
    status: 'active',
    authToken: TOKEN,
    dateCreated: at,
  };
  const credentials: TenantCredentials = {
    tenantId: 'acme',
    accountSid: SID,
    authToken: TOKEN,
    friendlyName: 'tenant:acme',
    provisionedAt: at.toISOString(),
    provisionedByEventId: event.eventId,
  };
  // A careless caller: the causing event and the facts carry the token as extra properties.
  const cause = { ...event, authToken: TOKEN, credentials } as CausingEvent;
  return { event, subaccount, credentials, cause };
};

describe('buildOutcomeEvent', () => {
  it('builds the outcome of an applied event from the causing event, with the status of its type', () => {
    const event = tenantEvent('tenant.created', 'acme');
    expect(
      buildOutcomeEvent(
        event,
        { type: 'tenant.provisioned', accountSid: SID, secretName: 'tenants/acme' },
        at,
      ),
    ).toEqual({
      version: 1,
      type: 'tenant.provisioned',
      tenantId: 'acme',
      accountSid: SID,
      secretName: 'tenants/acme',
      causingEventId: event.eventId,
      causingOccurredAt: event.occurredAt,
      status: 'active',
      publishedAt: '2026-11-27T09:00:01.250Z',
    });
    const statuses = (['tenant.suspended', 'tenant.reactivated', 'tenant.closed'] as const).map(
      (type) => buildOutcomeEvent(event, { type, accountSid: SID }, at).status,
    );
    expect(statuses).toEqual(['suspended', 'active', 'closed']);
  });

  it('keeps the causing occurredAt exactly as it was sent, offset and digits included', () => {
    const event = {
      ...tenantEvent('tenant.delinquent', 'acme'),
      occurredAt: '2026-12-27T09:00:00.000900+01:00',
    };
    expect(
      buildOutcomeEvent(event, { type: 'tenant.suspended', accountSid: SID }, at).causingOccurredAt,
    ).toBe('2026-12-27T09:00:00.000900+01:00');
  });

  it('gives closeDueAt only to close-scheduled, and an optional status to it and credentials-rotated', () => {
    const event = tenantEvent('tenant.churned', 'acme');
    const scheduled = buildOutcomeEvent(
      event,
      { type: 'tenant.close-scheduled', accountSid: SID, closeDueAt: new Date('2027-01-01T00:00:00Z') },
      at,
    );
    expect(scheduled).toMatchObject({ closeDueAt: '2027-01-01T00:00:00.000Z' });
    expect(scheduled).not.toHaveProperty('status');
    const rotated = buildOutcomeEvent(
      event,
      {
        type: 'tenant.credentials-rotated',
        accountSid: SID,
        secretName: 'tenants/acme',
        status: 'suspended',
      },
      at,
    );
    expect(rotated).toMatchObject({ status: 'suspended' });
    expect(rotated).not.toHaveProperty('closeDueAt');
    // A stray closeDueAt on another type is not copied.
    const closed = buildOutcomeEvent(
      event,
      { type: 'tenant.closed', accountSid: SID, closeDueAt: at } as AppliedOutcome,
      at,
    );
    expect(closed).not.toHaveProperty('closeDueAt');
  });

  it('copies only the listed fields: a token in any object passed in goes nowhere', () => {
    const { cause, subaccount, credentials } = leaky();
    const facts = {
      ...subaccount,
      ...credentials,
      type: 'tenant.provisioned',
      accountSid: subaccount.sid,
      secretName: 'tenants/acme',
    } as AppliedOutcome;
    const outcome = buildOutcomeEvent(cause, facts, at);
    expect(Object.keys(outcome).every((key) => (OUTCOME_FIELDS as readonly string[]).includes(key))).toBe(
      true,
    );
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
    const entry = outcomeEntry({ ...outcome, authToken: TOKEN } as unknown as OutcomeEvent, {
      eventBusName: 'default',
    });
    expect(JSON.stringify(entry)).not.toContain(TOKEN);
    expect(JSON.parse(entry.Detail!)).toEqual(outcome);
  });

  it('throws a permanent InvalidOutcomeError naming the fields, never their values', () => {
    const event = tenantEvent('tenant.created', 'acme');
    const error = thrown(() =>
      buildOutcomeEvent(
        event,
        { type: 'tenant.provisioned', accountSid: TOKEN, secretName: 'has space' },
        at,
      ),
    );
    expect(error).toBeInstanceOf(InvalidOutcomeError);
    expect(error).toMatchObject({
      code: 'OUTCOME_INVALID',
      retryable: false,
      context: { outcomeType: 'tenant.provisioned', fields: ['accountSid', 'secretName'] },
    });
    expect(JSON.stringify((error as InvalidOutcomeError).toJSON())).not.toContain(TOKEN);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(() =>
      buildOutcomeEvent(
        event,
        { type: 'tenant.close-scheduled', accountSid: SID, closeDueAt: new Date(Number.NaN) },
        at,
      ),
    ).toThrow(InvalidOutcomeError);
    expect(() => buildOutcomeEvent(event, { type: 'tenant.closed', accountSid: SID }, new Date('x'))).toThrow(
      /publishedAt/,
    );
  });
});

describe('buildRejectedOutcome', () => {
  it('carries the dead-letter code and reason, and what could be read of the input', () => {
    const event = tenantEvent('tenant.reinstated', 'acme');
    expect(
      buildRejectedOutcome(
        { messageId: 'm-1', ...event, accountSid: SID, status: 'closed' },
        { errorCode: 'ILLEGAL_TRANSITION', reason: 'closed subaccounts cannot be reopened' },
        at,
      ),
    ).toEqual({
      version: 1,
      type: 'tenant.event-rejected',
      tenantId: 'acme',
      accountSid: SID,
      causingEventId: event.eventId,
      causingOccurredAt: event.occurredAt,
      status: 'closed',
      errorCode: 'ILLEGAL_TRANSITION',
      reason: 'closed subaccounts cannot be reopened',
      publishedAt: at.toISOString(),
    });
  });

  it('leaves out what breaks the contract, and stands for an unreadable eventId by the SQS message id', () => {
    const outcome = buildRejectedOutcome(
      {
        messageId: '0e3c5d2a-8f1b',
        tenantId: 'bad id',
        eventId: '',
        occurredAt: 'yesterday',
        status: 'gone',
      },
      { errorCode: 'EVENT_SCHEMA_VIOLATION', reason: 'tenantId: must be 1..48 characters' },
      at,
    );
    expect(outcome).toEqual({
      version: 1,
      type: 'tenant.event-rejected',
      causingEventId: 'sqs-message:0e3c5d2a-8f1b',
      errorCode: 'EVENT_SCHEMA_VIOLATION',
      reason: 'tenantId: must be 1..48 characters',
      publishedAt: at.toISOString(),
    });
    expect(buildRejectedOutcome({ messageId: '0e3c5d2a-8f1b' }, outcome, at).causingEventId).toBe(
      outcome.causingEventId,
    );
    expect(messageCauseId('a message id with spaces')).toMatch(/^sqs-message:sha256:[0-9a-f]{64}$/);
    expect(messageCauseId('x'.repeat(200))).toMatch(/^sqs-message:sha256:/);
  });

  it('cuts a long reason to the limit without splitting a character, and fills an empty one', () => {
    const long = buildRejectedOutcome(
      { messageId: 'm' },
      { errorCode: 'UNEXPECTED', reason: `${'x'.repeat(MAX_REASON_LENGTH - 2)}😀😀😀` },
      at,
    );
    expect(long.reason.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
    expect(long.reason.endsWith('…')).toBe(true);
    expect(long.reason).not.toMatch(/[\uD800-\uDBFF]…$/);
    expect(buildRejectedOutcome({ messageId: 'm' }, { errorCode: 'UNEXPECTED', reason: '' }, at).reason).toBe(
      '(no reason given)',
    );
  });

  it('refuses an errorCode that is not a code', () => {
    expect(() =>
      buildRejectedOutcome({ messageId: 'm' }, { errorCode: 'no such thing', reason: 'r' }, at),
    ).toThrow(InvalidOutcomeError);
  });

  it('never copies a token from the input it was given', () => {
    const { cause } = leaky();
    const outcome = buildRejectedOutcome(
      { messageId: 'm', ...cause } as never,
      { errorCode: 'UNKNOWN_TENANT', reason: 'no subaccount', authToken: TOKEN } as never,
      at,
    );
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  });
});

describe('parseOutcomeEvent', () => {
  it('drops unknown keys before checking, so a token cannot pass through it either', () => {
    const event = tenantEvent('tenant.churned', 'acme');
    const outcome = buildOutcomeEvent(event, { type: 'tenant.closed', accountSid: SID }, at);
    expect(parseOutcomeEvent({ ...outcome, authToken: TOKEN })).toEqual(outcome);
    expect(() => parseOutcomeEvent('tenant.closed')).toThrow(/of no known type/);
    expect(() => parseOutcomeEvent({ ...outcome, type: TOKEN })).toThrow(InvalidOutcomeError);
    expect(thrown(() => parseOutcomeEvent({ ...outcome, type: TOKEN }))).not.toHaveProperty(
      'message',
      expect.stringContaining(TOKEN),
    );
  });
});

describe('the PutEvents entry of an outcome', () => {
  const event = tenantEvent('tenant.created', 'acme');
  const outcome = buildOutcomeEvent(
    event,
    { type: 'tenant.provisioned', accountSid: SID, secretName: 'tenants/acme' },
    at,
  );

  it('has Source = the service, DetailType = the type, Time = publishedAt, Detail = the outcome', () => {
    const entry = outcomeEntry(outcome, { eventBusName: 'tenant-outcomes' });
    expect(entry).toEqual({
      EventBusName: 'tenant-outcomes',
      Source: OUTCOME_SOURCE,
      DetailType: 'tenant.provisioned',
      Detail: outcomeDetail(outcome),
      Time: at,
    });
    expect(OUTCOME_SOURCE).toBe('subaccount-provisioner');
    expect(Object.keys(JSON.parse(entry.Detail!))).toEqual(
      OUTCOME_FIELDS.filter((field) => field in outcome),
    );
    expect(outcomeEntry(outcome, { eventBusName: 'b', source: 'custom.source' }).Source).toBe(
      'custom.source',
    );
  });

  it('is sized as AWS documents it, and even the largest outcome is far below the limit', () => {
    const entry = outcomeEntry(outcome, { eventBusName: 'default' });
    expect(putEventsEntrySize(entry)).toBe(standInEntrySize(entry));
    const largest = buildRejectedOutcome(
      {
        messageId: 'm',
        tenantId: 'a'.repeat(48),
        eventId: '~'.repeat(128),
        occurredAt: '2026-11-27T09:00:00.123456789+01:00',
        accountSid: SID,
        secretName: `${'p'.repeat(463)}/${'a'.repeat(48)}`,
        status: 'suspended',
      },
      { errorCode: `E${'_'.repeat(63)}`, reason: '\u0001'.repeat(5000) },
      at,
    );
    const size = putEventsEntrySize(outcomeEntry(largest, { eventBusName: 'default' }));
    expect(size).toBeLessThan(8 * 1024);
    expect(10 * size).toBeLessThan(PUT_EVENTS_MAX_REQUEST_BYTES / 4);
  });
});
