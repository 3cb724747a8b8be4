import type { SqsBatchHandler } from '../options.ts';
import { createInProcessEnvironment } from './in-process.ts';
import type { ModuleCode } from './module-code.ts';
import type { ExecutionEnvironment } from './types.ts';
import { createWorkerEnvironment } from './worker-environment.ts';

export { type ModuleCode, prepareModuleCode } from './module-code.ts';
export type {
  EnvironmentInvocation,
  ExecutionEnvironment,
  HandlerOutcome,
  InvocationContextBase,
} from './types.ts';

/** What the environments run: a function in this thread, or module code for isolated threads. */
export type PreparedHandler =
  | { kind: 'in-process'; handler: SqsBatchHandler }
  | { kind: 'module'; code: ModuleCode };

/** `log` receives an isolated handler's output lines (in-process handlers write where they like). */
export const createExecutionEnvironment = (
  prepared: PreparedHandler,
  log: (line: string) => void,
): ExecutionEnvironment =>
  prepared.kind === 'in-process'
    ? createInProcessEnvironment(prepared.handler)
    : createWorkerEnvironment(prepared.code, log);
