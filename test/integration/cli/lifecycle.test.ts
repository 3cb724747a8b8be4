/**
 * `tenants close-now`, `cancel-close` and `rotate`: each publishes one ordinary event through the
 * send path (a new UUID, now, group = tenantId), which the real processor then applies like any
 * other: ordered, audited in the ledger and announced as an outcome event.
 */
import { randomUUID } from 'node:crypto';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTenantEvent } from '../../../shared/domain/envelope.ts';
import type { TenantEvent } from '../../../shared/domain/event.ts';
import { tenantEvent } from '../../helpers/events.ts';
import {
  applyEvents,
  type CliCloud,
  drainQueue,
  runTenants,
  runTenantsProcess,
  startCliCloud,
} from './support.ts';

/** A day of grace: every churn below stays closing until an operator acts. */
const GRACE = { CHURN_GRACE_DAYS: '1' };
const KEYS = { TENANT_CREDENTIALS: 'api-key' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let cli: CliCloud;
beforeAll(async () => {
  cli = await startCliCloud();
});
afterAll(() => cli?.stop());

/**
 * What an operator command put on the queue: the one message, its ids and the event. The message
 * is deleted, as the function would once applied, so its FIFO group is free for the next one.
 */
const published = async () => {
  const messages = await drainQueue(cli.cloud.sqs.client, cli.cloud.sqs.queueUrl);
  expect(messages).toHaveLength(1);
  const [message] = messages;
  await cli.cloud.sqs.client.send(
    new DeleteMessageCommand({ QueueUrl: cli.cloud.sqs.queueUrl, ReceiptHandle: message?.ReceiptHandle }),
  );
  return {
    message,
    event: parseTenantEvent(message?.Body ?? '').event as TenantEvent,
  };
};

const ledgerOf = async (tenantId: string) => {
  const run = await runTenants(['status', tenantId, '--json'], cli.env);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
};

const outcomesCausedBy = (eventId: string) =>
  cli.cloud.eventbridge
    .received()
    .filter((entry) => entry.detail.causingEventId === eventId)
    .map((entry) => entry.detailType);

const expectNoSecrets = (text: string) => {
  for (const secret of cli.cloud.twilio.issuedSecrets()) expect(text).not.toContain(secret);
};

const churnedInGrace = async (tenantId: string) => {
  await applyEvents(
    cli,
    [tenantEvent('tenant.created', tenantId, { at: 1 }), tenantEvent('tenant.churned', tenantId, { at: 2 })],
    GRACE,
  );
  expect((await ledgerOf(tenantId)).ledger.state).toBe('closing');
};

describe('tenants close-now', () => {
  it('publishes tenant.close-due with a new UUID, now, and group = tenantId; the processor closes the tenant', async () => {
    await churnedInGrace('acme');
    const before = Date.now();
    const run = await runTenants(['close-now', 'acme'], cli.env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const { message, event } = await published();
    expect(event).toMatchObject({ type: 'tenant.close-due', tenantId: 'acme', version: 1 });
    expect(event.eventId).toMatch(UUID);
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(message?.Attributes?.MessageGroupId).toBe('acme');
    expect(message?.Attributes?.MessageDeduplicationId).toBe(event.eventId);
    expect(run.stdout).toBe(
      `sent tenant.close-due for acme\neventId:   ${event.eventId}\nmessageId: ${message?.MessageId}\n`,
    );

    await applyEvents(cli, [event], GRACE);
    const status = await ledgerOf('acme');
    expect(status).toMatchObject({ twilioStatus: 'closed', secret: 'retired', ledger: { state: 'closed' } });
    expect(status.ledger.closeDueAt).toBeUndefined();
    expect(outcomesCausedBy(event.eventId)).toEqual(['tenant.closed']);
  });

  it('leaves a tenant that is not in a grace period as it is', async () => {
    await applyEvents(cli, [tenantEvent('tenant.created', 'steady', { at: 1 })]);
    expect((await runTenants(['close-now', 'steady'], cli.env)).code).toBe(0);
    const { event } = await published();
    await applyEvents(cli, [event]);
    expect(await ledgerOf('steady')).toMatchObject({ twilioStatus: 'active', ledger: { state: 'active' } });
    expect(outcomesCausedBy(event.eventId)).toEqual([]);
  });
});

describe('tenants cancel-close', () => {
  it('publishes tenant.reinstated; inside the grace period it reactivates the same subaccount', async () => {
    await churnedInGrace('globex');
    const sid = (await ledgerOf('globex')).accountSid;
    const run = await runTenants(['cancel-close', 'globex'], cli.env);
    expect(run.code).toBe(0);
    const { message, event } = await published();
    expect(event).toMatchObject({ type: 'tenant.reinstated', tenantId: 'globex' });
    expect(event.eventId).toMatch(UUID);
    expect(message?.Attributes?.MessageGroupId).toBe('globex');
    expect(run.stdout).toContain(`eventId:   ${event.eventId}`);
    expect(run.stdout).toContain(`messageId: ${message?.MessageId}`);

    await applyEvents(cli, [event], GRACE);
    const status = await ledgerOf('globex');
    expect(status).toMatchObject({
      accountSid: sid,
      twilioStatus: 'active',
      secret: 'stored',
      ledger: { state: 'active' },
    });
    expect(outcomesCausedBy(event.eventId)).toEqual(['tenant.reactivated']);
  });
});

describe('tenants rotate', () => {
  it('publishes tenant.credentials-rotation-requested; the processor stores a new key and deletes the old one', async () => {
    await applyEvents(cli, [tenantEvent('tenant.created', 'initech', { at: 1 })], KEYS);
    const before = await ledgerOf('initech');
    expect(before.apiKeySid).toMatch(/^SK[0-9a-f]{32}$/);

    const run = await runTenants(['rotate', 'initech'], cli.env);
    expect(run.code).toBe(0);
    const { message, event } = await published();
    expect(event).toMatchObject({ type: 'tenant.credentials-rotation-requested', tenantId: 'initech' });
    expect(message?.Attributes?.MessageGroupId).toBe('initech');
    expect(run.stdout).toContain(`sent tenant.credentials-rotation-requested for initech`);

    await applyEvents(cli, [event], KEYS);
    const after = await ledgerOf('initech');
    expect(after.apiKeySid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(after.apiKeySid).not.toBe(before.apiKeySid);
    expect(cli.cloud.twilio.keys(after.accountSid).map((key) => key.sid)).toEqual([after.apiKeySid]);
    expect(outcomesCausedBy(event.eventId)).toEqual(['tenant.credentials-rotated']);
    expectNoSecrets(run.stdout + JSON.stringify(after));
  });

  it('works as a real executable', async () => {
    const run = await runTenantsProcess(['rotate', 'initech'], cli.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { event } = await published();
    expect(event.type).toBe('tenant.credentials-rotation-requested');
  });
});

describe('the lifecycle commands refuse bad input before sending anything', () => {
  it.each([
    [['close-now', 'not valid!'], /invalid tenant\.close-due event: tenantId: must be 1\.\.48/],
    [['cancel-close', 'x'.repeat(49)], /invalid tenant\.reinstated event: tenantId: must be 1\.\.48/],
    [['rotate'], /missing required argument 'tenantId'/],
    [['close-now', 'acme', '--event-id', randomUUID()], /unknown option '--event-id'/],
  ])('%j exits 2 with one line', async (argv, message) => {
    const run = await runTenants(argv, cli.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^tenants: [^\n]+\n$/);
    expect(await drainQueue(cli.cloud.sqs.client, cli.cloud.sqs.queueUrl)).toEqual([]);
  });

  it('names the option and the variable when no queue URL is configured', async () => {
    const run = await runTenants(['close-now', 'acme'], { ...cli.env, TENANT_EVENTS_QUEUE_URL: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'tenants: invalid configuration: --queue-url (TENANT_EVENTS_QUEUE_URL): is required\n',
    );
  });

  it('sends close-due and rotation requests through `send` too', async () => {
    for (const type of ['close-due', 'credentials-rotation-requested']) {
      expect((await runTenants(['send', type, 'acme'], cli.env)).code).toBe(0);
      expect((await published()).event.type).toBe(`tenant.${type}`);
    }
  });
});
