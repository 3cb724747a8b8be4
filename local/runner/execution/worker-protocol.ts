import type { SQSEvent } from 'aws-lambda';
import type { ContextInit } from '../lambda-context.ts';

export interface WorkerData {
  moduleUrl: string;
  exportName: string;
}

/** An error as Lambda reports it: type and message only, never the object itself. */
export interface SerializedError {
  errorType: string;
  errorMessage: string;
  errorCode?: string;
  retryable?: boolean;
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

export const serializeError = (error: unknown, fallbackType = 'Error'): SerializedError => {
  if (!(error instanceof Error)) return { errorType: fallbackType, errorMessage: String(error) };
  const { code, retryable } = error as { code?: unknown; retryable?: unknown };
  return {
    errorType: error.name,
    errorMessage: error.message,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    ...(typeof retryable === 'boolean' ? { retryable } : {}),
  };
};
