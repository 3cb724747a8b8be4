export { settleBatch } from './batch-response.ts';
export {
  DrainTimeoutError,
  ExecutionEnvironmentExitedError,
  HandlerInitError,
  InvalidBatchResponseError,
  InvocationTimeoutError,
  RemoteHandlerError,
  RunnerOptionError,
} from './errors.ts';
export { type ContextInit, createLambdaContext } from './lambda-context.ts';
export {
  type EventSourceRunnerOptions,
  type HandlerModuleMode,
  type HandlerModuleOptions,
  SOURCE_MODE_ENV,
  type SqsBatchHandler,
} from './options.ts';
export type { InvocationOutcome, InvocationReport, RunnerStats } from './report.ts';
export { type EventSourceRunner, startEventSourceRunner } from './runner.ts';
export { toLambdaMessageAttributes, toSqsRecord } from './sqs-event.ts';
