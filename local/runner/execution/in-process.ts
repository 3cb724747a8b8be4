import type { SQSEvent } from 'aws-lambda';
import { InvocationTimeoutError } from '../errors.ts';
import { createLambdaContext } from '../lambda-context.ts';
import type { SqsBatchHandler } from '../options.ts';
import { freshLogStreamName } from './log-stream.ts';
import type {
  EnvironmentInvocation,
  ExecutionEnvironment,
  HandlerOutcome,
  InvocationContextBase,
} from './types.ts';

/**
 * Runs the handler in the runner's own thread. A timed-out invocation cannot be killed here, so
 * its late result (and any late side effect) is simply ignored; use a handler module for the
 * sandbox-kill behaviour of real Lambda.
 */
export const createInProcessEnvironment = (handler: SqsBatchHandler): ExecutionEnvironment => {
  let logStreamName: string | undefined;
  return {
    invoke: async (
      event: SQSEvent,
      base: InvocationContextBase,
      timeoutMs: number,
    ): Promise<EnvironmentInvocation> => {
      const coldStart = logStreamName === undefined;
      logStreamName ??= freshLogStreamName();
      const context = createLambdaContext({ ...base, logStreamName, deadlineMs: Date.now() + timeoutMs });
      const run = Promise.resolve()
        .then(() => handler(event, context))
        .then(
          (value): HandlerOutcome => ({ status: 'returned', value }),
          (error: unknown): HandlerOutcome => ({ status: 'failed', error }),
        );
      return { outcome: await withTimeout(run, timeoutMs, base.awsRequestId), coldStart };
    },
    dispose: async () => {},
  };
};

const withTimeout = async (
  run: Promise<HandlerOutcome>,
  timeoutMs: number,
  requestId: string,
): Promise<HandlerOutcome> => {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<HandlerOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'timedOut', error: new InvocationTimeoutError(requestId, timeoutMs) }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([run, timedOut]);
  } finally {
    clearTimeout(timer);
  }
};
