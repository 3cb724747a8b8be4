import type { Context } from 'aws-lambda';

/**
 * Everything a Lambda `Context` holds, as plain data, so it can cross into a worker thread and be
 * rebuilt there (functions cannot be posted between threads).
 */
export interface ContextInit {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch ms at which the function times out. */
  deadlineMs: number;
}

export declare const createLambdaContext: (init: ContextInit) => Context;

/** An error as Lambda reports it: type and message only, never the object itself. */
export interface SerializedError {
  errorType: string;
  errorMessage: string;
  errorCode?: string;
  retryable?: boolean;
}

export declare const serializeError: (error: unknown, fallbackType?: string) => SerializedError;
