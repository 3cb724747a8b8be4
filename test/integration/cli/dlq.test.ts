/** `tenants dlq list` shows without consuming; `tenants dlq redrive` moves messages back. */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeadLetterSender } from '../../../shared/processing/dead-letter.ts';
import { tenantEvent } from '../../helpers/events.ts';
import { sqsRecord } from '../../helpers/sqs-records.ts';
import { type CliCloud, drainQueue, runTenants, runTenantsProcess, startCliCloud } from './support.ts';

let cli: CliCloud | undefined;
const cloud = () => {
  if (cli === undefined) throw new Error('no local cloud');
  return cli;
};

beforeEach(async () => {
  await cli?.stop();
  cli = await startCliCloud();
});
afterAll(() => cli?.stop());

/** Dead-letters a record exactly as the function does. */
const deadLetter = async (tenantId: string, code: string, reason: string, receiveCount = 1) => {
  const record = sqsRecord(tenantEvent('tenant.created', tenantId), { groupId: tenantId, receiveCount });
  await createDeadLetterSender({ sqs: cloud().cloud.sqs.client, queueUrl: cloud().cloud.sqs.dlqUrl }).send(
    record,
    {
      code,
      reason,
      tenantId,
    },
  );
  return record;
};

const depth = async (queueUrl: string) => {
  const { Attributes: a = {} } = await cloud().cloud.sqs.client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(a.ApproximateNumberOfMessages),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible),
  };
};

interface Listed {
  messageId: string;
  tenantId?: string;
  errorCode?: string;
  reason?: string;
  originalMessageId?: string;
  receiveCount?: number;
  body: string;
}

const list = async (...extra: string[]) => {
  const run = await runTenants(['dlq', 'list', '--json', ...extra], cloud().env);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as { listed: number; approximateTotal: number; messages: Listed[] };
};

describe('tenants dlq list', () => {
  it('shows each message with its reason and leaves every message visible in the queue', async () => {
    const first = await deadLetter('acme', 'EVENT_SCHEMA_VIOLATION', 'invalid tenant event: version', 1);
    await deadLetter('globex', 'SECRET_NOT_MANAGED', 'secret "tenants/globex" is not managed', 2);
    await deadLetter('initech', 'TWILIO_AUTH_FAILED', 'Twilio create failed with HTTP 401', 3);

    const listed = await list();
    expect(listed).toMatchObject({ listed: 3, approximateTotal: 3 });
    const acme = listed.messages.find((m) => m.originalMessageId === first.messageId);
    expect(acme).toMatchObject({
      tenantId: 'acme',
      errorCode: 'EVENT_SCHEMA_VIOLATION',
      reason: 'invalid tenant event: version',
      receiveCount: 1,
      body: first.body,
    });
    expect(listed.messages.map((m) => [m.tenantId, m.errorCode, m.receiveCount]).sort()).toEqual([
      ['acme', 'EVENT_SCHEMA_VIOLATION', 1],
      ['globex', 'SECRET_NOT_MANAGED', 2],
      ['initech', 'TWILIO_AUTH_FAILED', 3],
    ]);
    // Nothing consumed, nothing left locked: a second listing sees the same.
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 3, inFlight: 0 });
    expect((await list()).listed).toBe(3);
  });

  it('counts the messages a FIFO group keeps behind the listed ones', async () => {
    const head = await deadLetter('acme', 'E1', 'first failure');
    await deadLetter('acme', 'E2', 'second failure');
    await deadLetter('acme', 'E3', 'third failure');
    const listed = await list();
    // SQS hands out a group's messages in order: the head is always among the listed ones.
    expect(listed.messages[0]?.originalMessageId).toBe(head.messageId);
    expect(listed.approximateTotal).toBe(3);
    const text = await runTenants(['dlq', 'list'], cloud().env);
    expect(text.stdout).toContain('listed of about 3 in the queue');
    if (listed.listed < 3) expect(text.stdout).toContain(`about ${3 - listed.listed} more wait behind`);
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 3, inFlight: 0 });
  });

  it('prints a table with the reasons and a count', async () => {
    await deadLetter('initech', 'TWILIO_INPUT_INVALID', 'Invalid friendlyName: too long');
    const run = await runTenants(['dlq', 'list'], cloud().env);
    expect(run.code).toBe(0);
    const [header, row] = run.stdout.split('\n');
    expect(header?.split(/\s{2,}/)).toEqual([
      'MESSAGE ID',
      'TENANT',
      'ERROR',
      'RECEIVES',
      'ORIGINAL MESSAGE',
      'REASON',
    ]);
    expect(row).toMatch(/initech\s+TWILIO_INPUT_INVALID\s+1\s+\S+\s+Invalid friendlyName: too long/);
    expect(run.stdout).toContain('1 dead-lettered message(s) listed of about 1 in the queue');
  });

  it('stops at --max and still releases what it saw', async () => {
    for (const tenant of ['t1', 't2', 't3', 't4']) await deadLetter(tenant, 'X', 'y');
    expect((await list('--max', '2')).listed).toBe(2);
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 4, inFlight: 0 });
  });
});

describe('tenants dlq redrive', () => {
  it('sends chosen messages back in their group with a fresh deduplication id, then deletes them', async () => {
    await deadLetter('acme', 'E1', 'first');
    await deadLetter('globex', 'E2', 'second');
    const chosen = (await list()).messages.find((m) => m.tenantId === 'acme');
    const run = await runTenants(['dlq', 'redrive', '--id', chosen?.messageId ?? ''], cloud().env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 of 1 message(s) redriven');

    const [back, ...more] = await drainQueue(cloud().cloud.sqs.client, cloud().cloud.sqs.queueUrl);
    expect(more).toEqual([]);
    expect(back?.Body).toBe(chosen?.body);
    expect(back?.Attributes?.MessageGroupId).toBe('acme');
    expect(back?.Attributes?.MessageDeduplicationId).toBe(`redrive-${chosen?.messageId}`);
    // The DLQ's reason attributes stay behind.
    expect(back?.MessageAttributes ?? {}).toEqual({});
    expect(run.stdout).toContain(`redriven ${chosen?.messageId} -> ${back?.MessageId}`);

    const left = await list();
    expect(left.messages.map((m) => m.tenantId)).toEqual(['globex']);
  });

  it('redrives everything, including messages queued behind a full group', async () => {
    for (let i = 0; i < 12; i += 1) await deadLetter('busy', 'E', `failure ${i}`);
    await deadLetter('quiet', 'E', 'alone');
    const run = await runTenants(['dlq', 'redrive'], cloud().env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('13 of 13 message(s) redriven');
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect(await depth(cloud().cloud.sqs.queueUrl)).toEqual({ visible: 13, inFlight: 0 });
  });

  it('says so when the DLQ is empty', async () => {
    const run = await runTenants(['dlq', 'redrive'], cloud().env);
    expect(run).toMatchObject({ code: 0, stdout: 'the dead-letter queue is empty; nothing redriven\n' });
  });

  it('redrives nothing when one of the chosen ids is not in the DLQ', async () => {
    await deadLetter('acme', 'E1', 'first');
    const [present] = (await list()).messages;
    const run = await runTenants(
      ['dlq', 'redrive', '--id', present?.messageId ?? '', '--id', 'no-such-id'],
      cloud().env,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('tenants: no dead-lettered message with id no-such-id; nothing redriven\n');
    expect(await drainQueue(cloud().cloud.sqs.client, cloud().cloud.sqs.queueUrl)).toEqual([]);
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
  });

  it.each([
    [
      ['dlq', 'list'],
      { DEAD_LETTER_QUEUE_URL: undefined },
      /--dlq-url \(DEAD_LETTER_QUEUE_URL\): is required/,
    ],
    [['dlq', 'list', '--max', '0'], {}, /--max "0" must be a positive integer/],
    [
      ['dlq', 'list', '--dlq-url', 'not a url'],
      {},
      /--dlq-url \(DEAD_LETTER_QUEUE_URL\): must be the dead-letter queue URL/,
    ],
    [
      ['dlq', 'redrive'],
      { TENANT_EVENTS_QUEUE_URL: undefined },
      /--queue-url \(TENANT_EVENTS_QUEUE_URL\): is required/,
    ],
    [['dlq', 'purge'], {}, /unknown command 'purge'/],
  ])('refuses %j with one line and exit 2', async (argv, env, message) => {
    const run = await runTenants(argv, { ...cloud().env, ...env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('works as a real executable', async () => {
    await deadLetter('acme', 'E1', 'first');
    const listed = await runTenantsProcess(['dlq', 'list'], cloud().env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('1 dead-lettered message(s) listed');
    const redriven = await runTenantsProcess(['dlq', 'redrive'], cloud().env);
    expect(redriven).toMatchObject({ code: 0, stderr: '' });
    expect(await depth(cloud().cloud.sqs.queueUrl)).toEqual({ visible: 1, inFlight: 0 });
  });
});
