import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
