// The parts of the execution-environment runtime that the runner's TypeScript shares with it:
// plain JavaScript, so an environment running a bundle loads no TypeScript loader at all. Typed
// by runtime-support.d.mts.

/** A Lambda `Context` rebuilt from its plain-data form (functions cannot cross threads). */
export const createLambdaContext = (init) => ({
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

/** An error as Lambda reports it: type and message only, never the object itself. */
export const serializeError = (error, fallbackType = 'Error') => {
  if (!(error instanceof Error)) return { errorType: fallbackType, errorMessage: String(error) };
  const { code, retryable } = error;
  return {
    errorType: error.name,
    errorMessage: error.message,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    ...(typeof retryable === 'boolean' ? { retryable } : {}),
  };
};
