import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import {
  ExecutionEnvironmentExitedError,
  HandlerInitError,
  InvocationTimeoutError,
  RemoteHandlerError,
} from '../errors.ts';
import { freshLogStreamName } from './log-stream.ts';
import type { ModuleCode } from './module-code.ts';
import type {
  EnvironmentInvocation,
  ExecutionEnvironment,
  HandlerOutcome,
  InvocationContextBase,
} from './types.ts';
import { startWorkerThread, type WorkerSignal, type WorkerThread } from './worker-thread.ts';

/** Lambda gives the init phase (module import) 10 s of its own, apart from the function timeout. */
const INIT_TIMEOUT_MS = 10_000;

interface LiveEnvironment {
  thread: WorkerThread;
  logStreamName: string;
}

/**
 * An isolated execution environment: a long-lived worker thread that imports the handler module
 * once. Like Lambda, a timed-out invocation kills the sandbox (the thread is terminated, so no
 * code of that invocation runs afterwards) and the next invocation cold-starts a fresh one; a
 * crash or failed init does the same.
 */
export const createWorkerEnvironment = (
  source: ModuleCode,
  log: (line: string) => void,
): ExecutionEnvironment => {
  let live: LiveEnvironment | undefined;

  const discard = async (): Promise<void> => {
    const current = live;
    live = undefined;
    await current?.thread.terminate();
  };

  return {
    invoke: async (
      event: SQSEvent,
      base: InvocationContextBase,
      timeoutMs: number,
    ): Promise<EnvironmentInvocation> => {
      if (live?.thread.exited) await discard();
      const coldStart = live === undefined;
      if (live === undefined) {
        const started = { thread: startWorkerThread(source, log), logStreamName: freshLogStreamName() };
        live = started;
        const initError = await awaitReady(started.thread, source);
        if (initError !== undefined) {
          await discard();
          return { outcome: { status: 'failed', error: initError }, coldStart };
        }
      }
      const { thread, logStreamName } = live;
      const id = randomUUID();
      thread.post({
        type: 'invoke',
        id,
        event,
        context: { ...base, logStreamName, deadlineMs: Date.now() + timeoutMs },
      });
      const outcome = toOutcome(await thread.next(timeoutMs), base.awsRequestId, timeoutMs);
      if (outcome.status === 'timedOut' || thread.exited) await discard();
      return { outcome, coldStart };
    },
    dispose: discard,
  };
};

const awaitReady = async (thread: WorkerThread, source: ModuleCode): Promise<Error | undefined> => {
  const signal = await thread.next(INIT_TIMEOUT_MS);
  const context = { module: source.moduleUrl, exportName: source.exportName, mode: source.mode };
  if (signal?.type === 'ready') return undefined;
  if (signal === undefined)
    return new HandlerInitError(`init did not finish within ${INIT_TIMEOUT_MS} ms`, context);
  if (signal.type === 'init-error') {
    return new HandlerInitError(`${signal.error.errorType}: ${signal.error.errorMessage}`, context);
  }
  return new ExecutionEnvironmentExitedError(`during init (${describe(signal)})`);
};

const toOutcome = (
  signal: WorkerSignal | undefined,
  requestId: string,
  timeoutMs: number,
): HandlerOutcome => {
  if (signal === undefined)
    return { status: 'timedOut', error: new InvocationTimeoutError(requestId, timeoutMs) };
  if (signal.type === 'result') return { status: 'returned', value: signal.value };
  if (signal.type === 'error') return { status: 'failed', error: new RemoteHandlerError(signal.error) };
  if (signal.type === 'exit') {
    return { status: 'failed', error: new ExecutionEnvironmentExitedError(signal.reason, signal.cause) };
  }
  return {
    status: 'failed',
    error: new ExecutionEnvironmentExitedError(`unexpected "${signal.type}" message`),
  };
};

const describe = (signal: WorkerSignal): string => (signal.type === 'exit' ? signal.reason : signal.type);
