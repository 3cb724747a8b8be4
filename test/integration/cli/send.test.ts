/** `tenants send` publishes a valid event with the FIFO ids every producer must use. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTenantEvent } from '../../../shared/domain/envelope.ts';
import { type CliCloud, drainQueue, runTenants, runTenantsProcess, startCliCloud } from './support.ts';

let cli: CliCloud;
beforeAll(async () => {
  cli = await startCliCloud();
});
afterAll(() => cli?.stop());

describe('tenants send', () => {
  it('puts the event on the queue with group = tenantId and deduplication id = eventId', async () => {
    const run = await runTenants(
      [
        'send',
        'created',
        'acme',
        '--name',
        'Acme Inc',
        '--event-id',
        'evt-acme-1',
        '--occurred-at',
        '2026-11-01T10:00:00+02:00',
      ],
      cli.env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [message, ...rest] = await drainQueue(cli.cloud.sqs.client, cli.cloud.sqs.queueUrl);
    expect(rest).toEqual([]);
    expect(message?.Attributes?.MessageGroupId).toBe('acme');
    expect(message?.Attributes?.MessageDeduplicationId).toBe('evt-acme-1');
    expect(run.stdout).toContain('eventId:   evt-acme-1');
    expect(run.stdout).toContain(`messageId: ${message?.MessageId}`);
    expect(parseTenantEvent(message?.Body ?? '').event).toEqual({
      type: 'tenant.created',
      tenantId: 'acme',
      tenantName: 'Acme Inc',
      eventId: 'evt-acme-1',
      occurredAt: '2026-11-01T10:00:00+02:00',
      version: 1,
    });
  });

  it('generates an event id and the current time when none is given', async () => {
    const before = Date.now();
    const run = await runTenants(['send', 'churned', 'globex', '--queue-url', cli.cloud.sqs.queueUrl], {
      ...cli.env,
      TENANT_EVENTS_QUEUE_URL: undefined,
    });
    expect(run.code).toBe(0);
    const [message] = await drainQueue(cli.cloud.sqs.client, cli.cloud.sqs.queueUrl);
    const { event } = parseTenantEvent(message?.Body ?? '');
    expect(event.type).toBe('tenant.churned');
    expect(run.stdout).toContain(`eventId:   ${event.eventId}`);
    expect(message?.Attributes?.MessageDeduplicationId).toBe(event.eventId);
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('takes every id real SQS takes: 128 characters, any ASCII letter, digit or punctuation', async () => {
    const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    const eventId = `${punctuation}${'Az09'.repeat(24)}`;
    expect(eventId).toHaveLength(128);
    const run = await runTenants(['send', 'created', `t.${'x'.repeat(46)}`, '--event-id', eventId], cli.env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [message] = await drainQueue(cli.cloud.sqs.client, cli.cloud.sqs.queueUrl);
    expect(message?.Attributes?.MessageDeduplicationId).toBe(eventId);
    expect(message?.Attributes?.MessageGroupId).toBe(`t.${'x'.repeat(46)}`);
  });

  it('works as a real executable', async () => {
    const run = await runTenantsProcess(
      ['send', 'delinquent', 'initech', '--event-id', 'evt-initech-9'],
      cli.env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [message] = await drainQueue(cli.cloud.sqs.client, cli.cloud.sqs.queueUrl);
    expect(message?.Attributes?.MessageGroupId).toBe('initech');
    expect(message?.Attributes?.MessageDeduplicationId).toBe('evt-initech-9');
  });

  it.each([
    [['send', 'created', 'bad tenant id'], /tenantId: must be 1\.\.48/],
    [['send', 'paused', 'acme'], /'paused' is invalid .*created, delinquent, reinstated, churned/],
    [['send', 'created', 'acme', '--occurred-at', 'yesterday'], /--occurred-at: must be an ISO-8601/],
    [['send', 'created', 'acme', '--event-id', 'has space'], /--event-id: must be 1\.\.128/],
    [['send', 'created', 'acme', '--event-id', 'x'.repeat(129)], /--event-id: must be 1\.\.128/],
    [['send', 'created', 'acme', '--event-id', 'caf\u00e9'], /--event-id: must be 1\.\.128/],
    [['send', 'created'], /missing required argument 'tenantId'/],
  ])('refuses %j with one line and exit 2, sending nothing', async (argv, message) => {
    const run = await runTenants(argv, cli.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^tenants: [^\n]+\n$/);
    expect(await drainQueue(cli.cloud.sqs.client, cli.cloud.sqs.queueUrl)).toEqual([]);
  });

  it('names the option and the variable when no queue URL is configured', async () => {
    const run = await runTenants(['send', 'created', 'acme'], {
      ...cli.env,
      TENANT_EVENTS_QUEUE_URL: undefined,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'tenants: invalid configuration: --queue-url (TENANT_EVENTS_QUEUE_URL): is required\n',
    );
  });

  it('reports an SQS failure on one line, without a stack', async () => {
    const run = await runTenants(['send', 'created', 'acme'], {
      ...cli.env,
      TENANT_EVENTS_QUEUE_URL: `${cli.cloud.sqs.url}/000000000000/no-such-queue.fifo`,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tenants: [^\n]*(SQS|SendMessageBatch|refused)[^\n]*\n$/);
  });
});
