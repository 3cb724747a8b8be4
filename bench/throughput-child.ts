/**
 * The handler side of the throughput benchmark, in a process of its own: the local event-source
 * runner polls the queue (served by the benchmark process) and invokes the bundled handler in
 * worker threads, one execution environment per concurrency slot. Its RSS is therefore the
 * handlers' (plus the runner's), not the emulators'. Reads its settings as JSON from argv[2] and
 * reports as JSON on file descriptor 3.
 */
import { writeSync } from 'node:fs';
import { type InvocationReport, type RunnerStats, startEventSourceRunner } from '../local/runner/index.ts';
// The client alone: the SQS server (fauxqs) runs in the benchmark process, not here.
import { createLocalSqsClient } from '../local/sqs/sqs-client.ts';

export interface ThroughputChildSettings {
  readonly sqsEndpoint: string;
  readonly region: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly maxConcurrency: number;
  readonly functionTimeoutMs: number;
  readonly drainTimeoutMs: number;
  readonly handlerFile: string;
  readonly handlerEnv: Record<string, string>;
}

export interface ThroughputChildReport {
  readonly elapsedMs: number;
  readonly stats: Pick<RunnerStats, 'records' | 'succeeded' | 'failed' | 'invocations' | 'coldStarts'>;
  /** RSS before the runner started (Node and the runner's modules). */
  readonly baselineRssBytes: number;
  /** Highest RSS of this process over its life (getrusage). */
  readonly maxRssBytes: number;
  /** CPU time (user + system) of this process, every thread, from start to drained. */
  readonly cpuMs: number;
  /** Invocations that did not succeed whole: their outcome and error, for the report. */
  readonly problems: ReadonlyArray<
    Pick<InvocationReport, 'outcome' | 'error' | 'coldStart'> & { failed: number }
  >;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as ThroughputChildSettings;
const sqs = createLocalSqsClient({ endpoint: settings.sqsEndpoint, region: settings.region });
const baselineRssBytes = process.memoryUsage.rss();

const problems: ThroughputChildReport['problems'][number][] = [];
const started = performance.now();
const cpuAtStart = process.cpuUsage();
const runner = await startEventSourceRunner({
  sqs,
  queueUrl: settings.queueUrl,
  queueArn: settings.queueArn,
  region: settings.region,
  batchSize: 10,
  maxConcurrency: settings.maxConcurrency,
  functionTimeoutMs: settings.functionTimeoutMs,
  waitTimeSeconds: 0,
  handlerModule: { path: settings.handlerFile, env: settings.handlerEnv },
  onInvocation: ({ outcome, error, coldStart, failedMessageIds }) => {
    if (outcome !== 'success') problems.push({ outcome, error, coldStart, failed: failedMessageIds.length });
  },
});
await runner.drained({ timeoutMs: settings.drainTimeoutMs });
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuAtStart);
const stats = runner.stats();
await runner.stop();
sqs.destroy();

const report: ThroughputChildReport = {
  elapsedMs,
  stats,
  baselineRssBytes,
  // resourceUsage reports kibibytes.
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  cpuMs: (cpu.user + cpu.system) / 1000,
  problems,
};
writeSync(3, JSON.stringify(report));
process.exit(0);
