// The context object is built in the execution environment's runtime too, which is plain
// JavaScript (so that an environment running a bundle loads no TypeScript loader): one definition.
export { type ContextInit, createLambdaContext } from './execution/runtime-support.mjs';

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
