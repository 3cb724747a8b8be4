/**
 * One request's way through the emulator: body, route, the concurrency limit, faults (latency
 * first, then at most one outcome fault), authentication, handler, answer — and a record of it
 * all for tests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, identify } from './auth.ts';
import type { ConcurrencyLimiter } from './concurrency.ts';
import { serverError, TwilioApiError, tooManyRequests } from './errors.ts';
import type { FaultBook, FaultPlan, OutcomeFault } from './faults.ts';
import { parseForm } from './form.ts';
import { type HandlerResult, handlers } from './handlers.ts';
import {
  type Connection,
  pause,
  readBody,
  resetConnection,
  sendError,
  sendJson,
  watchConnection,
} from './http.ts';
import type { ListLag } from './list-lag.ts';
import type { RequestRecorder } from './recorder.ts';
import { matchRoute, type RouteMatch } from './router.ts';
import type { AccountStore } from './store.ts';
import type { TwilioRoute } from './types.ts';

export interface PipelineDeps {
  readonly store: AccountStore;
  readonly listLag: ListLag;
  readonly limiter: ConcurrencyLimiter;
  readonly faults: FaultBook;
  readonly recorder: RequestRecorder;
  readonly log: (line: string) => void;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly fault?: HandlerResult['fault'];
}

interface Trace {
  readonly route: TwilioRoute;
  readonly method: string;
  readonly path: string;
  readonly fault: string | undefined;
}

const DEFAULT_RETRY_AFTER_SECONDS = 1;
const CONCURRENCY_FAULT = 'concurrency-limit';

const errorAnswer = (error: TwilioApiError): Answer => ({
  status: error.status,
  body: error.body(),
  headers: error.headers,
});

const faultLabel = (plan: FaultPlan): string | undefined => {
  const kinds = [plan.latencyFired ? 'latency' : undefined, plan.outcome?.kind].filter(Boolean);
  return kinds.length === 0 ? undefined : kinds.join('+');
};

/** The answer an outcome fault forces, if it is one that answers at all. */
const faultAnswer = (fault: OutcomeFault | undefined): Answer | undefined => {
  if (fault?.kind === 'rate-limit') {
    return errorAnswer(tooManyRequests(fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
  }
  if (fault?.kind === 'server-error') return errorAnswer(serverError(fault.status));
  return undefined;
};

const parseUrl = (raw: string | undefined): URL | undefined => {
  try {
    return new URL(`http://emulator${raw ?? '/'}`);
  } catch {
    return undefined;
  }
};

const execute = (
  deps: PipelineDeps,
  match: RouteMatch,
  req: IncomingMessage,
  url: URL,
  body: Buffer,
): Answer => {
  try {
    const principal = authenticate(deps.store, req.headers.authorization);
    const form =
      req.method === 'POST' ? parseForm(req.headers['content-type'], body) : new Map<string, string>();
    const result = handlers[match.route]({
      store: deps.store,
      listLag: deps.listLag,
      principal,
      sid: match.sid,
      keySid: match.keySid,
      form,
      query: url.searchParams,
    });
    return { ...result, headers: {} };
  } catch (error) {
    if (error instanceof TwilioApiError) return errorAnswer(error);
    // A bug of the emulator itself; bad input is always answered with a TwilioApiError above.
    deps.log(`internal error on ${match.route}: ${error instanceof Error ? error.name : typeof error}`);
    return errorAnswer(serverError(500));
  }
};

const finish = (deps: PipelineDeps, trace: Trace, status: number | 'reset'): void => {
  deps.recorder.record({
    route: trace.route,
    method: trace.method,
    path: trace.path,
    status,
    fault: trace.fault,
  });
  const fault = trace.fault === undefined ? '' : ` fault=${trace.fault}`;
  deps.log(`${trace.method} ${trace.path.split('?')[0]} ${status} route=${trace.route}${fault}`);
};

const answer = (deps: PipelineDeps, res: ServerResponse, trace: Trace, reply: Answer): void => {
  sendJson(res, reply.status, reply.body, reply.headers);
  if (reply.fault !== undefined) deps.recorder.countFault(reply.fault);
  const fault = [trace.fault, reply.fault].filter(Boolean).join('+') || undefined;
  finish(deps, { ...trace, fault }, reply.status);
};

const reset = (deps: PipelineDeps, req: IncomingMessage, trace: Trace): void => {
  resetConnection(req);
  finish(deps, trace, 'reset');
};

interface RouteContext {
  readonly match: RouteMatch;
  readonly url: URL;
  readonly body: Buffer;
}

const runFaultsAndHandler = async (
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
  connection: Connection,
  context: RouteContext,
): Promise<void> => {
  const plan = deps.faults.plan(context.match.route);
  const trace: Trace = {
    route: context.match.route,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    fault: faultLabel(plan),
  };
  if (plan.latencyMs > 0) await pause(plan.latencyMs, connection);
  // The caller gave up during the delay (a crashed or timed-out client): nothing is applied.
  if (connection.gone()) return finish(deps, trace, 'reset');
  if (plan.outcome?.kind === 'reset-before') return reset(deps, req, trace);
  const forced = faultAnswer(plan.outcome);
  if (forced !== undefined) return answer(deps, res, trace, forced);
  const result = execute(deps, context.match, req, context.url, context.body);
  // Applied but never answered: the caller cannot tell whether its create happened.
  if (plan.outcome?.kind === 'reset-after') return reset(deps, req, trace);
  answer(deps, res, trace, result);
};

/**
 * Over the concurrency limit the request is answered at once and never applied, before any other
 * fault is consulted (so it spends none of their `times`); otherwise it holds its slot until it
 * is answered or reset, latency included.
 */
const runRoute = async (
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
  connection: Connection,
  context: RouteContext,
): Promise<void> => {
  const slot = deps.limiter.acquire(identify(deps.store, req.headers.authorization)?.account.sid);
  if (slot === undefined) {
    deps.recorder.countFault(CONCURRENCY_FAULT);
    const trace = {
      route: context.match.route,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      fault: CONCURRENCY_FAULT,
    };
    return answer(deps, res, trace, errorAnswer(tooManyRequests(DEFAULT_RETRY_AFTER_SECONDS)));
  }
  try {
    await runFaultsAndHandler(deps, req, res, connection, context);
  } finally {
    slot.release();
  }
};

const routeOf = (method: string, url: URL | undefined): RouteMatch | TwilioApiError => {
  try {
    return matchRoute(method, url?.pathname ?? '');
  } catch (error) {
    return error instanceof TwilioApiError ? error : serverError(500);
  }
};

/** Unknown paths and methods are answered (404 / 405) but belong to no route, so no fault applies. */
const answerUnrouted = (
  deps: PipelineDeps,
  res: ServerResponse,
  method: string,
  error: TwilioApiError,
): void => {
  sendError(res, error);
  deps.log(`${method} (unrouted) ${error.status}`);
};

export const handleRequest = async (
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> => {
  deps.recorder.countRequest();
  const connection = watchConnection(res);
  const body = await readBody(req).catch((error: unknown) =>
    error instanceof TwilioApiError ? error : undefined,
  );
  // The client left while still sending: there is no one to answer.
  if (body === undefined || connection.gone()) return;
  const method = req.method ?? 'GET';
  const url = parseUrl(req.url);
  const match = routeOf(method, url);
  if (match instanceof TwilioApiError || url === undefined) {
    return answerUnrouted(deps, res, method, match instanceof TwilioApiError ? match : serverError(500));
  }
  deps.recorder.countRoute(match.route);
  if (body instanceof TwilioApiError) {
    const trace = { route: match.route, method, path: req.url ?? '/', fault: undefined };
    return answer(deps, res, trace, errorAnswer(body));
  }
  await runRoute(deps, req, res, connection, { match, url, body });
};
