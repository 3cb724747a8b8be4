/** Runs a bundled handler in a fresh Node process (bench/invoke-child.mjs) and collects its report. */
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { BUILD_DIR } from './bundle.ts';
import { BenchRunError } from './errors.ts';
import { FUNCTION_TIMEOUT_MS } from './lambda-env.ts';

const CHILD = fileURLToPath(new URL('./invoke-child.mjs', import.meta.url));

export interface InvokeReport {
  /** Spawn to exit, as this process sees it. */
  readonly wallMs: number;
  /** Milliseconds since the child started, by the child's clock. */
  readonly startedMs: number;
  readonly loadedMs: number;
  readonly invocations: ReadonlyArray<{
    readonly ms: number;
    /** CPU time (user + system) of the whole process during the invocation. */
    readonly cpuMs: number;
    readonly response: SQSBatchResponse | undefined;
  }>;
}

let files = 0;

const writeEvents = async (events: readonly SQSEvent[]): Promise<string> => {
  const dir = join(BUILD_DIR, 'events');
  await mkdir(dir, { recursive: true });
  files += 1;
  const file = join(dir, `${process.pid}-${files}.json`);
  await writeFile(file, JSON.stringify(events));
  return file;
};

/** Spawns the child with exactly `env` (plus PATH), so nothing of this process leaks into it. */
export const invokeInFreshProcess = async (
  bundleFile: string,
  events: readonly SQSEvent[],
  env: Record<string, string>,
): Promise<InvokeReport> => {
  const eventsFile = await writeEvents(events);
  try {
    return await runChild(bundleFile, eventsFile, env);
  } finally {
    await rm(eventsFile, { force: true });
  }
};

const runChild = (
  bundleFile: string,
  eventsFile: string,
  env: Record<string, string>,
): Promise<InvokeReport> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    // The child reports right after its invocations: a cold start ends with the first response,
    // not with process teardown (Lambda freezes an environment, it does not exit it, and undici's
    // background WebAssembly compilation would otherwise be charged to the exit).
    let reportedAt: number | undefined;
    const child = spawn(process.execPath, [CHILD, bundleFile, eventsFile, String(FUNCTION_TIMEOUT_MS)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    const report: Buffer[] = [];
    let stderr = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      reportedAt ??= performance.now();
      report.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(report).toString();
      if (code !== 0 || text === '') {
        reject(new BenchRunError('handler process', `exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve({
        ...(JSON.parse(text) as Omit<InvokeReport, 'wallMs'>),
        wallMs: (reportedAt ?? started) - started,
      });
    });
  });

/** The number of records a response reports as failed (all of them when there is no response). */
export const failedRecords = (response: SQSBatchResponse | undefined, records: number): number =>
  response === undefined ? records : response.batchItemFailures.length;
