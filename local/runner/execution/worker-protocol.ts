import type { SQSEvent } from 'aws-lambda';
import type { ContextInit, SerializedError } from './runtime-support.mjs';

export { type SerializedError, serializeError } from './runtime-support.mjs';

/** The messages between the runner and an environment's runtime (worker-runtime.mjs). */

export interface WorkerData {
  moduleUrl: string;
  exportName: string;
}

export interface InvokeRequest {
  type: 'invoke';
  id: string;
  event: SQSEvent;
  context: ContextInit;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerializedError }
  | { type: 'result'; id: string; value: unknown }
  | { type: 'error'; id: string; error: SerializedError };
