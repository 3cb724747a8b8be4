/**
 * One fault-injection run: the local cloud with faults injected, the real tenant-events handler in
 * isolated execution environments, the seeded workload published through the producer code, until
 * the queue drains; then the final state is read back for the invariant checks.
 */
import { fileURLToPath } from 'node:url';
import { type LocalCloud, startLocalCloud } from '../../../local/cloud.ts';
import { type Expectations, expectTenantStates, toEventLine } from '../../../local/expectations.ts';
import {
  type EventSourceRunner,
  type InvocationReport,
  type RunnerStats,
  startEventSourceRunner,
} from '../../../local/runner/index.ts';
import type { SecretsEmulatorStats } from '../../../local/secrets-emulator/index.ts';
import type { TwilioEmulatorStats } from '../../../local/twilio-emulator/index.ts';
import { ENV } from '../../../shared/contracts/env-names.ts';
import { publishMessages } from '../../../shared/publishing/publisher.ts';
import { clearFaults, injectFaults, RUN_TIMING } from './fault-plan.ts';
import { type CapturedLine, startLogCapture } from './log-capture.ts';
import { type Observed, observe } from './observe.ts';
import { diceOf, streamOf } from './random.ts';
import type { E2eSettings } from './settings.ts';
import { generateWorkload, type PlannedMessage, type Workload } from './workload.ts';

/** Run as the bundle CDK deploys (the runner's default mode; LOCAL_RUNNER_SOURCE=1 for the sources). */
const HANDLER_PATH = fileURLToPath(new URL('../../../functions/tenant-events/handler.ts', import.meta.url));

export interface PublishedMessage {
  /** Position in publication order, also the line number given to the expectations model. */
  readonly index: number;
  readonly messageId: string;
  readonly planned: PlannedMessage;
}

/** An invocation as the runner reported it, and when it had ended (epoch ms). */
export interface EndedInvocation {
  readonly report: InvocationReport;
  readonly endedAt: number;
}

export interface RunStats {
  readonly twilio: TwilioEmulatorStats;
  readonly secrets: SecretsEmulatorStats;
  readonly runner: RunnerStats;
  /** In the order they ended. */
  readonly invocations: readonly EndedInvocation[];
  readonly processingMs: number;
}

export interface ScenarioRun {
  readonly settings: E2eSettings;
  readonly workload: Workload;
  readonly published: readonly PublishedMessage[];
  readonly expectations: Expectations;
  readonly observed: Observed;
  readonly logs: readonly CapturedLine[];
  /** Every auth token Twilio issued during the run (never printed). */
  readonly issuedTokens: readonly string[];
  readonly stats: RunStats;
  /** Why the queue did not drain in time, if it did not. */
  readonly drainError?: string;
}

/** Scales with the workload; the default size drains in well under a minute. */
export const drainTimeoutMs = (settings: E2eSettings): number => 60_000 + settings.tenants * 100;

/** Room for start-up, publishing and reading the final state around the drain. */
export const scenarioTimeoutMs = (settings: E2eSettings): number => drainTimeoutMs(settings) + 60_000;

const publish = async (
  cloud: LocalCloud,
  messages: readonly PlannedMessage[],
  offset: number,
): Promise<PublishedMessage[]> => {
  const results = await publishMessages({ sqs: cloud.sqs.client, queueUrl: cloud.sqs.queueUrl }, messages);
  const refused = results.filter((result) => result.messageId === undefined);
  if (refused.length > 0) {
    throw new Error(
      `SQS refused ${refused.length} messages, e.g. #${refused[0]?.index}: ${refused[0]?.error?.message}`,
    );
  }
  return results.map((result) => ({
    index: offset + result.index,
    messageId: result.messageId!,
    planned: messages[result.index]!,
  }));
};

const startCloud = (settings: E2eSettings, capture: ReturnType<typeof startLogCapture>) =>
  startLocalCloud({
    maxReceiveCount: RUN_TIMING.maxReceiveCount,
    visibilityTimeoutSeconds: RUN_TIMING.visibilityTimeoutSeconds,
    twilio: {
      random: streamOf(settings.seed, 'twilio-faults'),
      // Room for every lifecycle of every tenant, so the account limit never interferes.
      subaccountLimit: settings.tenants * 3 + 100,
      // New accounts show in the FriendlyName list only after a while, as Twilio documents no
      // consistency for it: a lost create answer must be waited out, never created twice.
      listLag: { seconds: RUN_TIMING.listLagSeconds },
      log: capture.sink('twilio'),
    },
    secrets: { random: streamOf(settings.seed, 'secrets-faults'), log: capture.sink('secrets') },
    dynamodb: { random: streamOf(settings.seed, 'dynamodb-faults') },
  });

/**
 * The environment runs with this process's variables underneath; the function's own settings from
 * the surrounding shell are blanked (empty counts as unset), so only the local cloud's apply.
 */
const handlerEnv = (cloud: LocalCloud): Record<string, string> => ({
  ...Object.fromEntries(Object.values(ENV).map((name) => [name, ''])),
  ...cloud.env,
  [ENV.secretRecoveryWindowDays]: '7',
  [ENV.createSettleSeconds]: String(RUN_TIMING.createSettleSeconds),
  // DEBUG so that whatever the handler could log at all is searched for tokens.
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
});

const startRunner = (
  cloud: LocalCloud,
  capture: ReturnType<typeof startLogCapture>,
  invocations: EndedInvocation[],
): Promise<EventSourceRunner> =>
  startEventSourceRunner({
    sqs: cloud.sqs.client,
    queueUrl: cloud.sqs.queueUrl,
    queueArn: cloud.sqs.queueArn,
    region: cloud.region,
    batchSize: RUN_TIMING.batchSize,
    maxConcurrency: RUN_TIMING.concurrency,
    functionTimeoutMs: RUN_TIMING.functionTimeoutMs,
    functionName: 'tenant-events',
    handlerModule: { path: HANDLER_PATH, env: handlerEnv(cloud) },
    log: capture.sink('runner'),
    onInvocation: (report) => invocations.push({ report, endedAt: Date.now() }),
  });

const drain = async (runner: EventSourceRunner, settings: E2eSettings): Promise<string | undefined> => {
  try {
    await runner.drained({ timeoutMs: drainTimeoutMs(settings) });
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
};

export const runScenario = async (settings: E2eSettings): Promise<ScenarioRun> => {
  const workload = generateWorkload(diceOf(streamOf(settings.seed, 'workload')), settings.tenants);
  const capture = startLogCapture();
  const invocations: EndedInvocation[] = [];
  let cloud: LocalCloud | undefined;
  let runner: EventSourceRunner | undefined;
  try {
    cloud = await startCloud(settings, capture);
    injectFaults(cloud);
    runner = await startRunner(cloud, capture, invocations);
    const startedAt = performance.now();
    const first = await publish(cloud, workload.firstWave, 0);
    const published = [...first, ...(await publish(cloud, workload.secondWave, first.length))];
    const drainError = await drain(runner, settings);
    await runner.stop();
    const processingMs = performance.now() - startedAt;
    clearFaults(cloud);
    const stats = {
      twilio: cloud.twilio.stats(),
      secrets: cloud.secrets.stats(),
      runner: runner.stats(),
      invocations,
      processingMs,
    };
    return {
      settings,
      workload,
      published,
      expectations: expectTenantStates(published.map((m) => toEventLine(m.planned.body, m.index))),
      observed: await observe(cloud),
      logs: capture.lines(),
      issuedTokens: cloud.twilio.issuedAuthTokens(),
      stats,
      ...(drainError === undefined ? {} : { drainError }),
    };
  } finally {
    await runner?.stop();
    capture.stop();
    await cloud?.stop();
  }
};
