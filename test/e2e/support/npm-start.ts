/**
 * `npm start` as a child process, the way the end-to-end suites run it: in the repository, with
 * the surrounding shell's AWS and service settings removed, so a run only ever sees its own
 * emulators.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ENV } from '../../../shared/contracts/env-names.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
export const RUN_TIMEOUT_MS = 120_000;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every variable the functions read, and every AWS_* setting. */
const SERVICE_SETTINGS = new Set<string>(Object.values(ENV));

export const isolatedEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !SERVICE_SETTINGS.has(name)),
  );

export const npmStart = (args: string[]): Promise<Run> =>
  new Promise((done, fail) => {
    const child = spawn(TSX, ['local/start/main.ts', ...args], { cwd: ROOT, env: isolatedEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
