/**
 * The function side of the scale benchmark, in a process of its own (plain Node, built by
 * bench/child-bundle.ts): the local event-source runner polls the queue the benchmark process
 * serves and runs the shipped bundle in `maxConcurrency` worker-thread environments. It reports
 * when each message was done with (deleted), so the benchmark can time every tenant from
 * enqueue to provisioned, and its own peak RSS. Settings as JSON in argv[2]; it starts draining
 * once the benchmark writes a line on stdin (everything is queued); the report goes to fd 3.
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type InvocationReport, type RunnerStats, startEventSourceRunner } from '../local/runner/index.ts';
// The client alone: the SQS server (fauxqs) runs in the benchmark process, not here.
import { createLocalSqsClient } from '../local/sqs/sqs-client.ts';

export interface ScaleChildSettings {
  readonly sqsEndpoint: string;
  readonly region: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly functionTimeoutMs: number;
  readonly drainTimeoutMs: number;
  readonly handlerFile: string;
  readonly handlerEnv: Record<string, string>;
}

export interface ScaleChildReport {
  /** [messageId, epoch ms when it was deleted], once per message. */
  readonly done: ReadonlyArray<readonly [string, number]>;
  readonly stats: Omit<RunnerStats, 'inFlight'>;
  readonly maxRssBytes: number;
  readonly baselineRssBytes: number;
  readonly cpuMs: number;
  /** The first few invocations that did not succeed whole, for the report. */
  readonly problems: ReadonlyArray<Pick<InvocationReport, 'outcome' | 'error' | 'coldStart'>>;
  readonly drainError?: string;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as ScaleChildSettings;
const sqs = createLocalSqsClient({ endpoint: settings.sqsEndpoint, region: settings.region });
const baselineRssBytes = process.memoryUsage.rss();
const cpuAtStart = process.cpuUsage();
const done: Array<readonly [string, number]> = [];
const problems: ScaleChildReport['problems'][number][] = [];

const runner = await startEventSourceRunner({
  sqs,
  queueUrl: settings.queueUrl,
  queueArn: settings.queueArn,
  region: settings.region,
  batchSize: settings.batchSize,
  maxConcurrency: settings.maxConcurrency,
  functionTimeoutMs: settings.functionTimeoutMs,
  functionName: 'tenant-events',
  memoryLimitInMB: 512,
  waitTimeSeconds: 1,
  handlerModule: { path: settings.handlerFile, env: settings.handlerEnv },
  onInvocation: (report) => {
    const at = Date.now();
    for (const id of report.succeededMessageIds) done.push([id, at]);
    if (report.outcome !== 'success' && problems.length < 5) {
      problems.push({ outcome: report.outcome, error: report.error, coldStart: report.coldStart });
    }
  },
});
// Ready: the benchmark queues everything, then says so.
writeSync(1, 'ready\n');
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
let drainError: string | undefined;
try {
  await runner.drained({ timeoutMs: settings.drainTimeoutMs });
} catch (error) {
  drainError = error instanceof Error ? error.message : String(error);
}
const cpu = process.cpuUsage(cpuAtStart);
const stats = runner.stats();
await runner.stop();
sqs.destroy();

const report: ScaleChildReport = {
  done,
  stats,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  baselineRssBytes,
  cpuMs: (cpu.user + cpu.system) / 1000,
  problems,
  ...(drainError === undefined ? {} : { drainError }),
};
writeSync(3, JSON.stringify(report));
process.exit(0);
