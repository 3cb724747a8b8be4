import { beforeEach, describe, expect, it } from 'vitest';
import { readRecord } from '../../../../functions/tenant-events/batch.ts';
import type { DeadLetterReason, DeadLetterSender } from '../../../../functions/tenant-events/dead-letter.ts';
import type { RecordOutcome } from '../../../../functions/tenant-events/observer.ts';
import {
  createTenantEventProcessor,
  type TenantEventProcessor,
} from '../../../../functions/tenant-events/record-processor.ts';
import { createFriendlyNameCodec } from '../../../../shared/domain/friendly-name.ts';
import type { OutcomeEvent } from '../../../../shared/domain/outcome-event.ts';
import { OutcomePublishError } from '../../../../shared/outcomes/errors.ts';
import { tenantEvent } from '../../../helpers/events.ts';
import {
  type InMemoryLedger,
  type InMemoryVault,
  inMemoryGateway,
  inMemoryLedger,
  inMemoryVault,
} from '../../../helpers/in-memory-lifecycle.ts';
import { sqsRecord } from '../../../helpers/sqs-records.ts';

/** A record as the batch reads it, once. */
const read = (...args: Parameters<typeof sqsRecord>) => readRecord(sqsRecord(...args));

let outcomes: RecordOutcome[];
let deadLettered: DeadLetterReason[];
let deadLetter: DeadLetterSender;
let vault: InMemoryVault;
let ledger: InMemoryLedger;
let process: TenantEventProcessor;
let published: OutcomeEvent[];
/** The next publishes that fail, as EventBridge's answer would make them. */
let failPublishes: number;
const far = () => ({ deadline: Date.now() + 60_000, leaseExpiresAt: Date.now() + 70_000 });

beforeEach(() => {
  outcomes = [];
  deadLettered = [];
  vault = inMemoryVault();
  ledger = inMemoryLedger();
  deadLetter = { send: async (_record, why) => void deadLettered.push(why) };
  published = [];
  failPublishes = 0;
  process = createTenantEventProcessor({
    publisher: {
      publish: async (events) => {
        if (failPublishes > 0) {
          failPublishes -= 1;
          throw new OutcomePublishError(
            [{ index: 0, type: events[0]!.type, errorCode: 'InternalFailure' }],
            events.length,
          );
        }
        published.push(...events);
      },
    },
    lifecycle: {
      gateway: inMemoryGateway(),
      vault,
      ledger,
      friendlyNames: createFriendlyNameCodec(),
      recoveryWindowDays: 30,
      createSettleMs: 60_000,
      maxClockSkewMs: 300_000,
    },
    deadLetter: { send: (record, why) => deadLetter.send(record, why) },
    observer: { record: (outcome) => void outcomes.push(outcome) },
  });
});

describe('the tenant-event record processor', () => {
  it('applies a valid event and reports one outcome line', async () => {
    const event = tenantEvent('tenant.created', 'acme');
    expect(await process(read(event, { receiveCount: 2 }), far())).toBe('done');
    expect(outcomes).toEqual([
      expect.objectContaining({
        tenantId: 'acme',
        eventId: event.eventId,
        type: 'tenant.created',
        outcome: 'created',
        attempt: 2,
      }),
    ]);
    expect(outcomes[0]?.accountSid).toMatch(/^AC/);
  });

  it('dead-letters a malformed message with its reason and acknowledges it', async () => {
    expect(await process(read('{not json'), far())).toBe('done');
    expect(deadLettered).toEqual([
      { code: 'EVENT_INVALID_JSON', reason: 'message body is not valid JSON', tenantId: undefined },
    ]);
    expect(outcomes[0]).toMatchObject({ outcome: 'dead-lettered', errorCode: 'EVENT_INVALID_JSON' });
  });

  it('dead-letters an illegal transition under its tenant', async () => {
    expect(await process(read(tenantEvent('tenant.reinstated', 'ghost')), far())).toBe('done');
    expect(deadLettered[0]).toMatchObject({ code: 'UNKNOWN_TENANT', tenantId: 'ghost' });
  });

  it('hands a retryable failure back to SQS without dead-lettering it', async () => {
    ledger.acquire = async () => {
      throw Object.assign(new Error('throttled'), { retryable: true });
    };
    expect(await process(read(tenantEvent('tenant.created', 'acme')), far())).toBe('retry');
    expect(deadLettered).toEqual([]);
    expect(outcomes[0]).toMatchObject({ outcome: 'retried', errorCode: 'UNEXPECTED' });
  });

  it('retries a permanent failure whose dead-lettering failed, so nothing is lost', async () => {
    deadLetter = {
      send: async () => {
        throw new Error('SQS down');
      },
    };
    expect(await process(read('{not json'), far())).toBe('retry');
    expect(outcomes[0]).toMatchObject({ outcome: 'retried' });
  });

  it('reports a tenant whose lease another invocation holds as busy, and retries it', async () => {
    await ledger.acquire('acme', 'another-invocation', Date.now() + 60_000, Date.now());
    expect(await process(read(tenantEvent('tenant.created', 'acme')), far())).toBe('retry');
    expect(deadLettered).toEqual([]);
    expect(outcomes[0]).toMatchObject({ outcome: 'busy', errorCode: 'TENANT_BUSY', tenantId: 'acme' });
  });

  it('dead-letters an event from the future with EVENT_FROM_FUTURE and its reason', async () => {
    const event = { ...tenantEvent('tenant.delinquent', 'acme'), occurredAt: '9999-12-31T00:00:00Z' };
    expect(await process(read(event), far())).toBe('done');
    expect(deadLettered[0]).toMatchObject({ code: 'EVENT_FROM_FUTURE', tenantId: 'acme' });
    expect(deadLettered[0]?.reason).toMatch(/more than the allowed clock skew of 300 s ahead of now/);
    expect(ledger.items.size).toBe(0);
  });

  it('does not start a record past the deadline', async () => {
    const past = { deadline: Date.now() - 1, leaseExpiresAt: Date.now() + 10_000 };
    expect(await process(read(tenantEvent('tenant.created', 'acme')), past)).toBe('retry');
    expect(outcomes[0]).toMatchObject({ outcome: 'retried', errorCode: 'DEADLINE_EXCEEDED' });
    expect(vault.calls).toEqual([]);
  });
});

describe('outcome events', () => {
  it('publishes one per applied change, with its detail and never a token', async () => {
    const created = tenantEvent('tenant.created', 'acme', { at: 1 });
    const suspended = tenantEvent('tenant.delinquent', 'acme', { at: 2 });
    const again = tenantEvent('tenant.delinquent', 'acme', { at: 3 });
    for (const event of [created, suspended, again]) expect(await process(read(event), far())).toBe('done');
    expect(published.map((o) => [o.type, o.causingEventId])).toEqual([
      ['tenant.provisioned', created.eventId],
      ['tenant.suspended', suspended.eventId],
    ]);
    const sid = vault.secrets.get('acme')!.credentials.accountSid;
    expect(published[0]).toMatchObject({
      tenantId: 'acme',
      accountSid: sid,
      secretName: 'tenants/acme',
      causingOccurredAt: created.occurredAt,
      status: 'active',
    });
    const token = vault.secrets.get('acme')!.credentials.authToken!;
    expect(JSON.stringify(published)).not.toContain(token);
  });

  it('hands the record back when the publish fails, and its redelivery publishes it again', async () => {
    const created = tenantEvent('tenant.created', 'acme', { at: 1 });
    failPublishes = 1;
    expect(await process(read(created), far())).toBe('retry');
    expect(outcomes.at(-1)).toMatchObject({ outcome: 'retried', errorCode: 'OUTCOME_PUBLISH_FAILED' });
    // The change itself is committed: the redelivery is a replay, and republishes.
    expect(ledger.items.get('acme')?.entry.state?.lifecycle).toBe('active');
    expect(await process(read(created, { receiveCount: 2 }), far())).toBe('done');
    expect(published.map((o) => [o.type, o.causingEventId])).toEqual([
      ['tenant.provisioned', created.eventId],
    ]);
  });

  it('publishes nothing for a no-op, a replay of a no-op, or a stale event', async () => {
    await process(read(tenantEvent('tenant.created', 'acme', { at: 1 })), far());
    const noop = tenantEvent('tenant.reinstated', 'acme', { at: 2 });
    await process(read(noop), far());
    await process(read(noop), far());
    await process(read(tenantEvent('tenant.delinquent', 'acme', { at: 1 })), far());
    expect(published.map((o) => o.type)).toEqual(['tenant.provisioned']);
  });

  it('publishes tenant.event-rejected with the dead-letter code and reason', async () => {
    const event = tenantEvent('tenant.reinstated', 'ghost');
    expect(await process(read(event), far())).toBe('done');
    expect(published).toEqual([
      expect.objectContaining({
        type: 'tenant.event-rejected',
        tenantId: 'ghost',
        causingEventId: event.eventId,
        errorCode: 'UNKNOWN_TENANT',
        reason: expect.stringContaining('has no subaccount'),
      }),
    ]);
  });
});
