import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { InternalServiceError, SecretsApiError, UnknownOperationError } from './errors.ts';
import type { FaultInjector } from './faults.ts';
import { findOperation, type Operation, type OperationContext } from './operations/index.ts';
import type { CallStats } from './stats.ts';
import { parseInput, readBody, sendError, sendResult, targetOperation, waitWhileConnected } from './wire.ts';

export interface RequestHandlerDeps {
  readonly context: OperationContext;
  readonly faults: FaultInjector;
  readonly stats: CallStats;
  /** Persists state; called after a call that changed it, before answering. */
  readonly save: () => Promise<void>;
  readonly log: (line: string) => void;
}

/** The secret a request is about, for log lines: a name or ARN, never a value. */
const subjectOf = (input: Record<string, unknown>): string => {
  const subject = input.SecretId ?? input.Name;
  return typeof subject === 'string' ? ` secret=${subject}` : '';
};

const apply = async (deps: RequestHandlerDeps, handler: Operation, input: unknown): Promise<unknown> => {
  const { store } = deps.context;
  try {
    store.purgeExpired(deps.context.now());
    return handler.run(input, deps.context);
  } finally {
    if (store.takeChanged()) await deps.save();
  }
};

/** Unexpected failures are emulator bugs: answered as AWS would (500), logged without the request. */
const asApiError = (error: unknown, deps: RequestHandlerDeps, operation: string): SecretsApiError => {
  if (error instanceof SecretsApiError) return error;
  deps.log(`${operation} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  return new InternalServiceError();
};

const handle = async (deps: RequestHandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const operation = targetOperation(req);
  deps.stats.request(operation);
  const label = operation ?? '(no target)';
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof SecretsApiError) sendError(res, error);
    return;
  }
  let input: Record<string, unknown> = {};
  try {
    const handler = req.method === 'POST' && operation !== undefined ? findOperation(operation) : undefined;
    if (operation === undefined || handler === undefined) throw new UnknownOperationError(operation);
    const decision = deps.faults.decide(operation);
    deps.stats.faults(operation, decision.fired);
    if (decision.delayMs > 0 && !(await waitWhileConnected(res, decision.delayMs))) {
      deps.log(`${operation} dropped: the caller disconnected during injected latency, nothing applied`);
      return;
    }
    if (decision.error) throw decision.error;
    input = parseInput(body);
    sendResult(res, await apply(deps, handler, input));
    deps.log(`${operation} 200${subjectOf(input)}`);
  } catch (error) {
    const apiError = asApiError(error, deps, label);
    sendError(res, apiError);
    deps.log(`${label} ${apiError.httpStatus} ${apiError.awsType}${subjectOf(input)}`);
  }
};

export const createRequestListener =
  (deps: RequestHandlerDeps): RequestListener =>
  (req, res) => {
    void handle(deps, req, res);
  };
