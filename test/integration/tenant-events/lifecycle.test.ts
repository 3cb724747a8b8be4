import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantEvent } from '../../helpers/events.ts';
import { type Pipeline, startPipeline } from '../../helpers/pipeline.ts';

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
}, 60_000);
afterAll(() => pipeline?.stop());

/**
 * The outcome of each message of a tenant, in order. A message can be processed more than once
 * (an invocation that outlives its timeout on a loaded machine is redelivered); its first
 * final outcome is what counts, and the redelivery must itself be a harmless replay.
 */
const outcomesOf = (tenantId: string) => {
  const entries = pipeline.outcomes().filter((entry) => entry.tenantId === tenantId);
  const final = entries.filter((entry) => entry.outcome !== 'retried' && entry.outcome !== 'skipped');
  const first = new Map<unknown, Record<string, unknown>>();
  for (const entry of final) if (!first.has(entry.messageId)) first.set(entry.messageId, entry);
  const redeliveries = final.filter((entry) => first.get(entry.messageId) !== entry);
  expect(redeliveries.filter((entry) => !['noop', 'ignored-stale'].includes(String(entry.outcome)))).toEqual(
    [],
  );
  return [...first.values()];
};

describe('the tenant-events function, through the local event source', () => {
  it('creates a subaccount and stores its credentials, tagged, under the prefix', async () => {
    const event = tenantEvent('tenant.created', 'acme', { tenantName: 'Acme' });
    await pipeline.publish(event);
    await pipeline.drain();

    const [account, ...others] = pipeline.accountsOf('acme');
    expect(others).toEqual([]);
    expect(account?.status).toBe('active');
    const secret = await pipeline.secretOf('acme');
    expect(secret).toMatchObject({
      tenantId: 'acme',
      accountSid: account?.sid,
      authToken: account?.auth_token,
      friendlyName: 'tenant:acme',
      provisionedByEventId: event.eventId,
    });
    const described = await pipeline.describeSecret('acme');
    expect(described.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'tenant-id', Value: 'acme' },
        { Key: 'account-sid', Value: account?.sid },
        { Key: 'lifecycle', Value: 'active' },
        { Key: 'last-event-id', Value: event.eventId },
      ]),
    );
    expect(outcomesOf('acme')).toEqual([
      expect.objectContaining({
        outcome: 'created',
        eventId: event.eventId,
        type: 'tenant.created',
        accountSid: account?.sid,
        attempt: 1,
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it('suspends, reactivates, then closes and retires the secret for the recovery window', async () => {
    await pipeline.publish(
      tenantEvent('tenant.created', 'globex', { at: 1 }),
      tenantEvent('tenant.delinquent', 'globex', { at: 2 }),
    );
    await pipeline.drain();
    expect(pipeline.accountsOf('globex')[0]?.status).toBe('suspended');

    await pipeline.publish(tenantEvent('tenant.reinstated', 'globex', { at: 3 }));
    await pipeline.drain();
    expect(pipeline.accountsOf('globex')[0]?.status).toBe('active');

    const before = Date.now();
    await pipeline.publish(tenantEvent('tenant.churned', 'globex', { at: 4 }));
    await pipeline.drain();
    expect(pipeline.accountsOf('globex')[0]?.status).toBe('closed');
    expect(await pipeline.secretOf('globex')).toBeUndefined();
    const described = await pipeline.describeSecret('globex');
    expect(described.DeletedDate).toBeInstanceOf(Date);
    expect(described.Tags).toEqual(expect.arrayContaining([{ Key: 'lifecycle', Value: 'closed' }]));
    expect(described.DeletedDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(outcomesOf('globex').map((entry) => entry.outcome)).toEqual([
      'created',
      'suspended',
      'reactivated',
      'closed',
    ]);
  });

  it('treats replays and duplicate deliveries as no-ops', async () => {
    const created = tenantEvent('tenant.created', 'initech', { at: 1 });
    const churned = tenantEvent('tenant.churned', 'initech', { at: 2 });
    await pipeline.publish(created, { ...created });
    await pipeline.drain();
    // The same events again under new message ids, as a producer retry or a redrive would send them.
    const again = (event: typeof created, n: number) => ({
      body: JSON.stringify(event),
      groupId: event.tenantId,
      deduplicationId: `${event.eventId}#${n}`,
    });
    await pipeline.publish(again(created, 1), churned, again(churned, 1));
    await pipeline.drain();
    expect(pipeline.accountsOf('initech')).toHaveLength(1);
    expect(outcomesOf('initech').map((entry) => entry.outcome)).toEqual([
      'created',
      'noop',
      'closed',
      'noop',
    ]);
  });

  it('ignores an event older than the last one applied, whatever the delivery order', async () => {
    await pipeline.publish(
      tenantEvent('tenant.created', 'umbrella', { at: 1 }),
      tenantEvent('tenant.delinquent', 'umbrella', { at: 2 }),
      tenantEvent('tenant.reinstated', 'umbrella', { at: 4 }),
      tenantEvent('tenant.delinquent', 'umbrella', { at: 3 }),
    );
    await pipeline.drain();
    expect(pipeline.accountsOf('umbrella')[0]?.status).toBe('active');
    expect(outcomesOf('umbrella').map((entry) => entry.outcome)).toEqual([
      'created',
      'suspended',
      'reactivated',
      'ignored-stale',
    ]);
  });

  it('gives a returning customer a fresh subaccount and its secret back', async () => {
    await pipeline.publish(
      tenantEvent('tenant.created', 'hooli', { at: 1 }),
      tenantEvent('tenant.churned', 'hooli', { at: 2 }),
      tenantEvent('tenant.created', 'hooli', { at: 3 }),
    );
    await pipeline.drain();
    const accounts = pipeline.accountsOf('hooli');
    expect(accounts.map((account) => account.status).sort()).toEqual(['active', 'closed']);
    const live = accounts.find((account) => account.status === 'active');
    expect(await pipeline.secretOf('hooli')).toMatchObject({
      accountSid: live?.sid,
      authToken: live?.auth_token,
    });
    expect((await pipeline.describeSecret('hooli')).DeletedDate).toBeUndefined();
  });

  it('accepts events wrapped by EventBridge and SNS', async () => {
    const { type, ...detail } = tenantEvent('tenant.created', 'eb-tenant');
    const viaSns = tenantEvent('tenant.created', 'sns-tenant');
    await pipeline.publish(
      {
        body: JSON.stringify({ 'detail-type': type, source: 'billing', detail }),
        groupId: 'eb-tenant',
        deduplicationId: 'eb-1',
      },
      {
        body: JSON.stringify({
          Type: 'Notification',
          MessageId: 'n-1',
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:tenants',
          Message: JSON.stringify(viaSns),
        }),
        groupId: 'sns-tenant',
        deduplicationId: 'sns-1',
      },
    );
    await pipeline.drain();
    expect(pipeline.accountsOf('eb-tenant')).toHaveLength(1);
    expect(pipeline.accountsOf('sns-tenant')).toHaveLength(1);
  });

  it('dead-letters poison messages with their reason, and the tenant carries on', async () => {
    await pipeline.takeDeadLetters();
    const created = tenantEvent('tenant.created', 'wayne', { at: 1 });
    await pipeline.publish(
      { body: '{"type": "tenant.created", ', groupId: 'wayne', deduplicationId: 'bad-json' },
      { body: JSON.stringify({ ...created, version: 7 }), groupId: 'wayne', deduplicationId: 'bad-schema' },
      created,
      tenantEvent('tenant.churned', 'wayne', { at: 2 }),
      tenantEvent('tenant.reinstated', 'wayne', { at: 3 }),
      tenantEvent('tenant.delinquent', 'nobody-here', { at: 1 }),
    );
    await pipeline.drain();
    expect(pipeline.accountsOf('wayne').map((account) => account.status)).toEqual(['closed']);
    const letters = await pipeline.takeDeadLetters();
    const byCode = Object.fromEntries(letters.map((letter) => [letter.attributes.errorCode, letter]));
    expect(Object.keys(byCode).sort()).toEqual([
      'EVENT_INVALID_JSON',
      'EVENT_SCHEMA_VIOLATION',
      'ILLEGAL_TRANSITION',
      'UNKNOWN_TENANT',
    ]);
    expect(byCode.EVENT_INVALID_JSON?.body).toBe('{"type": "tenant.created", ');
    expect(byCode.EVENT_SCHEMA_VIOLATION?.attributes.reason).toMatch(/^invalid tenant event: version:/);
    expect(byCode.ILLEGAL_TRANSITION?.attributes).toMatchObject({
      reason: 'closed subaccounts cannot be reopened',
      tenantId: 'wayne',
      receiveCount: '1',
    });
    expect(byCode.UNKNOWN_TENANT?.attributes.originalMessageId).toMatch(/.+/);
  });

  it('never writes an auth token to a log line', () => {
    const tokens = pipeline.cloud.twilio.issuedAuthTokens();
    expect(tokens.length).toBeGreaterThan(5);
    expect(pipeline.logs.length).toBeGreaterThan(20);
    const leaks = pipeline.logs.filter((line) => tokens.some((token) => line.includes(token)));
    expect(leaks).toEqual([]);
  });
});
