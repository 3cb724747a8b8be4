import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { RunnerOptionError } from './errors.ts';
import type { InvocationReport } from './report.ts';

// biome-ignore lint/suspicious/noConfusingVoidType: Lambda handlers may resolve with nothing.
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/**
 * How a handler module's source becomes the code an execution environment runs:
 * - `bundle` (the default): a TypeScript entry is bundled exactly as CDK ships it (the stack's
 *   esbuild options, local/bundle), once per content, and the environment imports that bundle
 *   with source maps on, as the deployed function does; a `.js` / `.mjs` file is taken as an
 *   already built bundle and imported as it is. No TypeScript loader runs in the environment.
 * - `source`: the file itself, TypeScript loaded through tsx, for debugging the sources.
 */
export type HandlerModuleMode = 'bundle' | 'source';

/** Set to 1 (or true) to make `source` the default mode (an explicit `mode` still wins). */
export const SOURCE_MODE_ENV = 'LOCAL_RUNNER_SOURCE';

export interface HandlerModuleOptions {
  /** File of the handler module (absolute, or relative to the working directory). */
  path: string;
  /** Named export holding the handler (default `handler`). */
  exportName?: string;
  /** Environment of the execution environment, merged over `process.env`. */
  env?: Record<string, string>;
  /** Default `bundle`, or `source` when LOCAL_RUNNER_SOURCE=1 is set in the runner's environment. */
  mode?: HandlerModuleMode;
}

interface CommonRunnerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  /** Records per invocation, 1..10 (the SQS ReceiveMessage maximum). Default 10. */
  batchSize?: number;
  /** Concurrent invocations (pollers / execution environments), >= 1. Default 2. */
  maxConcurrency?: number;
  /**
   * Function timeout; the whole batch fails when an invocation outlives it. At most the queue's
   * visibility timeout, which is also the default (capped at 30000).
   */
  functionTimeoutMs?: number;
  functionName?: string;
  memoryLimitInMB?: number;
  /** Long-polling wait of each ReceiveMessage, 0..20 s. Default 1 so `stop()` stays quick. */
  waitTimeSeconds?: number;
  /** Keep gathering records for up to this long before invoking with a partial batch. Default 0. */
  maximumBatchingWindowMs?: number;
  onInvocation?: (report: InvocationReport) => void;
  log?: (line: string) => void;
}

export type EventSourceRunnerOptions = CommonRunnerOptions &
  (
    | { handler: SqsBatchHandler; handlerModule?: undefined }
    | { handlerModule: HandlerModuleOptions; handler?: undefined }
  );

export type HandlerSource =
  | { kind: 'in-process'; handler: SqsBatchHandler }
  | {
      kind: 'module';
      /** Absolute path of the module as given (a TypeScript entry, or a built bundle). */
      file: string;
      mode: HandlerModuleMode;
      exportName: string;
      env: Record<string, string>;
    };

export interface ResolvedRunnerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  accountId: string;
  batchSize: number;
  maxConcurrency: number;
  functionTimeoutMs: number;
  functionName: string;
  memoryLimitInMB: number;
  waitTimeSeconds: number;
  maximumBatchingWindowMs: number;
  handlerSource: HandlerSource;
  onInvocation: (report: InvocationReport) => void;
  log: (line: string) => void;
}

/** Lambda's smallest memory setting, and its default. */
const DEFAULT_MEMORY_MB = 128;
/** Lambda function names: letters, digits, hyphens, underscores, up to 64 characters. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SQS_ARN = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_.-]+$/;

/** Validates every option once, up front, so a bad setup fails before any poller starts. */
export const resolveRunnerOptions = (options: EventSourceRunnerOptions): ResolvedRunnerOptions => {
  requireValue('sqs', options.sqs);
  requireNonEmpty('queueUrl', options.queueUrl);
  requireNonEmpty('region', options.region);
  const arn = SQS_ARN.exec(options.queueArn ?? '');
  if (arn === null) throw new RunnerOptionError('queueArn', `"${options.queueArn}" is not an SQS queue ARN`);
  const functionName = options.functionName ?? 'local-sqs-consumer';
  if (!FUNCTION_NAME.test(functionName)) {
    throw new RunnerOptionError('functionName', 'must be 1-64 letters, digits, hyphens or underscores');
  }
  return {
    sqs: options.sqs,
    queueUrl: options.queueUrl,
    queueArn: options.queueArn,
    region: options.region,
    accountId: arn[2] ?? '000000000000',
    batchSize: integerIn('batchSize', options.batchSize ?? 10, 1, 10),
    maxConcurrency: integerIn('maxConcurrency', options.maxConcurrency ?? 2, 1, Number.MAX_SAFE_INTEGER),
    // 0 stands for "not given": resolved against the queue's visibility timeout at start.
    functionTimeoutMs:
      options.functionTimeoutMs === undefined ? 0 : positive('functionTimeoutMs', options.functionTimeoutMs),
    functionName,
    memoryLimitInMB: integerIn('memoryLimitInMB', options.memoryLimitInMB ?? DEFAULT_MEMORY_MB, 128, 10_240),
    waitTimeSeconds: integerIn('waitTimeSeconds', options.waitTimeSeconds ?? 1, 0, 20),
    maximumBatchingWindowMs: integerIn(
      'maximumBatchingWindowMs',
      options.maximumBatchingWindowMs ?? 0,
      0,
      300_000,
    ),
    handlerSource: resolveHandlerSource(options),
    onInvocation: optionalFunction('onInvocation', options.onInvocation) ?? (() => {}),
    log: optionalFunction('log', options.log) ?? (() => {}),
  };
};

const resolveHandlerSource = (options: EventSourceRunnerOptions): HandlerSource => {
  const hasHandler = options.handler !== undefined;
  const hasModule = options.handlerModule !== undefined;
  if (hasHandler === hasModule) {
    throw new RunnerOptionError('handler', 'pass exactly one of "handler" and "handlerModule"');
  }
  if (options.handler !== undefined) {
    if (typeof options.handler !== 'function') throw new RunnerOptionError('handler', 'must be a function');
    return { kind: 'in-process', handler: options.handler };
  }
  const module = options.handlerModule as HandlerModuleOptions;
  requireNonEmpty('handlerModule.path', module.path);
  const file = resolve(module.path);
  if (!existsSync(file)) throw new RunnerOptionError('handlerModule.path', `no file at ${file}`);
  const exportName = module.exportName ?? 'handler';
  requireNonEmpty('handlerModule.exportName', exportName);
  return { kind: 'module', file, mode: modeOf(module.mode), exportName, env: { ...(module.env ?? {}) } };
};

const modeOf = (mode: HandlerModuleMode | undefined): HandlerModuleMode => {
  if (mode !== undefined && mode !== 'bundle' && mode !== 'source') {
    throw new RunnerOptionError('handlerModule.mode', `must be "bundle" or "source", got ${String(mode)}`);
  }
  if (mode !== undefined) return mode;
  const fromEnv = process.env[SOURCE_MODE_ENV];
  return fromEnv === '1' || fromEnv === 'true' ? 'source' : 'bundle';
};

const requireValue = (option: string, value: unknown): void => {
  if (value === undefined || value === null) throw new RunnerOptionError(option, 'is required');
};

const requireNonEmpty = (option: string, value: unknown): void => {
  if (typeof value !== 'string' || value.length === 0)
    throw new RunnerOptionError(option, 'must be a non-empty string');
};

const integerIn = (option: string, value: number, min: number, max: number): number => {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new RunnerOptionError(option, `must be an integer ${range}, got ${value}`);
  }
  return value;
};

const positive = (option: string, value: number): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RunnerOptionError(option, `must be a number > 0, got ${value}`);
  }
  return value;
};

const optionalFunction = <T>(option: string, value: T | undefined): T | undefined => {
  if (value !== undefined && typeof value !== 'function')
    throw new RunnerOptionError(option, 'must be a function');
  return value;
};
