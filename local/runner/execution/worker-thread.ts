import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { HandlerSource } from '../options.ts';
import type { WorkerData, WorkerMessage } from './worker-protocol.ts';

/** What a live worker can tell its environment: one of its messages, or that it has died. */
export type WorkerSignal = WorkerMessage | { type: 'exit'; reason: string; cause?: unknown };

export interface WorkerThread {
  /** Resolves with the next signal, or `undefined` after `timeoutMs`. */
  next(timeoutMs: number): Promise<WorkerSignal | undefined>;
  post(message: unknown): void;
  readonly exited: boolean;
  terminate(): Promise<void>;
}

const BOOTSTRAP_URL = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * Starts a worker thread for a handler module. The protocol is strictly request/response, so
 * signals go to a single waiter; one that arrives with nobody waiting (say, a crash between
 * invocations) is kept for the next `next()`.
 */
export const startWorkerThread = (
  source: Extract<HandlerSource, { kind: 'module' }>,
  log: (line: string) => void,
): WorkerThread => {
  const data: WorkerData = { moduleUrl: source.moduleUrl, exportName: source.exportName };
  // The handler's stdout and stderr go to the runner's log, line by line, as Lambda sends a
  // function's output to its CloudWatch log stream.
  const worker = new Worker(BOOTSTRAP_URL, {
    workerData: data,
    env: { ...process.env, ...source.env },
    stdout: true,
    stderr: true,
  });
  const forward = (stream: Readable) =>
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', log);
  forward(worker.stdout);
  forward(worker.stderr);
  let waiter: ((signal: WorkerSignal) => void) | undefined;
  const pending: WorkerSignal[] = [];
  let exited = false;
  const deliver = (signal: WorkerSignal): void => {
    if (signal.type === 'exit') exited = true;
    const current = waiter;
    waiter = undefined;
    if (current === undefined) pending.push(signal);
    else current(signal);
  };
  worker.on('message', (message: WorkerMessage) => deliver(message));
  worker.on('error', (error: Error) =>
    deliver({ type: 'exit', reason: `uncaught ${error.name}: ${error.message}`, cause: error }),
  );
  worker.on('exit', (code: number) => deliver({ type: 'exit', reason: `exit code ${code}` }));

  return {
    next: (timeoutMs) =>
      new Promise((resolve) => {
        const buffered = pending.shift();
        if (buffered !== undefined) {
          resolve(buffered);
          return;
        }
        if (exited) {
          resolve({ type: 'exit', reason: 'already exited' });
          return;
        }
        const timer = setTimeout(() => {
          waiter = undefined;
          resolve(undefined);
        }, timeoutMs);
        waiter = (signal) => {
          clearTimeout(timer);
          resolve(signal);
        };
      }),
    post: (message) => worker.postMessage(message),
    get exited() {
      return exited;
    },
    terminate: async () => {
      exited = true;
      waiter = undefined;
      await worker.terminate();
    },
  };
};
