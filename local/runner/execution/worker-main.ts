import { parentPort, workerData } from 'node:worker_threads';
import { createLambdaContext } from '../lambda-context.ts';
import type { SqsBatchHandler } from '../options.ts';
import {
  type InvokeRequest,
  serializeError,
  type WorkerData,
  type WorkerMessage,
} from './worker-protocol.ts';

/**
 * The "runtime" of one execution environment: imports the handler module once (the cold start),
 * then serves invocations one at a time until the runner terminates the thread.
 */
const port = parentPort;
if (port === null) throw new Error('worker-main must run inside a worker thread');
const post = (message: WorkerMessage): void => port.postMessage(message);

const loadHandler = async ({ moduleUrl, exportName }: WorkerData): Promise<SqsBatchHandler | undefined> => {
  let module: Record<string, unknown>;
  try {
    module = (await import(moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    post({ type: 'init-error', error: { ...serializeError(error), errorType: 'Runtime.ImportModuleError' } });
    return undefined;
  }
  const handler = module[exportName];
  if (typeof handler !== 'function') {
    post({
      type: 'init-error',
      error: {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${moduleUrl} has no function export "${exportName}"`,
      },
    });
    return undefined;
  }
  return handler as SqsBatchHandler;
};

const invoke = async (handler: SqsBatchHandler, request: InvokeRequest): Promise<void> => {
  let value: unknown;
  try {
    value = await handler(request.event, createLambdaContext(request.context));
  } catch (error) {
    post({ type: 'error', id: request.id, error: serializeError(error) });
    return;
  }
  try {
    post({ type: 'result', id: request.id, value });
  } catch (error) {
    // The response must survive serialisation, as it must for Lambda's runtime API.
    post({
      type: 'error',
      id: request.id,
      error: { ...serializeError(error), errorType: 'Runtime.MarshalError' },
    });
  }
};

const handler = await loadHandler(workerData as WorkerData);
if (handler !== undefined) {
  port.on('message', (request: InvokeRequest) => {
    void invoke(handler, request);
  });
  post({ type: 'ready' });
}
