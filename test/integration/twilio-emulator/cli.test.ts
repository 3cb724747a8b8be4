import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../../local/twilio-emulator/cli-args.ts';
import { TwilioEmulatorConfigError } from '../../../local/twilio-emulator/index.ts';
import { repoRoot } from '../../helpers/openapi.ts';
import { basic } from './support.ts';

const EMULATOR_CLI = path.join(repoRoot, 'local', 'twilio-emulator', 'cli.ts');

interface Running {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.pid) child.kill('SIGKILL');
});

const run = (command: string, args: string[], options: { detached?: boolean } = {}): Running => {
  const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, stdout: () => out, stderr: () => err, exited };
};

/**
 * One process (tsx as a loader, not the tsx wrapper that relays signals to a child), so a signal
 * sent by the test reaches the emulator's own handler.
 */
const runCli = (args: string[]): Running => run(process.execPath, ['--import', 'tsx', EMULATOR_CLI, ...args]);

const readyLine = async (
  running: Running,
): Promise<{ url: string; accountSid: string; authToken: string }> => {
  const started = Date.now();
  while (!running.stdout().includes('\n')) {
    if (running.child.exitCode !== null) throw new Error(`exited early: ${running.stderr()}`);
    if (Date.now() - started > 20_000) throw new Error('no ready line');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return JSON.parse(running.stdout().split('\n')[0] as string);
};

const fetchMain = (ready: { url: string; accountSid: string; authToken: string }) =>
  fetch(`${ready.url}/2010-04-01/Accounts/${ready.accountSid}.json`, {
    headers: { Authorization: basic(ready.accountSid, ready.authToken) },
  });

describe('twilio:emulator command line', () => {
  it('prints one JSON line with the real port and random credentials, serves, logs to stderr and stops on SIGTERM', async () => {
    const running = runCli(['--port', '0']);
    const ready = await readyLine(running);
    expect(Object.keys(ready)).toEqual(['url', 'accountSid', 'authToken']);
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.url).not.toMatch(/:0$/);
    expect(ready.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(ready.authToken).toMatch(/^[0-9a-f]{32}$/);

    const reply = await fetchMain(ready);
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as { auth_token: string };
    expect(body.auth_token).toBe(ready.authToken);

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(running.stdout().trim().split('\n')).toHaveLength(1);
    expect(running.stderr()).toContain('/2010-04-01/Accounts/');
    expect(running.stderr()).not.toContain(ready.authToken);
  });

  it('uses the given credentials and stops on SIGINT', async () => {
    const accountSid = `AC${'ab'.repeat(16)}`;
    const authToken = 'cd'.repeat(16);
    const running = runCli(['--port', '0', '--account-sid', accountSid, '--auth-token', authToken]);
    const ready = await readyLine(running);
    expect(ready).toMatchObject({ accountSid, authToken });
    expect((await fetchMain(ready)).status).toBe(200);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    expect(running.stderr()).not.toContain(authToken);
  });

  it('runs through npm run --silent twilio:emulator', async () => {
    const running = run('npm', ['run', '--silent', 'twilio:emulator', '--', '--port', '0'], {
      detached: true,
    });
    const ready = await readyLine(running);
    expect((await fetchMain(ready)).status).toBe(200);
    expect(running.stdout().trim().split('\n')).toHaveLength(1);
    // npm runs the emulator in a child process; stop the whole group this test started.
    process.kill(-(running.child.pid as number), 'SIGTERM');
    await running.exited;
  });

  it.each([
    [['--port', '70000'], '--port'],
    [['--port', 'abc'], '--port'],
    [['--port'], '--port'],
    [['--account-sid', 'AC123'], '--account-sid'],
    [['--auth-token', 'not-a-hex-token-value'], '--auth-token'],
    [['--type', 'Premium'], '--type'],
    [['--subaccount-limit', '-3'], '--subaccount-limit'],
    [['--concurrency-limit', '0'], '--concurrency-limit'],
    [['--bogus'], '--bogus'],
    [['stray'], 'stray'],
  ])('rejects %j with exit code 2, naming the flag', async (args, flag) => {
    const running = runCli(args);
    expect(await running.exited).toBe(2);
    expect(running.stdout()).toBe('');
    expect(running.stderr()).toContain(flag);
    expect(running.stderr()).toContain('Usage');
    expect(running.stderr()).not.toContain('not-a-hex-token-value');
  });
});

describe('twilio:emulator flags for the refusals and faults', () => {
  it('turns each flag into its option', () => {
    expect(
      parseCliArgs([
        '--concurrency-limit',
        '3',
        '--list-lag-seconds',
        '2',
        '--main-account-suspended',
        '--subaccount-limit',
        '5',
      ]),
    ).toEqual({
      help: false,
      options: expect.objectContaining({
        concurrencyLimit: 3,
        listLag: { seconds: 2 },
        mainAccountSuspended: true,
        subaccountLimit: 5,
      }),
    });
    expect(parseCliArgs(['--list-lag-lookups', '4'])).toMatchObject({ options: { listLag: { lookups: 4 } } });
    expect(parseCliArgs([])).toMatchObject({
      options: { concurrencyLimit: undefined, listLag: undefined, mainAccountSuspended: false },
    });
  });

  it.each([
    [['--concurrency-limit', 'many'], '--concurrency-limit'],
    [['--list-lag-seconds', '1.5'], '--list-lag-seconds'],
    [['--list-lag-lookups', '-1'], '--list-lag-lookups'],
    [['--list-lag-seconds', '1', '--list-lag-lookups', '1'], '--list-lag-seconds'],
    [['--main-account-suspended=yes'], '--main-account-suspended'],
  ])('refuses %j, naming the flag', (args, flag) => {
    expect(() => parseCliArgs(args)).toThrow(TwilioEmulatorConfigError);
    expect(() => parseCliArgs(args)).toThrow(flag);
  });

  it('serves with a subaccount limit and list lag given on the command line', async () => {
    const running = runCli(['--port', '0', '--subaccount-limit', '1', '--list-lag-lookups', '1']);
    const ready = await readyLine(running);
    const headers = { Authorization: basic(ready.accountSid, ready.authToken) };
    const create = () =>
      fetch(`${ready.url}/2010-04-01/Accounts.json`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'FriendlyName=cli-tenant',
      });
    const lookup = async () => {
      const reply = await fetch(`${ready.url}/2010-04-01/Accounts.json?FriendlyName=cli-tenant`, { headers });
      return ((await reply.json()) as { accounts: unknown[] }).accounts.length;
    };
    expect((await create()).status).toBe(201);
    const refused = await create();
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: number }).code).toBe(21480);
    expect(await lookup()).toBe(0);
    expect(await lookup()).toBe(1);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('starts with the main account suspended', async () => {
    const running = runCli(['--port', '0', '--main-account-suspended']);
    const ready = await readyLine(running);
    const reply = await fetchMain(ready);
    expect(reply.status).toBe(403);
    expect(((await reply.json()) as { code: number }).code).toBe(10001);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });
});
