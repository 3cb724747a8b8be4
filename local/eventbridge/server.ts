import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { EventBridgeApiError, InternalError, UnknownOperationError } from './errors.ts';
import type { EventBridgeFaultInjector } from './faults.ts';
import { type PutEventsContext, putEvents } from './put-events.ts';
import type { CallStats } from './stats.ts';
import { parseInput, readBody, sendError, sendResult, targetOperation, waitWhileConnected } from './wire.ts';

export interface RequestHandlerDeps {
  readonly context: PutEventsContext;
  readonly faults: EventBridgeFaultInjector;
  readonly stats: CallStats;
  readonly log: (line: string) => void;
}

/** Unexpected failures are stand-in bugs: answered as AWS would (500), logged without the request. */
const asApiError = (error: unknown, deps: RequestHandlerDeps, label: string): EventBridgeApiError => {
  if (error instanceof EventBridgeApiError) return error;
  deps.log(`${label} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
  return new InternalError();
};

const handle = async (deps: RequestHandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const operation = targetOperation(req);
  const label = operation ?? '(no target)';
  deps.stats.request(operation);
  try {
    const body = await readBody(req);
    if (req.method !== 'POST' || operation === undefined) {
      throw new UnknownOperationError('Expected POST / with an X-Amz-Target: AWSEvents.<Operation> header.');
    }
    if (operation !== 'PutEvents') {
      throw new UnknownOperationError(
        `${operation} is not an operation of the local EventBridge (PutEvents only).`,
      );
    }
    const decision = deps.faults.decide();
    deps.stats.faults(decision.fired);
    if (decision.delayMs > 0 && !(await waitWhileConnected(res, decision.delayMs))) {
      deps.log(`${label} dropped: the caller disconnected during injected latency, nothing stored`);
      return;
    }
    if (decision.error) throw decision.error;
    const outcome = putEvents(parseInput(body), deps.context, decision);
    const { FailedEntryCount } = outcome.output;
    deps.stats.entries({ stored: outcome.stored, dropped: outcome.dropped, failed: FailedEntryCount });
    sendResult(res, outcome.output);
    deps.log(`${label} 200 stored=${outcome.stored} dropped=${outcome.dropped} failed=${FailedEntryCount}`);
  } catch (error) {
    const apiError = asApiError(error, deps, label);
    sendError(res, apiError);
    deps.log(`${label} ${apiError.httpStatus} ${apiError.awsType}`);
  }
};

export const createRequestListener =
  (deps: RequestHandlerDeps): RequestListener =>
  (req, res) => {
    void handle(deps, req, res);
  };
