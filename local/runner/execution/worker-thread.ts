import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ModuleCode } from './module-code.ts';
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

/**
 * V8 sizes each thread's young generation for throughput by default (16 MiB semi-spaces, 32 MiB
 * resident once a busy thread has grown them), which is half of an environment's heap here.
 * Locally every environment shares one machine; on Lambda each has its own sandbox. 12 MiB
 * (4 MiB semi-spaces) keeps a batch's garbage in the young generation while cutting about
 * 24 MiB per environment; docs/performance.md has the measurements.
 */
const YOUNG_GENERATION_MB = 12;

/**
 * Starts a worker thread for a handler module. The protocol is strictly request/response, so
 * signals go to a single waiter; one that arrives with nobody waiting (say, a crash between
 * invocations) is kept for the next `next()`.
 */
export const startWorkerThread = (code: ModuleCode, log: (line: string) => void): WorkerThread => {
  const data: WorkerData = { moduleUrl: code.moduleUrl, exportName: code.exportName };
  // The handler's stdout and stderr go to the runner's log, line by line, as Lambda sends a
  // function's output to its CloudWatch log stream. The thread's own flags, never the runner's:
  // a thread inherits process.execArgv otherwise, and under tsx that loads tsx in every thread.
  const worker = new Worker(code.entryUrl, {
    workerData: data,
    execArgv: [...code.execArgv],
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    env: { ...process.env, ...code.env },
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
