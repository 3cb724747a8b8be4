/**
 * `tenants backfill`: validated up front, sent in batches, at a rate, and resumable; progress with
 * rows/s and ETA; a rate that adapts to SQS throttling and can be changed while running; Ctrl-C
 * that keeps the place; a backlog limit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(
      /^backfill: sent 23\/23 in \d+s \(\d+\.\d rows\/s\)$/,
    );
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

  it('shows rows per second and the time left while it sends', async () => {
    const file = await write('progress.csv', `${csvOf(23).replaceAll('cust-', 'prog-')}\n`);
    const run = await runTenants(['backfill', file, '--rate', '20'], cli.env);
    expect(run.code).toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^backfill: 23 rows to send \(0 already sent\), paced at 20\/s; pid \d+/);
    // A plain line at every tenth of the way (not a terminal), each with its rate and ETA.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^backfill: 10\/23 sent \(43%\), \d+\.\d rows\/s, paced at 20\/s, ETA (\d+s|\?)$/,
      ),
    );
    await queued();
  });
});

/** The real executable, as an operator's shell runs it, with its output as it comes. */
interface LiveRun {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly stdout: () => string;
  readonly exited: Promise<number | null>;
}

const BIN = fileURLToPath(new URL('../../../bin/tenants.js', import.meta.url));

const startTenantsProcess = (argv: readonly string[], env: Record<string, string>): LiveRun => {
  const child = spawn(process.execPath, [BIN, ...argv], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr, stdout: () => stdout };
};

const journalRows = async (statePath: string): Promise<number> => {
  const text = await readFile(`${statePath}.journal`, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.trim() !== '').length;
};

describe('tenants backfill, steered while it runs', () => {
  const rows = (prefix: string, count: number) =>
    ['tenantId', ...Array.from({ length: count }, (_, i) => `${prefix}-${i}`)].join('\n');

  const tenantsOf = (messages: Awaited<ReturnType<typeof queued>>) =>
    messages.map((message) => message.event.tenantId).sort();

  it('stops at Ctrl-C with every sent row recorded, and a rerun sends the rest, none twice', async () => {
    const file = await write('interrupted.csv', rows('intr', 200));
    const statePath = `${file}.backfill-state.json`;
    const live = startTenantsProcess(['backfill', file, '--rate', '20'], cli.env);
    await expect
      .poll(() => journalRows(statePath), { timeout: 15_000, interval: 50 })
      .toBeGreaterThanOrEqual(10);
    live.child.kill('SIGINT');
    expect(await live.exited).toBe(130);
    expect(live.stderr()).toContain('stopping after the chunk in flight');
    expect(live.stdout()).toMatch(/interrupted with \d+ rows left; run the same command again/);
    // The journal was folded into the state file on the way out.
    expect(existsSync(`${statePath}.journal`)).toBe(false);
    const recorded = Object.keys(JSON.parse(await readFile(statePath, 'utf8')).sent);
    const first = await queued();
    expect(tenantsOf(first)).toEqual([...recorded].sort());
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(200);

    const rerun = await runTenants(['backfill', file, '--rate', '3000'], cli.env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`${200 - first.length} sent, ${first.length} skipped (already sent)`);
    const rest = await queued();
    const all = [...tenantsOf(first), ...tenantsOf(rest)];
    expect(new Set(all).size).toBe(200);
    expect(all).toHaveLength(200);
  }, 40_000);

  it('after a second Ctrl-C (no time to tidy up), resumes from the journal without resending', async () => {
    const file = await write('killed.csv', rows('kill', 200));
    const statePath = `${file}.backfill-state.json`;
    const live = startTenantsProcess(['backfill', file, '--rate', '20'], cli.env);
    await expect
      .poll(() => journalRows(statePath), { timeout: 15_000, interval: 50 })
      .toBeGreaterThanOrEqual(10);
    live.child.kill('SIGINT');
    live.child.kill('SIGINT');
    expect(await live.exited).toBe(130);
    const journaled = await journalRows(statePath);
    const rerun = await runTenants(['backfill', file, '--rate', '3000'], cli.env);
    expect(rerun.code).toBe(0);
    const skipped = Number(/(\d+) skipped/.exec(rerun.stdout)?.[1]);
    expect(skipped).toBeGreaterThanOrEqual(journaled);
    const all = tenantsOf(await queued());
    // Whatever the kill caught in flight, SQS's deduplication id (backfill-<tenantId>) kept once.
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
  }, 40_000);

  it('takes a new rate from SIGUSR1 and from the rate file while running', async () => {
    const file = await write('steered.csv', rows('steer', 40));
    const rateFile = join(dir, 'rate');
    const started = Date.now();
    const live = startTenantsProcess(['backfill', file, '--rate', '4', '--rate-file', rateFile], cli.env);
    await expect
      .poll(() => journalRows(`${file}.backfill-state.json`), { timeout: 15_000, interval: 50 })
      .toBeGreaterThan(0);
    // The rate file was created with --rate, for the operator to edit.
    expect((await readFile(rateFile, 'utf8')).trim()).toBe('4');
    live.child.kill('SIGUSR1');
    await expect.poll(() => live.stderr(), { timeout: 5_000 }).toContain('rate set to 8/s (SIGUSR1)');
    await writeFile(rateFile, '500/s\n');
    expect(await live.exited).toBe(0);
    expect(live.stderr()).toContain(`rate set to 500/s (${rateFile})`);
    // 40 rows at 4/s would take 10 s.
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(tenantsOf(await queued())).toHaveLength(40);
  }, 30_000);

  it('halves its rate while SQS throttles, resends the throttled rows, and loses none', async () => {
    const proxy = await startThrottlingProxy(cli.cloud.sqs.url, 4);
    try {
      const file = await write('throttled.csv', rows('thr', 30));
      const run = await runTenants(['backfill', file, '--rate', '20'], {
        ...cli.env,
        AWS_ENDPOINT_URL_SQS: proxy.url,
      });
      expect(run.code).toBe(0);
      expect(proxy.throttled()).toBe(4);
      expect(run.stderr).toContain('SQS is throttling the sends; pacing down to 10/s');
      expect(run.stdout).toMatch(
        /30 sent, 0 skipped \(already sent\), 0 failed, of 30 rows, \d+ throttled sends retried/,
      );
      const all = tenantsOf(await queued());
      expect(all).toHaveLength(30);
      expect(new Set(all).size).toBe(30);
    } finally {
      await proxy.stop();
    }
  }, 30_000);

  it('holds sending while the queue backs up past --max-backlog, and goes on once it drains', async () => {
    const file = await write('backlog.csv', rows('blog', 40));
    const running = runTenants(['backfill', file, '--rate', '3000', '--max-backlog', '15'], cli.env);
    let done = false;
    void running.finally(() => {
      done = true;
    });
    const received: Awaited<ReturnType<typeof queued>> = [];
    // A slow consumer: it takes what is visible, now and then.
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      received.push(...(await queued()));
    }
    const run = await running;
    received.push(...(await queued()));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/paused, \d+ messages waiting in the queue \(--max-backlog 15\)/);
    expect(run.stderr).toMatch(/resumed, \d+ messages waiting in the queue/);
    expect(tenantsOf(received)).toHaveLength(40);
    expect(new Set(tenantsOf(received)).size).toBe(40);
  }, 30_000);
});

/**
 * In front of the local queue: answers the first `count` SendMessageBatch calls the way SQS
 * throttles a FIFO queue past its API rate (AWS JSON protocol, ThrottlingException), forwards the rest.
 */
const startThrottlingProxy = async (target: string, count: number) => {
  let throttled = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (incoming.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch' && throttled < count) {
        throttled += 1;
        outgoing.writeHead(400, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-query-error': 'ThrottlingException;Sender',
        });
        outgoing.end(
          JSON.stringify({ __type: 'com.amazonaws.sqs#ThrottlingException', message: 'Rate exceeded' }),
        );
        return;
      }
      const url = new URL(incoming.url ?? '/', target);
      const forward = httpRequest(
        url,
        { method: incoming.method, headers: { ...incoming.headers, host: url.host } },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    throttled: () => throttled,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
