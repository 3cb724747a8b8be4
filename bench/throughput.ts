/**
 * Sustained throughput: 1,000 `tenant.created` events (fresh tenants) are queued, then the local
 * event-source runner drains them through the shipped bundle with 1 and with 5 concurrent
 * execution environments, as the SQS event source mapping would with that maximum concurrency.
 * The runner and its handlers run in a child process of plain Node (bench/child-bundle.ts), so
 * their peak RSS is measured apart from the emulators in this one, and without tsx.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../infra/paths.ts';
import { type LocalCloud, startLocalCloud } from '../local/cloud.ts';
import { publishEvents } from '../shared/publishing/publisher.ts';
import type { BundledFunction } from './bundle.ts';
import { bundleChild } from './child-bundle.ts';
import { BenchRunError } from './errors.ts';
import { freshTenantId, tenantEvents } from './events.ts';
import { deployedFunctionEnv, FUNCTION_TIMEOUT_MS } from './lambda-env.ts';
import { mib, round } from './stats.ts';
import type { ThroughputChildReport, ThroughputChildSettings } from './throughput-child.ts';

const CHILD = fileURLToPath(new URL('./throughput-child.ts', import.meta.url));

export interface ThroughputRun {
  readonly events: number;
  readonly maxConcurrency: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
  readonly invocations: number;
  readonly coldStarts: number;
  /** Records whose first attempt failed (so SQS redelivered them after the visibility timeout). */
  readonly redeliveredRecords: number;
  readonly firstProblem: string | undefined;
  readonly peakRssMiB: number;
  readonly baselineRssMiB: number;
  /** CPU time of the runner process (all its threads) per event, cold starts included. */
  readonly cpuMsPerEvent: number;
  /** That CPU time over the elapsed time: 1 is one CPU kept busy. */
  readonly cpuShare: number;
}

export interface ThroughputResult {
  readonly c1: ThroughputRun;
  readonly c5: ThroughputRun;
  readonly speedupC5VsC1: number;
  /** The higher of the two runs' peaks. */
  readonly peakRssMiB: number;
}

let childFile: Promise<string> | undefined;

/** The child script, built once per benchmark run. */
export const throughputChild = (): Promise<string> => {
  childFile ??= bundleChild('throughput-child', CHILD);
  return childFile;
};

const runChild = async (settings: ThroughputChildSettings, env: Record<string, string>) => {
  const file = await throughputChild();
  return new Promise<ThroughputChildReport>((resolve, reject) => {
    const child = spawn(process.execPath, [file, JSON.stringify(settings)], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    const report: Buffer[] = [];
    let stderr = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => report.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(report).toString();
      if (code !== 0 || text === '') {
        reject(new BenchRunError('throughput', `runner process exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(text) as ThroughputChildReport);
    });
  });
};

const describeProblem = (problem: ThroughputChildReport['problems'][number]): string =>
  `${problem.outcome}${problem.coldStart ? ' (cold start)' : ''}: ${problem.error?.type ?? ''} ${problem.error?.message ?? ''}`.trim();

const queueEvents = async (cloud: LocalCloud, count: number): Promise<void> => {
  const events = Array.from(
    { length: count },
    () => tenantEvents(freshTenantId('tp'), ['tenant.created'])[0]!,
  );
  const results = await publishEvents({ sqs: cloud.sqs.client, queueUrl: cloud.sqs.queueUrl }, events);
  const refused = results.filter((result) => result.error !== undefined).length;
  if (refused > 0) throw new BenchRunError('throughput', `${refused} event(s) could not be queued`);
};

/**
 * One run against a local cloud of its own: the emulators' work grows with what they hold (a
 * FriendlyName list reads every account), so a run after another would be measured against a
 * fuller Twilio, Secrets Manager and ledger than the one before it.
 */
export const runThroughputAt = async (
  bundle: BundledFunction,
  events: number,
  maxConcurrency: number,
): Promise<ThroughputRun> => {
  const cloud = await startLocalCloud({ twilio: { subaccountLimit: events + 1_000 } });
  try {
    return await runAt(cloud, bundle, events, maxConcurrency);
  } finally {
    await cloud.stop();
  }
};

const runAt = async (
  cloud: LocalCloud,
  bundle: BundledFunction,
  events: number,
  maxConcurrency: number,
): Promise<ThroughputRun> => {
  await queueEvents(cloud, events);
  const env = deployedFunctionEnv(cloud);
  const report = await runChild(
    {
      sqsEndpoint: cloud.sqs.url,
      region: cloud.region,
      queueUrl: cloud.sqs.queueUrl,
      queueArn: cloud.sqs.queueArn,
      maxConcurrency,
      functionTimeoutMs: FUNCTION_TIMEOUT_MS,
      drainTimeoutMs: 120_000,
      handlerFile: bundle.file,
      handlerEnv: env,
    },
    env,
  );
  // Every event must end up applied; attempts that failed first (and were redelivered) are reported.
  if (report.stats.succeeded !== events) {
    throw new BenchRunError(
      'throughput',
      `${report.stats.succeeded} of ${events} events succeeded: ${JSON.stringify(report.problems.slice(0, 3))}`,
    );
  }
  return {
    events,
    maxConcurrency,
    elapsedMs: round(report.elapsedMs),
    eventsPerSecond: round((events / report.elapsedMs) * 1000),
    invocations: report.stats.invocations,
    coldStarts: report.stats.coldStarts,
    redeliveredRecords: report.stats.failed,
    firstProblem: report.problems[0] === undefined ? undefined : describeProblem(report.problems[0]),
    peakRssMiB: mib(report.maxRssBytes),
    baselineRssMiB: mib(report.baselineRssBytes),
    cpuMsPerEvent: round(report.cpuMs / events, 2),
    cpuShare: round(report.cpuMs / report.elapsedMs, 2),
  };
};

export const measureThroughput = async (
  bundle: BundledFunction,
  options: { events: number },
): Promise<ThroughputResult> => {
  const c1 = await runThroughputAt(bundle, options.events, 1);
  const c5 = await runThroughputAt(bundle, options.events, 5);
  return {
    c1,
    c5,
    speedupC5VsC1: round(c5.eventsPerSecond / c1.eventsPerSecond, 2),
    peakRssMiB: Math.max(c1.peakRssMiB, c5.peakRssMiB),
  };
};
