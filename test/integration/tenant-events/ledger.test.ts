/**
 * The tenant ledger under the adversary, with the real handler, real SDK clients and the local
 * cloud: concurrent invocations for one tenant (messages of one tenant in different FIFO groups,
 * as a producer with the wrong group, a redrive or a standard queue would deliver them), events
 * from the future, equal instants and sub-millisecond order, and a lost create answer combined
 * with a lagging FriendlyName list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantEvent } from '../../../shared/domain/event.ts';
import { createDynamoDbLedger } from '../../../shared/ledger/dynamodb-ledger.ts';
import type { OutgoingMessage } from '../../../shared/publishing/publisher.ts';
import { tenantEvent } from '../../helpers/events.ts';
import { type Pipeline, startPipeline } from '../../helpers/pipeline.ts';

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({
    functionTimeoutMs: 4_000,
    // One record per invocation and several environments: two messages of one tenant in two
    // groups run at the same time, in different execution environments.
    batchSize: 1,
    maxConcurrency: 6,
    maxReceiveCount: 10,
    env: { CREATE_SETTLE_SECONDS: '2' },
  });
}, 60_000);
afterAll(() => pipeline?.stop());

const ledger = () =>
  createDynamoDbLedger({
    client: pipeline.cloud.dynamodb.client,
    tableName: pipeline.cloud.dynamodb.tableName,
  });

/** A message of `event` in its own FIFO group, with its own deduplication id. */
const elsewhere = (event: TenantEvent, copy: string): OutgoingMessage => ({
  body: JSON.stringify(event),
  groupId: `${event.tenantId}.${copy}`,
  deduplicationId: `${event.eventId}.${copy}`,
});

/** The invariants every tenant must satisfy, whatever the interleaving. */
const expectInvariants = async (tenantId: string, expected: { status: string; watermarkOf: TenantEvent }) => {
  const accounts = pipeline.accountsOf(tenantId);
  const live = accounts.filter((account) => account.status !== 'closed');
  expect(live.length, `${tenantId}: live subaccounts`).toBeLessThanOrEqual(1);
  // No second subaccount ever existed, closed or not.
  expect(accounts, `${tenantId}: subaccounts ever created`).toHaveLength(1);
  expect(accounts[0]?.status, `${tenantId}: Twilio status`).toBe(expected.status);
  const entry = await ledger().read(tenantId);
  expect(entry?.state?.lifecycle, `${tenantId}: ledger lifecycle`).toBe(expected.status);
  expect(entry?.state?.accountSid).toBe(accounts[0]?.sid);
  expect(Date.parse(entry?.state?.watermark ?? '')).toBe(Date.parse(expected.watermarkOf.occurredAt));
  if (expected.status !== 'closed') {
    expect(await pipeline.secretOf(tenantId)).toMatchObject({
      accountSid: accounts[0]?.sid,
      authToken: accounts[0]?.auth_token,
    });
  } else {
    expect(await pipeline.secretOf(tenantId)).toBeUndefined();
  }
};

describe('concurrent invocations for one tenant', () => {
  const TENANTS = 6;
  const ids = (scenario: string) => Array.from({ length: TENANTS }, (_, i) => `${scenario}-${i}`);

  it('create exactly one subaccount for the same tenant.created delivered twice at once', async () => {
    pipeline.cloud.twilio.injectFault({ route: '*', fault: { kind: 'latency', ms: 60 } });
    const events = ids('same').map((tenantId) => tenantEvent('tenant.created', tenantId, { at: 1 }));
    await pipeline.publish(...events.flatMap((event) => [elsewhere(event, 'a'), elsewhere(event, 'b')]));
    await pipeline.drain();
    pipeline.cloud.twilio.clearFaults();
    for (const event of events)
      await expectInvariants(event.tenantId, { status: 'active', watermarkOf: event });
    const created = pipeline
      .outcomes()
      .filter((o) => String(o.tenantId).startsWith('same-') && o.outcome === 'created');
    expect(created).toHaveLength(TENANTS);
  });

  it('create exactly one subaccount for two different tenant.created at once', async () => {
    pipeline.cloud.twilio.injectFault({ route: '*', fault: { kind: 'latency', ms: 60 } });
    const pairs = ids('two').map((tenantId) => [
      tenantEvent('tenant.created', tenantId, { at: 1 }),
      tenantEvent('tenant.created', tenantId, { at: 2 }),
    ]);
    await pipeline.publish(...pairs.flatMap(([a, b]) => [elsewhere(a!, 'a'), elsewhere(b!, 'b')]));
    await pipeline.drain();
    pipeline.cloud.twilio.clearFaults();
    // Whichever ran first, the later one is applied (a no-op) or ignored as older: one subaccount.
    for (const [, later] of pairs)
      await expectInvariants(later!.tenantId, { status: 'active', watermarkOf: later! });
  });

  it('leave the state of the latest event for delinquent(t2) against reinstated(t3)', async () => {
    const tenants = ids('flip');
    await pipeline.publish(...tenants.map((tenantId) => tenantEvent('tenant.created', tenantId, { at: 1 })));
    await pipeline.drain();
    pipeline.cloud.twilio.injectFault({ route: 'update', fault: { kind: 'latency', ms: 80 } });
    const latest = tenants.map((tenantId) => tenantEvent('tenant.reinstated', tenantId, { at: 3 }));
    await pipeline.publish(
      ...tenants.flatMap((tenantId, i) => [
        elsewhere(tenantEvent('tenant.delinquent', tenantId, { at: 2 }), 'a'),
        elsewhere(latest[i]!, 'b'),
      ]),
    );
    await pipeline.drain();
    pipeline.cloud.twilio.clearFaults();
    for (const event of latest)
      await expectInvariants(event.tenantId, { status: 'active', watermarkOf: event });
  });

  it('close once for churned(t3) against reinstated(t2)', async () => {
    const tenants = ids('churn');
    await pipeline.publish(
      ...tenants.flatMap((tenantId) => [
        tenantEvent('tenant.created', tenantId, { at: 1 }),
        tenantEvent('tenant.delinquent', tenantId, { at: 2 }),
      ]),
    );
    await pipeline.drain();
    pipeline.cloud.twilio.injectFault({ route: 'update', fault: { kind: 'latency', ms: 80 } });
    const churns = tenants.map((tenantId) => tenantEvent('tenant.churned', tenantId, { at: 4 }));
    await pipeline.publish(
      ...tenants.flatMap((tenantId, i) => [
        elsewhere(tenantEvent('tenant.reinstated', tenantId, { at: 3 }), 'a'),
        elsewhere(churns[i]!, 'b'),
      ]),
    );
    await pipeline.drain();
    pipeline.cloud.twilio.clearFaults();
    for (const event of churns)
      await expectInvariants(event.tenantId, { status: 'closed', watermarkOf: event });
    // Whichever way the race went, nothing was dead-lettered: the older event was either applied
    // first or ignored as stale.
    const letters = await pipeline.takeDeadLetters();
    expect(letters.filter((letter) => letter.attributes.tenantId?.startsWith('churn-'))).toEqual([]);
  });
});

describe('order against the ledger', () => {
  it('dead-letters an event from the far future, and later real events still apply', async () => {
    await pipeline.publish(tenantEvent('tenant.created', 'future', { at: 1 }));
    await pipeline.drain();
    const frozen = { ...tenantEvent('tenant.delinquent', 'future'), occurredAt: '9999-12-31T00:00:00Z' };
    await pipeline.publish(frozen);
    await pipeline.drain();
    const [letter, ...more] = (await pipeline.takeDeadLetters()).filter(
      (l) => l.attributes.tenantId === 'future',
    );
    expect(more).toEqual([]);
    expect(letter?.attributes.errorCode).toBe('EVENT_FROM_FUTURE');
    expect(letter?.attributes.reason).toMatch(/more than the allowed clock skew of 300 s ahead of now/);
    expect(JSON.parse(letter?.body ?? '{}')).toEqual(frozen);
    const later = tenantEvent('tenant.delinquent', 'future', { at: 2 });
    await pipeline.publish(later);
    await pipeline.drain();
    expect(pipeline.accountsOf('future')[0]?.status).toBe('suspended');
  });

  it('applies two events at one instant in order, and a redelivery of the first is a replay', async () => {
    const at = '2026-11-01T00:10:00Z';
    const created = tenantEvent('tenant.created', 'instant', { at: 1 });
    const suspend = { ...tenantEvent('tenant.delinquent', 'instant'), eventId: 'instant-A', occurredAt: at };
    const reinstate = {
      ...tenantEvent('tenant.reinstated', 'instant'),
      eventId: 'instant-B',
      occurredAt: at,
    };
    await pipeline.publish(created, suspend, reinstate);
    await pipeline.drain();
    expect(pipeline.accountsOf('instant')[0]?.status).toBe('active');
    // A redrive, or a republish after the 5-minute deduplication window.
    await pipeline.publish(elsewhere(suspend, 'redrive'));
    await pipeline.drain();
    expect(pipeline.accountsOf('instant')[0]?.status).toBe('active');
    expect((await ledger().read('instant'))?.state?.appliedAtWatermark).toEqual(['instant-A', 'instant-B']);
  });

  it('orders events 800 ns apart', async () => {
    await pipeline.publish(tenantEvent('tenant.created', 'nanos', { at: 1 }));
    await pipeline.drain();
    const newer = { ...tenantEvent('tenant.delinquent', 'nanos'), occurredAt: '2026-11-01T00:10:00.0009Z' };
    const older = { ...tenantEvent('tenant.reinstated', 'nanos'), occurredAt: '2026-11-01T00:10:00.0001Z' };
    await pipeline.publish(newer, older);
    await pipeline.drain();
    expect(pipeline.accountsOf('nanos')[0]?.status).toBe('suspended');
    const ignored = pipeline.outcomes().find((o) => o.eventId === older.eventId);
    expect(ignored).toMatchObject({ outcome: 'ignored-stale' });
  });
});

describe('a create whose answer was lost, with a list that lags', () => {
  let lagging: Pipeline;
  beforeAll(async () => {
    // Redelivery every 4 s, a list that lags 5 s, a settle time of 6 s: the second delivery
    // sees no subaccount yet, and only the settle time keeps it from creating a second one.
    lagging = await startPipeline({
      functionTimeoutMs: 4_000,
      maxReceiveCount: 10,
      env: { CREATE_SETTLE_SECONDS: '6' },
      twilio: { listLag: { seconds: 5 } },
    });
  }, 60_000);
  afterAll(() => lagging?.stop());

  it('still makes exactly one subaccount', async () => {
    lagging.cloud.twilio.injectFault({ route: 'create', fault: { kind: 'reset-after' }, times: 1 });
    await lagging.publish(tenantEvent('tenant.created', 'lagging', { at: 1 }));
    await lagging.drain();
    const accounts = lagging.accountsOf('lagging');
    expect(accounts).toHaveLength(1);
    expect(await lagging.secretOf('lagging')).toMatchObject({
      accountSid: accounts[0]?.sid,
      authToken: accounts[0]?.auth_token,
    });
    const attempts = lagging.outcomes().filter((o) => o.tenantId === 'lagging');
    expect(attempts.map((o) => o.errorCode ?? o.outcome)).toEqual([
      'CREATE_UNRESOLVED',
      'CREATE_SETTLING',
      'created',
    ]);
  });
});
