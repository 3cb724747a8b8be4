/**
 * The tenant-events function behind the local event source: the real Lambda entry module
 * (functions/tenant-events/handler.ts), bundled with the stack's esbuild options as CDK ships it
 * (local/bundle, once per content) and imported in isolated execution environments exactly as
 * deployed, configured only through its environment. `--from-source` runs the TypeScript instead.
 */
import { fileURLToPath } from 'node:url';
import { type EventSourceRunner, startEventSourceRunner } from '../runner/index.ts';
import type { Target } from './target.ts';

export const HANDLER_MODULE = fileURLToPath(
  new URL('../../functions/tenant-events/handler.ts', import.meta.url),
);

/** The deployed function's timeout is longer; locally a stuck batch should surface in seconds. */
export const WORKER_SETTINGS = { batchSize: 10, maxConcurrency: 2, functionTimeoutMs: 10_000 } as const;

/**
 * Locally, warnings and errors are enough on the terminal (Powertools writes them to stderr, so
 * stdout stays for the report), and EMF metrics lines would only be noise. Either can be turned
 * back on from the shell: POWERTOOLS_LOG_LEVEL=INFO, POWERTOOLS_METRICS_DISABLED=false.
 */
const quietByDefault = (env: NodeJS.ProcessEnv): Record<string, string> => ({
  POWERTOOLS_LOG_LEVEL: env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  POWERTOOLS_METRICS_DISABLED: env.POWERTOOLS_METRICS_DISABLED ?? 'true',
});

export interface WorkerChoice {
  /** Run the sources through tsx; otherwise the runner's default (the bundle, or LOCAL_RUNNER_SOURCE). */
  readonly fromSource?: boolean;
}

export const startWorker = (target: Target, choice: WorkerChoice = {}): Promise<EventSourceRunner> =>
  startEventSourceRunner({
    sqs: target.sqs,
    queueUrl: target.queueUrl,
    queueArn: target.queueArn,
    region: target.region,
    ...WORKER_SETTINGS,
    functionName: 'tenant-events',
    handlerModule: {
      path: HANDLER_MODULE,
      exportName: 'handler',
      ...(choice.fromSource === true ? { mode: 'source' as const } : {}),
      env: { ...quietByDefault(process.env), ...target.handlerEnv },
    },
  });
