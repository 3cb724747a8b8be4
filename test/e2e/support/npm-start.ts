/**
 * `npm start` as a child process, the way the end-to-end suites run it: in the repository, with
 * the surrounding shell's AWS and service settings removed, so a run only ever sees its own
 * emulators.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/** What one `npm start -- --once` run left: its exit and output, and its JSON reports. */
export interface OnceRun<Row, Dump> {
  readonly run: Run;
  /** The `--report-json` rows. */
  readonly report: Row[];
  /** The `--debug-emulator-dump`, when asked for. */
  readonly dump: Dump;
}

/**
 * `npm start -- --once` with `args`, writing its report (and, with `dump`, the emulator's state)
 * into `dir`, read back once the run has ended.
 */
export const npmStartOnce = async <Row, Dump = undefined>(
  dir: string,
  args: readonly string[],
  options: { readonly dump?: boolean } = {},
): Promise<OnceRun<Row, Dump>> => {
  const reportFile = join(dir, 'report.json');
  const dumpFile = join(dir, 'emulator.json');
  const run = await npmStart([
    '--once',
    ...args,
    '--report-json',
    reportFile,
    ...(options.dump ? ['--debug-emulator-dump', dumpFile] : []),
  ]);
  const read = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
  return {
    run,
    report: read(reportFile) as Row[],
    dump: (options.dump ? read(dumpFile) : undefined) as Dump,
  };
};
