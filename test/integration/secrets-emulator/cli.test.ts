import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FAKE_CREDENTIALS } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = 'local/secrets-emulator/cli.ts';
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const SECRET_VALUE = 'cli-test-secret-value';

interface RunningCli {
  child: ChildProcess;
  url: string;
  stdoutLines: string[];
  stderr: () => string;
}

const running: ChildProcess[] = [];

/** Resolves with the URL from the first stdout line, once the emulator is ready. */
const startCli = async (command: string, args: string[], detached = false): Promise<RunningCli> => {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached });
  running.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stdoutLines: string[] = [];
  const first = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdoutLines.push(line);
      if (stdoutLines.length === 1) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${stderr}`)));
  });
  const { url } = JSON.parse(await first) as { url: string };
  return { child, url, stdoutLines, stderr: () => stderr };
};

const exitCode = async (child: ChildProcess): Promise<number | null> => {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
};

const clientFor = (url: string) =>
  new SecretsManagerClient({
    endpoint: url,
    region: 'eu-central-1',
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });

const listening = async (url: string): Promise<boolean> =>
  fetch(url, { method: 'POST' }).then(
    () => true,
    () => false,
  );

describe('secrets emulator: command line', () => {
  let dir: string | undefined;

  afterEach(async () => {
    for (const child of running.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      try {
        if (child.spawnargs.includes('run')) process.kill(-child.pid!, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON line, keeps --data across restarts, and exits 0 on SIGTERM and SIGINT', async () => {
    dir = await mkdtemp(join(tmpdir(), 'secrets-cli-'));
    const data = join(dir, 'secrets.json');

    const first = await startCli(TSX, [CLI, '--port', '0', '--data', data, '--region', 'eu-central-1']);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const writer = clientFor(first.url);
    const created = await writer.send(
      new CreateSecretCommand({ Name: 'tenants/t-1', SecretString: SECRET_VALUE }),
    );
    writer.destroy();
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:eu-central-1:000000000000:secret:tenants\/t-1-/);
    first.child.kill('SIGTERM');
    expect(await exitCode(first.child)).toBe(0);
    expect(first.stdoutLines).toEqual([JSON.stringify({ url: first.url })]);
    expect(first.stderr()).toMatch(/CreateSecret 200/);
    expect(first.stderr()).not.toContain(SECRET_VALUE);

    const second = await startCli(TSX, [CLI, '--port', '0', '--data', data]);
    const reader = clientFor(second.url);
    const value = await reader.send(new GetSecretValueCommand({ SecretId: 'tenants/t-1' }));
    reader.destroy();
    expect(value.SecretString).toBe(SECRET_VALUE);
    second.child.kill('SIGINT');
    expect(await exitCode(second.child)).toBe(0);
  });

  it('runs through npm run --silent and stops when its process group is signalled', async () => {
    const cli = await startCli('npm', ['run', '--silent', 'secrets:emulator', '--', '--port', '0'], true);
    const client = clientFor(cli.url);
    await expect(client.send(new ListSecretsCommand({}))).resolves.toMatchObject({ SecretList: [] });
    client.destroy();
    process.kill(-cli.child.pid!, 'SIGTERM');
    await exitCode(cli.child);
    await vi.waitFor(async () => expect(await listening(cli.url)).toBe(false), { timeout: 10_000 });
    expect(cli.stdoutLines).toEqual([JSON.stringify({ url: cli.url })]);
  });

  it('rejects an invalid --port, naming the option', async () => {
    const child = spawn(TSX, [CLI, '--port', 'abc'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitCode(child)).not.toBe(0);
    expect(stderr).toMatch(/--port/);
  });
});
