/** `tenants backfill`: validated up front, sent in batches, at a rate, and resumable. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseTenantEvent } from '../../../shared/domain/envelope.ts';
import { type CliCloud, drainQueue, runTenants, runTenantsProcess, startCliCloud } from './support.ts';

let cli: CliCloud;
let dir: string;
beforeAll(async () => {
  cli = await startCliCloud();
});
afterAll(() => cli?.stop());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenants-backfill-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const write = async (name: string, text: string): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

const queued = async () =>
  (await drainQueue(cli.cloud.sqs.client, cli.cloud.sqs.queueUrl)).map((message) => ({
    groupId: message.Attributes?.MessageGroupId,
    deduplicationId: message.Attributes?.MessageDeduplicationId,
    event: parseTenantEvent(message.Body ?? '').event,
  }));

const csvOf = (count: number) =>
  ['tenantId,tenantName', ...Array.from({ length: count }, (_, i) => `cust-${i},"Customer ${i}, Inc"`)].join(
    '\n',
  );

describe('tenants backfill', () => {
  it('sends one tenant.created per CSV row, in batches, with deterministic event ids', async () => {
    const file = await write('customers.csv', `${csvOf(23)}\n`);
    const sleeps: number[] = [];
    const run = await runTenants(['backfill', file, '--rate', '20/s'], cli.env, { sleeps });
    expect(run.stderr).not.toContain('tenants:');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('23 sent, 0 skipped (already sent), 0 failed, of 23 rows');
    const messages = await queued();
    expect(messages).toHaveLength(23);
    const first = messages.find((m) => m.event.tenantId === 'cust-7');
    expect(first).toMatchObject({
      groupId: 'cust-7',
      deduplicationId: 'backfill-cust-7',
      event: { type: 'tenant.created', eventId: 'backfill-cust-7', tenantName: 'Customer 7, Inc' },
    });
    // 23 messages at 20/s in batches of 10: the 2nd and 3rd batch each wait for their share.
    expect(sleeps).toHaveLength(2);
    // Progress went to stderr as plain lines (not a terminal), ending complete.
    expect(run.stderr.trim().split('\n').at(-1)).toBe('backfill: sent 23/23');
  });

  it('resumes: a second run sends nothing new, and the state file records every row', async () => {
    const file = await write('customers.jsonl', '{"tenantId":"a1","tenantName":"A"}\n{"tenantId":"a2"}\n');
    expect((await runTenants(['backfill', file], cli.env)).code).toBe(0);
    const state = JSON.parse(await readFile(`${file}.backfill-state.json`, 'utf8'));
    expect(Object.keys(state.sent).sort()).toEqual(['a1', 'a2']);
    expect(state.sent.a2).toMatchObject({ line: 2, eventId: 'backfill-a2' });
    expect(await queued()).toHaveLength(2);

    const again = await runTenants(['backfill', file], cli.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to send, all 2 rows already sent');
    expect(await queued()).toEqual([]);
  });

  it('sends only the rows added since the last run, with an explicit state file', async () => {
    const file = await write('grow.csv', 'tenantId\nb1\nb2\n');
    const state = join(dir, 'my-state.json');
    await runTenants(['backfill', file, '--state', state], cli.env);
    await queued();
    await writeFile(file, 'tenantId\nb1\nb2\nb3\n');
    const run = await runTenants(['backfill', file, '--state', state], cli.env);
    expect(run.stdout).toContain('1 sent, 2 skipped (already sent), 0 failed, of 3 rows');
    expect((await queued()).map((m) => m.event.tenantId)).toEqual(['b3']);
  });

  it('refuses a file with any bad row: one line naming the lines, exit 2, nothing sent, no state', async () => {
    const file = await write(
      'bad.csv',
      ['tenantId,name', 'ok-1,Fine', 'not ok,Spaces', 'ok-2,"unterminated', ',Nameless', 'ok-1,Again'].join(
        '\n',
      ),
    );
    const run = await runTenants(['backfill', file], cli.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tenants: [^\n]+\n$/);
    expect(run.stderr).toContain('4 invalid line(s), nothing sent');
    expect(run.stderr).toContain('line 3: tenantId "not ok"');
    expect(run.stderr).toContain('line 4: unterminated quoted field');
    expect(run.stderr).toContain('line 5: tenantId is missing');
    expect(run.stderr).toContain('line 6: tenantId "ok-1" repeats line 2');
    expect(await queued()).toEqual([]);
    expect(existsSync(`${file}.backfill-state.json`)).toBe(false);
  });

  it.each([
    ['no-header.csv', 'id,name\nx,y\n', /no "tenantId" column/],
    [
      'broken.jsonl',
      '{"tenantId":"ok"}\nnot json\n[1]\n',
      /line 2: not valid JSON; line 3: not a JSON object/,
    ],
    ['customers.txt', 'tenantId\nx\n', /unsupported file type, use \.csv or \.jsonl/],
    ['empty.csv', 'tenantId\n\n', /no customers to backfill/],
  ])('refuses %s with exit 2', async (name, text, message) => {
    const file = await write(name, text);
    const run = await runTenants(['backfill', file], cli.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await queued()).toEqual([]);
  });

  it('refuses a missing file, a bad rate and a corrupt state file before sending anything', async () => {
    const missing = await runTenants(['backfill', join(dir, 'nope.csv')], cli.env);
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/cannot read .*nope\.csv: ENOENT/),
    });

    const file = await write('ok.csv', 'tenantId\nc1\n');
    const rate = await runTenants(['backfill', file, '--rate', 'fast'], cli.env);
    expect(rate).toMatchObject({ code: 2, stderr: expect.stringContaining('--rate "fast" must be') });

    await writeFile(`${file}.backfill-state.json`, '{"version":1}');
    const corrupt = await runTenants(['backfill', file], cli.env);
    expect(corrupt).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is not a backfill state file'),
    });
    expect(await queued()).toEqual([]);
  });

  it('reports rows SQS refuses by line, keeps them out of the state, and exits 1', async () => {
    const file = await write('two.jsonl', '{"tenantId":"d1"}\n{"tenantId":"d2"}\n');
    const missingQueue = `${cli.cloud.sqs.url}/000000000000/missing.fifo`;
    const run = await runTenants(['backfill', file, '--queue-url', missingQueue], cli.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/tenants: line 1 \(d1\): /);
    expect(run.stderr).toMatch(/tenants: line 2 \(d2\): /);
    const state = JSON.parse(await readFile(`${file}.backfill-state.json`, 'utf8'));
    expect(state.sent).toEqual({});
    // A later run against the right queue sends both.
    const retry = await runTenants(['backfill', file], cli.env);
    expect(retry.stdout).toContain('2 sent, 0 skipped');
    expect(await queued()).toHaveLength(2);
  });

  it('exits 2 from the real executable on a bad file, printing one line', async () => {
    const file = await write('bad.jsonl', '{"tenantId":"x y"}\n');
    const run = await runTenantsProcess(['backfill', file], cli.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^tenants: .*bad\.jsonl: 1 invalid line\(s\), nothing sent: line 1: tenantId "x y"/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
