/** `tenants dlq list` shows without consuming; `tenants dlq redrive` moves messages back. */
import { createHash } from 'node:crypto';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { receiveDeadLetters } from '../../../cli/dlq/dead-letters.ts';
import { redrive } from '../../../cli/dlq/redrive.ts';
import { createDeadLetterSender, deadLetterMessage } from '../../../functions/tenant-events/dead-letter.ts';
import { SQS_MAX_MESSAGE_BYTES } from '../../../shared/publishing/sqs-message.ts';
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
const deadLetter = async (
  tenantId: string,
  code: string,
  reason: string,
  receiveCount = 1,
  body: unknown = tenantEvent('tenant.created', tenantId),
) => {
  const record = sqsRecord(body, { groupId: tenantId, receiveCount });
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

/**
 * Has SQS itself move events to the DLQ, through the queue's redrive policy: each is received
 * until its receive count passes maxReceiveCount (5 here), never deleted. They keep their group.
 */
const moveBySqs = async (bodies: readonly string[], groupId: string) => {
  const { client, queueUrl } = cloud().cloud.sqs;
  for (const [index, body] of bodies.entries()) {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageGroupId: groupId,
        MessageDeduplicationId: `moved-${index}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}`,
      }),
    );
  }
  for (let receives = 0; receives < 100; receives += 1) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0, MaxNumberOfMessages: 10 }),
    );
    if (Messages.length === 0 && (await depth(queueUrl)).visible === 0) return;
  }
  throw new Error('SQS did not move the messages to the DLQ');
};

/** Everything on a queue, in the order a consumer gets it: received and deleted one by one. */
const consume = async (queueUrl: string): Promise<Message[]> => {
  const { client } = cloud().cloud.sqs;
  const consumed: Message[] = [];
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
      }),
    );
    if (Messages.length === 0) return consumed;
    for (const message of Messages) {
      consumed.push(message);
      await client.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    }
  }
};

const bodiesOfGroup = (messages: readonly Message[], groupId: string) =>
  messages.filter((m) => m.Attributes?.MessageGroupId === groupId).map((m) => m.Body);

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
  originalBodyBytes?: number;
  originalBodySha256?: string;
  truncated?: string[];
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

  it("lists every dead letter of a tenant that has several, oldest first, whatever the group's head", async () => {
    const first = await deadLetter('acme', 'E1', 'first failure');
    const second = await deadLetter('acme', 'E2', 'second failure');
    await deadLetter('globex', 'E9', 'elsewhere');
    const third = await deadLetter('acme', 'E3', 'third failure');
    const listed = await list();
    expect(listed).toMatchObject({ listed: 4, approximateTotal: 4 });
    expect(listed.messages.filter((m) => m.tenantId === 'acme').map((m) => m.originalMessageId)).toEqual([
      first.messageId,
      second.messageId,
      third.messageId,
    ]);
    const text = await runTenants(['dlq', 'list'], cloud().env);
    expect(text.stdout).toContain('4 dead-lettered message(s) listed of about 4 in the queue');
    expect(text.stdout).not.toContain('wait behind');
    expect(text.stdout.match(/^\S+\s+acme\s+E\d/gm)).toHaveLength(3);
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 4, inFlight: 0 });
  });

  it('lists the first of the messages SQS moved itself for one tenant, reading its tenant from the body, and counts the rest', async () => {
    const events = [1, 2, 3].map((at) => JSON.stringify(tenantEvent('tenant.delinquent', 'initech', { at })));
    await moveBySqs(events, 'initech');
    await deadLetter('acme', 'E1', 'a reason');
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 4, inFlight: 0 });
    const listed = await list();
    expect(listed).toMatchObject({ listed: 2, approximateTotal: 4 });
    const moved = listed.messages.find((m) => m.errorCode === undefined);
    // SQS hands out a group's messages in order: the listed one is the first that failed.
    expect(moved).toMatchObject({ tenantId: 'initech', body: events[0] });
    expect(moved?.reason).toBeUndefined();
    const text = await runTenants(['dlq', 'list'], cloud().env);
    expect(text.stdout).toContain('2 dead-lettered message(s) listed of about 4 in the queue');
    expect(text.stdout).toContain('about 2 more wait behind listed ones of the same message group');
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 4, inFlight: 0 });
  });

  it('keeps a dead letter that would not fit whole: cut to the limit, with the original size and SHA-256', async () => {
    // As large as SQS delivers (body alone at the limit): the dead letter's attributes push it over.
    const prefix = '{"type":"tenant.created","tenantId":"acme","pad":"';
    const body = `${prefix}${'é'.repeat((SQS_MAX_MESSAGE_BYTES - Buffer.byteLength(prefix) - 2) / 2)}"}`;
    expect(Buffer.byteLength(body)).toBe(SQS_MAX_MESSAGE_BYTES);
    const reason = 'bad \u0000 byte \u001b[31m and a key \u{1F511} and \uD800 half';
    const record = sqsRecord(body, { groupId: 'acme' });
    // The dead letter whole is what fauxqs, like SQS, refuses: body plus attributes over 1 MiB.
    const whole = deadLetterMessage(sqsRecord('{}'), { code: 'E', reason: 'r', tenantId: 'acme' }, '');
    await expect(
      cloud().cloud.sqs.client.send(
        new SendMessageCommand({ ...whole, QueueUrl: cloud().cloud.sqs.dlqUrl, MessageBody: body }),
      ),
    ).rejects.toThrow(/shorter than 1048576 bytes/);

    await createDeadLetterSender({ sqs: cloud().cloud.sqs.client, queueUrl: cloud().cloud.sqs.dlqUrl }).send(
      record,
      { code: 'EVENT_SCHEMA_VIOLATION', reason, tenantId: 'acme' },
    );
    const [letter, ...others] = (await list()).messages;
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      tenantId: 'acme',
      errorCode: 'EVENT_SCHEMA_VIOLATION',
      reason: 'bad \uFFFD byte \uFFFD[31m and a key \u{1F511} and \uFFFD half',
      originalMessageId: record.messageId,
      originalBodyBytes: SQS_MAX_MESSAGE_BYTES,
      originalBodySha256: createHash('sha256').update(body).digest('hex'),
      truncated: ['body', 'reason'],
    });
    const kept = letter?.body ?? '';
    expect(body.startsWith(kept) && kept.length < body.length && kept.length > body.length - 400).toBe(true);
    const text = await runTenants(['dlq', 'list'], cloud().env);
    expect(text.stdout).toContain('1 of them carry a body cut to fit the queue');
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

  it('redrives everything: many dead letters of one tenant at once, and messages SQS moved pass after pass', async () => {
    for (let i = 0; i < 12; i += 1) await deadLetter('busy', 'E', `failure ${i}`);
    await deadLetter('quiet', 'E', 'alone');
    const moved = [1, 2, 3].map((at) => JSON.stringify(tenantEvent('tenant.delinquent', 'initech', { at })));
    await moveBySqs(moved, 'initech');
    const run = await runTenants(['dlq', 'redrive'], cloud().env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('16 of 16 message(s) redriven');
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    const back = await consume(cloud().cloud.sqs.queueUrl);
    expect(back).toHaveLength(16);
    expect(bodiesOfGroup(back, 'initech')).toEqual(moved);
  });

  it("puts each message back in its tenant's group, oldest first, with a redrive deduplication id", async () => {
    const events = [1, 2, 3].map((at) => tenantEvent('tenant.reinstated', 'acme', { at }));
    for (const event of events) await deadLetter('acme', 'UNKNOWN_TENANT', 'no subaccount', 1, event);
    await deadLetter('globex', 'E', 'other');
    // No tenantId attribute, a group that is not the tenant's: the tenant comes from the body.
    const stray = JSON.stringify(tenantEvent('tenant.churned', 'acme', { at: 9 }));
    await cloud().cloud.sqs.client.send(
      new SendMessageCommand({
        QueueUrl: cloud().cloud.sqs.dlqUrl,
        MessageBody: stray,
        MessageGroupId: 'some-other-group',
        MessageDeduplicationId: 'stray-1',
      }),
    );
    const listed = await list();
    const run = await runTenants(['dlq', 'redrive'], cloud().env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const back = await consume(cloud().cloud.sqs.queueUrl);
    expect(bodiesOfGroup(back, 'acme')).toEqual([...events.map((event) => JSON.stringify(event)), stray]);
    expect(bodiesOfGroup(back, 'some-other-group')).toEqual([]);
    for (const message of back) {
      const from = listed.messages.find((m) => m.body === message.Body);
      expect(message.Attributes?.MessageDeduplicationId).toBe(`redrive-${from?.messageId}`);
      expect(message.MessageAttributes ?? {}).toEqual({});
    }
  });

  it('sends a tenant back oldest first however SQS happened to return its dead letters', async () => {
    const events = [1, 2, 3, 4].map((at) => tenantEvent('tenant.delinquent', 'acme', { at }));
    for (const event of events) {
      await deadLetter('acme', 'E', 'r', 1, event);
      // Distinct SentTimestamps (milliseconds): the order must come from them, not from ties.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const letters = await receiveDeadLetters(cloud().cloud.sqs.client, cloud().cloud.sqs.dlqUrl, {
      visibilitySeconds: 60,
    });
    const shuffled = [letters[2], letters[0], letters[3], letters[1]].filter((l) => l !== undefined);
    const outcomes = await redrive(cloud().cloud.sqs.client, cloud().cloud.sqs, shuffled);
    expect(outcomes.every((outcome) => outcome.problem === undefined)).toBe(true);
    expect(bodiesOfGroup(await consume(cloud().cloud.sqs.queueUrl), 'acme')).toEqual(
      events.map((event) => JSON.stringify(event)),
    );
  });

  it('never redrives a dead letter whose body was cut, and says how to recover; the others go', async () => {
    const prefix = '{"tenantId":"acme","pad":"';
    const body = `${prefix}${'x'.repeat(SQS_MAX_MESSAGE_BYTES - Buffer.byteLength(prefix) - 2)}"}`;
    await deadLetter('acme', 'EVENT_SCHEMA_VIOLATION', 'too big to keep whole', 1, body);
    await deadLetter('globex', 'E', 'fine');
    const [cut] = (await list()).messages.filter((m) => m.truncated !== undefined);
    const run = await runTenants(['dlq', 'redrive'], cloud().env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `tenants: ${cut?.messageId}: its body was cut to fit the dead-letter queue (original ${SQS_MAX_MESSAGE_BYTES} bytes, sha256 ${cut?.originalBodySha256}); publish the original event again instead\n`,
    );
    expect(run.stdout).toContain('1 of 2 message(s) redriven');
    expect(bodiesOfGroup(await consume(cloud().cloud.sqs.queueUrl), 'acme')).toEqual([]);
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
  });

  it('refuses a group id real SQS would refuse, naming the field, and leaves the message in the DLQ', async () => {
    // fauxqs takes any group id; real SQS would not have, so this stands for a corrupt message.
    await cloud().cloud.sqs.client.send(
      new SendMessageCommand({
        QueueUrl: cloud().cloud.sqs.dlqUrl,
        MessageBody: 'not json, no tenant',
        MessageGroupId: 'group with spaces',
        MessageDeduplicationId: 'corrupt-1',
      }),
    );
    const run = await runTenants(['dlq', 'redrive'], cloud().env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^tenants: \S+: MessageGroupId "group with spaces" has a space at position 6; SQS allows only ASCII letters, digits and punctuation\n$/,
    );
    expect(await depth(cloud().cloud.sqs.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 1, inFlight: 0 });
  });

  it("keeps a tenant's later dead letters in the DLQ once an earlier one could not be sent", async () => {
    const acme = [1, 2].map((at) => tenantEvent('tenant.delinquent', 'acme', { at }));
    for (const event of acme) await deadLetter('acme', 'E', 'r', 1, event);
    for (const at of [1, 2])
      await deadLetter('globex', 'E', 'r', 1, tenantEvent('tenant.created', 'globex', { at }));
    // SQS refuses every entry of acme's group (as it would, say, a throttled or oversized entry).
    const real = cloud().cloud.sqs.client;
    const refusingAcme = {
      send: async (command: unknown) => {
        if (!(command instanceof SendMessageBatchCommand)) return real.send(command as never);
        const entries = command.input.Entries ?? [];
        const others = entries.filter((entry) => entry.MessageGroupId !== 'acme');
        const answer =
          others.length === 0
            ? { Successful: [] }
            : await real.send(new SendMessageBatchCommand({ ...command.input, Entries: others }));
        return {
          Successful: answer.Successful ?? [],
          Failed: entries
            .filter((entry) => entry.MessageGroupId === 'acme')
            .map((entry) => ({ Id: entry.Id, Code: 'ThrottlingException', SenderFault: false })),
        };
      },
    } as unknown as SQSClient;
    const letters = await receiveDeadLetters(real, cloud().cloud.sqs.dlqUrl, { visibilitySeconds: 60 });
    const outcomes = await redrive(refusingAcme, cloud().cloud.sqs, letters);
    const byBody = (event: object) => outcomes.find((o) => o.letter.body === JSON.stringify(event));
    expect(byBody(acme[0]!)?.problem).toMatch(/ThrottlingException/);
    expect(byBody(acme[1]!)?.problem).toBe(
      'not sent: an earlier dead letter of the same tenant could not be redriven',
    );
    expect(outcomes.filter((o) => o.messageId !== undefined)).toHaveLength(2);
    expect(bodiesOfGroup(await consume(cloud().cloud.sqs.queueUrl), 'globex')).toHaveLength(2);
    // acme's two are back in the DLQ, visible at once, its first still first.
    expect(await depth(cloud().cloud.sqs.dlqUrl)).toEqual({ visible: 2, inFlight: 0 });
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
