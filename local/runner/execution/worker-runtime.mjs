// The "runtime" of one execution environment (a worker thread): imports the handler module once
// (the init phase, the cold start), then serves invocations one at a time until the runner
// terminates the thread. Plain JavaScript, so that in `bundle` mode nothing but Node and the
// function's bundle loads in the thread, as on Lambda; in `source` mode worker-bootstrap.mjs
// registers tsx first. The messages it sends are typed in worker-protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { createLambdaContext, serializeError } from './runtime-support.mjs';

const port = parentPort;
if (port === null) throw new Error('worker-runtime must run inside a worker thread');
const post = (message) => port.postMessage(message);

const loadHandler = async ({ moduleUrl, exportName }) => {
  let module;
  try {
    module = await import(moduleUrl);
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
  return handler;
};

const invoke = async (handler, request) => {
  let value;
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

const handler = await loadHandler(workerData);
if (handler !== undefined) {
  port.on('message', (request) => {
    void invoke(handler, request);
  });
  post({ type: 'ready' });
}
