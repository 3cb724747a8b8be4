import type { HandlerSource } from '../options.ts';
import { createInProcessEnvironment } from './in-process.ts';
import type { ExecutionEnvironment } from './types.ts';
import { createWorkerEnvironment } from './worker-environment.ts';

export type {
  EnvironmentInvocation,
  ExecutionEnvironment,
  HandlerOutcome,
  InvocationContextBase,
} from './types.ts';

/** `log` receives an isolated handler's output lines (in-process handlers write where they like). */
export const createExecutionEnvironment = (
  source: HandlerSource,
  log: (line: string) => void,
): ExecutionEnvironment =>
  source.kind === 'in-process'
    ? createInProcessEnvironment(source.handler)
    : createWorkerEnvironment(source, log);
