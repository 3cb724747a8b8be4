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

export const createLambdaContext = (init: ContextInit): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: init.functionName,
  functionVersion: init.functionVersion,
  invokedFunctionArn: init.invokedFunctionArn,
  memoryLimitInMB: init.memoryLimitInMB,
  awsRequestId: init.awsRequestId,
  logGroupName: init.logGroupName,
  logStreamName: init.logStreamName,
  getRemainingTimeInMillis: () => Math.max(0, init.deadlineMs - Date.now()),
  // The callback-era completion methods are deprecated and ignored for async handlers.
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

export interface FunctionIdentity {
  functionName: string;
  region: string;
  accountId: string;
  memoryLimitInMB: number;
}

/** ARN and log names exactly as Lambda forms them for an unqualified ($LATEST) invocation. */
export const describeFunction = (identity: FunctionIdentity) => ({
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${identity.region}:${identity.accountId}:function:${identity.functionName}`,
  logGroupName: `/aws/lambda/${identity.functionName}`,
  memoryLimitInMB: String(identity.memoryLimitInMB),
});

/** One log stream per execution environment: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
export const newLogStreamName = (now: Date, randomHex32: string): string => {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomHex32}`;
};
