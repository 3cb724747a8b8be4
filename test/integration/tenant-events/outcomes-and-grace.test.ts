/**
 * Outcome events and the grace period before close, with the real handler, the real SDK clients
 * and the local cloud (the EventBridge stand-in receives the outcomes).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbLedger } from '../../../shared/ledger/dynamodb-ledger.ts';
import { scanLedger } from '../../../shared/ledger/scan-ledger.ts';
import { sweepDueCloses } from '../../../shared/sweep/close-sweep.ts';
import { tenantEvent } from '../../helpers/events.ts';
import { type Pipeline, startPipeline } from '../../helpers/pipeline.ts';

/** Three seconds, as CHURN_GRACE_DAYS takes it. */
const GRACE_SECONDS = 3;
const GRACE_DAYS = String(GRACE_SECONDS / 86_400);

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({
    functionTimeoutMs: 3_000,
    maxReceiveCount: 10,
    env: { CHURN_GRACE_DAYS: GRACE_DAYS },
  });
}, 60_000);
afterAll(() => pipeline?.stop());
beforeEach(() => pipeline.cloud.eventbridge.faults.clear());

/** The outcome events the stand-in received for a tenant: [type, causing eventId]. */
const outcomesOf = (tenantId: string) =>
  pipeline.cloud.eventbridge
    .received()
    .filter((event) => (event.detail as { tenantId?: string }).tenantId === tenantId)
    .map((event) => [event.detailType, (event.detail as { causingEventId: string }).causingEventId]);

const ledgerState = async (tenantId: string) =>
  (
    await createDynamoDbLedger({
      client: pipeline.cloud.dynamodb.client,
      tableName: pipeline.cloud.dynamodb.tableName,
    }).read(tenantId)
  )?.state;

const sweep = async (now = new Date()) =>
  sweepDueCloses(
    await scanLedger(pipeline.cloud.dynamodb.client, pipeline.cloud.dynamodb.tableName),
    { sqs: pipeline.cloud.sqs.client, queueUrl: pipeline.cloud.sqs.queueUrl },
    now,
  );

// Events at real time, so the grace period's due time is real time too.
const now = (type: Parameters<typeof tenantEvent>[0], tenantId: string) => ({
  ...tenantEvent(type, tenantId),
  occurredAt: new Date().toISOString(),
});

describe('outcome events', () => {
  it('publishes one per applied change, on the default bus, with its detail and no token', async () => {
    const created = now('tenant.created', 'outcomes');
    const delinquent = now('tenant.delinquent', 'outcomes');
    const again = now('tenant.delinquent', 'outcomes');
    const reinstated = now('tenant.reinstated', 'outcomes');
    await pipeline.publish(created, delinquent, again, reinstated);
    await pipeline.drain();
    expect(outcomesOf('outcomes')).toEqual([
      ['tenant.provisioned', created.eventId],
      ['tenant.suspended', delinquent.eventId],
      ['tenant.reactivated', reinstated.eventId],
    ]);
    const [provisioned] = pipeline.cloud.eventbridge.received('default');
    expect(provisioned).toMatchObject({ source: 'subaccount-provisioner', busName: 'default' });
    const account = pipeline.accountsOf('outcomes')[0]!;
    expect(provisioned?.detail).toMatchObject({
      version: 1,
      tenantId: 'outcomes',
      accountSid: account.sid,
      secretName: 'tenants/outcomes',
      causingOccurredAt: created.occurredAt,
      status: 'active',
    });
    const everything = JSON.stringify(pipeline.cloud.eventbridge.received());
    for (const secret of pipeline.cloud.twilio.issuedSecrets()) expect(everything).not.toContain(secret);
  });

  it('leaves the record failed when the publish fails, and delivers the outcome on retry', async () => {
    pipeline.cloud.eventbridge.faults.failNext(6, 'internal-error');
    const created = now('tenant.created', 'publish-fails');
    await pipeline.publish(created);
    await pipeline.drain();
    const attempts = pipeline.outcomes().filter((o) => o.tenantId === 'publish-fails');
    expect(attempts[0]).toMatchObject({ outcome: 'retried', errorCode: 'OUTCOME_PUBLISH_FAILED' });
    expect(attempts.at(-1)).toMatchObject({ outcome: 'noop', note: 'replay of an applied event' });
    expect(outcomesOf('publish-fails')).toEqual([['tenant.provisioned', created.eventId]]);
    expect(pipeline.accountsOf('publish-fails')).toHaveLength(1);
  });

  it('repairs a crash between the commit and the publish on redelivery', async () => {
    // The publish hangs past the function timeout: the runner kills the environment, as Lambda would.
    pipeline.cloud.eventbridge.faults.inject({ fault: { kind: 'latency', ms: 8_000 }, times: 1 });
    const created = now('tenant.created', 'publish-crash');
    const timedOut = pipeline.runner.stats().timedOut;
    await pipeline.publish(created);
    await pipeline.drain();
    expect(pipeline.runner.stats().timedOut).toBeGreaterThan(timedOut);
    expect(outcomesOf('publish-crash')).toContainEqual(['tenant.provisioned', created.eventId]);
    expect(pipeline.accountsOf('publish-crash')).toHaveLength(1);
  });

  it('publishes tenant.event-rejected with the dead-letter code', async () => {
    const ghost = now('tenant.reinstated', 'ghost-outcome');
    await pipeline.publish(ghost);
    await pipeline.drain();
    const [rejected] = pipeline.cloud.eventbridge
      .received()
      .filter((e) => (e.detail as { causingEventId?: string }).causingEventId === ghost.eventId);
    expect(rejected?.detailType).toBe('tenant.event-rejected');
    expect(rejected?.detail).toMatchObject({ errorCode: 'UNKNOWN_TENANT', tenantId: 'ghost-outcome' });
    await pipeline.takeDeadLetters();
  });
});

describe(`a grace period of ${GRACE_SECONDS} s before close`, () => {
  it('suspends and schedules on churn; a reinstatement inside the window keeps the same subaccount', async () => {
    await pipeline.publish(now('tenant.created', 'grace-back'));
    await pipeline.drain();
    const sid = pipeline.accountsOf('grace-back')[0]!.sid;
    const churn = now('tenant.churned', 'grace-back');
    await pipeline.publish(churn);
    await pipeline.drain();
    expect(pipeline.accountsOf('grace-back')[0]?.status).toBe('suspended');
    const state = await ledgerState('grace-back');
    expect(Date.parse(state?.closeDueAt ?? '')).toBe(Date.parse(churn.occurredAt) + GRACE_SECONDS * 1000);
    expect(outcomesOf('grace-back').at(-1)).toEqual(['tenant.close-scheduled', churn.eventId]);

    await pipeline.publish(now('tenant.reinstated', 'grace-back'));
    await pipeline.drain();
    expect(pipeline.accountsOf('grace-back')).toEqual([expect.objectContaining({ sid, status: 'active' })]);
    expect((await ledgerState('grace-back'))?.closeDueAt).toBeUndefined();
    expect(await pipeline.secretOf('grace-back')).toMatchObject({ accountSid: sid });
    // The window passes: nothing is due.
    expect((await sweep(new Date(Date.now() + 60_000))).queued).not.toContain('grace-back');
  });

  it('closes once when the window passes, with a duplicate sweep, a second churn and a late event', async () => {
    await pipeline.publish(now('tenant.created', 'grace-close'));
    await pipeline.drain();
    await pipeline.publish(now('tenant.churned', 'grace-close'));
    await pipeline.drain();
    // Churned twice: still one scheduled close.
    const due = (await ledgerState('grace-close'))?.closeDueAt;
    await pipeline.publish(now('tenant.churned', 'grace-close'));
    await pipeline.drain();
    expect((await ledgerState('grace-close'))?.closeDueAt).toBe(due);
    expect((await sweep()).queued).not.toContain('grace-close');

    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 200));
    // Two sweeps at once and a delinquent arriving late: one close.
    const [first, second] = await Promise.all([sweep(), sweep()]);
    expect(first.queued).toContain('grace-close');
    expect(second.queued).toContain('grace-close');
    await pipeline.publish(now('tenant.delinquent', 'grace-close'));
    await pipeline.drain();
    expect(pipeline.accountsOf('grace-close')).toEqual([expect.objectContaining({ status: 'closed' })]);
    expect(await pipeline.secretOf('grace-close')).toBeUndefined();
    expect((await pipeline.describeSecret('grace-close')).DeletedDate).toBeInstanceOf(Date);
    expect(outcomesOf('grace-close').filter(([type]) => type === 'tenant.closed')).toHaveLength(1);
    expect(outcomesOf('grace-close').filter(([type]) => type === 'tenant.close-scheduled')).toHaveLength(1);
    // A later sweep has nothing left to do.
    expect((await sweep()).queued).not.toContain('grace-close');
  });
});
