import { waitUntilDrained } from './drain.ts';
import { RunnerOptionError } from './errors.ts';
import {
  createExecutionEnvironment,
  type ExecutionEnvironment,
  type PreparedHandler,
  prepareModuleCode,
} from './execution/index.ts';
import { type EventSourceRunnerOptions, resolveRunnerOptions } from './options.ts';
import { type RunnerState, runPoller } from './poller.ts';
import { createStats, type RunnerStats } from './report.ts';
import { readVisibilityTimeoutSeconds } from './sqs-calls.ts';

export interface EventSourceRunner {
  /** Stops polling, lets every received batch finish, then shuts the execution environments down. */
  stop(): Promise<void>;
  /** Resolves when the queue has no visible, in-flight or delayed message and no invocation runs. */
  drained(options?: { timeoutMs?: number }): Promise<void>;
  stats(): RunnerStats;
}

const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

/**
 * Runs a handler against an SQS queue the way a Lambda SQS event source mapping does
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html): `maxConcurrency` pollers each
 * long-poll a batch, invoke the handler with a Lambda-shaped event and context, delete the
 * records that succeeded and leave the rest to reappear after the queue's visibility timeout.
 * Redrive to a DLQ is the queue's own RedrivePolicy, exactly as on AWS.
 */
const DEFAULT_FUNCTION_TIMEOUT_MS = 30_000;

export const startEventSourceRunner = async (
  options: EventSourceRunnerOptions,
): Promise<EventSourceRunner> => {
  const given = resolveRunnerOptions(options);
  // Lambda receives with the queue's own visibility timeout; reading it also proves the queue exists.
  const visibilityTimeoutSeconds = await readVisibilityTimeoutSeconds(given.sqs, given.queueUrl);
  const resolved =
    given.functionTimeoutMs > 0
      ? given
      : {
          ...given,
          functionTimeoutMs: Math.min(DEFAULT_FUNCTION_TIMEOUT_MS, visibilityTimeoutSeconds * 1000),
        };
  // Lambda refuses an event source whose queue could hand a message to a second invocation
  // while the first may still run it: the visibility timeout must cover the function timeout.
  // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
  if (visibilityTimeoutSeconds * 1000 < resolved.functionTimeoutMs) {
    throw new RunnerOptionError(
      'functionTimeoutMs',
      `${resolved.functionTimeoutMs} ms exceeds the queue's visibility timeout of ${visibilityTimeoutSeconds} s`,
    );
  }
  // A handler module is bundled (once per content) before any poller starts, so a bundling
  // mistake fails the start, as it would fail `cdk synth`.
  const source = resolved.handlerSource;
  const prepared: PreparedHandler =
    source.kind === 'in-process' ? source : { kind: 'module', code: await prepareModuleCode(source) };
  const state: RunnerState = { stopping: false, running: 0, stats: createStats() };
  const environments: ExecutionEnvironment[] = Array.from({ length: resolved.maxConcurrency }, () =>
    createExecutionEnvironment(prepared, resolved.log),
  );
  const pollers = environments.map((environment, slot) =>
    runPoller({ slot, options: resolved, environment, visibilityTimeoutSeconds, state }),
  );
  let stopped: Promise<void> | undefined;

  return {
    stop: () => {
      stopped ??= (async () => {
        state.stopping = true;
        await Promise.all(pollers);
        await Promise.all(environments.map((environment) => environment.dispose()));
      })();
      return stopped;
    },
    drained: (drainOptions = {}) =>
      waitUntilDrained({
        sqs: resolved.sqs,
        queueUrl: resolved.queueUrl,
        running: () => state.running,
        timeoutMs: drainOptions.timeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
      }),
    stats: () => ({ ...state.stats }),
  };
};
