import {
  type Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import { Readable } from 'node:stream';
import type { DynaliteHandler } from './dynalite.ts';
import type { DynamoFaultInjector } from './faults.ts';
import type { ProxyStats } from './stats.ts';
import { readBody, sendDynamoError, sendThrottle, targetOperation, waitWhileConnected } from './wire.ts';

export interface ProxyDeps {
  /** Where dynalite listens, and its request listener in this process. */
  readonly upstream: { host: string; port: number; handle: DynaliteHandler };
  /** Keep-alive connections to dynalite, destroyed on close. */
  readonly agent: Agent;
  readonly faults: DynamoFaultInjector;
  readonly stats: ProxyStats;
  readonly log: (line: string) => void;
  /**
   * Calls being forwarded right now. close() waits for them before destroying the agent: dynalite
   * rethrows an error on a request whose connection is cut, which would crash the process.
   */
  readonly inFlight: Set<Promise<unknown>>;
}

interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Hop-by-hop headers belong to one connection and are not passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

const forwardable = (headers: IncomingHttpHeaders, body: Buffer): IncomingHttpHeaders => {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  return { ...kept, 'content-length': String(body.length) };
};

/**
 * Sends the call to dynalite unchanged (headers, signature and body as the SDK wrote them) and
 * reads the whole answer, so that by the time it resolves dynalite has applied the call.
 */
const forward = (deps: ProxyDeps, req: IncomingMessage, body: Buffer): Promise<UpstreamAnswer> =>
  new Promise((resolve, reject) => {
    const upstream = request(
      {
        host: deps.upstream.host,
        port: deps.upstream.port,
        method: req.method,
        path: req.url,
        headers: forwardable(req.headers, body),
        agent: deps.agent,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.once('error', reject);
        answer.once('end', () =>
          resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    upstream.once('error', reject);
    upstream.end(body);
  });

/**
 * Hands the call to dynalite's own listener in this process, which answers the caller directly:
 * the same handling as over HTTP without a second request to parse and a second answer to write
 * (about a third of what a call costs the local cloud). The body was read already, so dynalite
 * gets it replayed; its listener rethrows a request stream's error, which this stream never has.
 */
const dispatch = (deps: ProxyDeps, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> =>
  new Promise((resolve) => {
    res.once('close', () => resolve());
    const replayed = Object.assign(Readable.from([body]), {
      headers: req.headers,
      method: req.method,
      url: req.url,
    });
    deps.upstream.handle(replayed as unknown as IncomingMessage, res);
  });

/**
 * The caller's connection is cut after dynalite applied the call and before a single byte of the
 * answer is written: the SDK sees a socket error (ECONNRESET, "socket hang up") and cannot know
 * whether the write happened — the case a conditional write must be safe to retry against.
 */
const loseAnswer = (res: ServerResponse): void => {
  res.socket?.destroy();
  res.destroy();
};

const handle = async (deps: ProxyDeps, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const operation = targetOperation(req);
  const label = operation ?? '(no target)';
  deps.stats.request(operation);
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    deps.log(`${label} not forwarded: ${error instanceof Error ? error.message : String(error)}`);
    res.writeHead(413).end();
    return;
  }
  // Calls without a target are dynalite's to refuse; faults apply to DynamoDB operations only.
  const decision =
    operation === undefined ? { delayMs: 0, fired: [], outcome: undefined } : deps.faults.decide(operation);
  for (const kind of decision.fired) deps.stats.fault(label, kind);
  if (decision.delayMs > 0 && !(await waitWhileConnected(res, decision.delayMs))) {
    deps.log(`${label} dropped: the caller disconnected during injected latency, nothing applied`);
    return;
  }
  if (decision.outcome === 'throttle') {
    sendThrottle(res);
    deps.log(`${label} 400 ProvisionedThroughputExceededException (injected, not applied)`);
    return;
  }
  if (decision.outcome !== 'lost-answer') {
    const dispatching = dispatch(deps, req, res, body);
    deps.inFlight.add(dispatching);
    await dispatching;
    deps.inFlight.delete(dispatching);
    deps.log(`${label} ${res.statusCode}`);
    return;
  }
  // A lost answer is applied over HTTP, so that the answer can be read and then not relayed.
  let answer: UpstreamAnswer;
  const forwarding = forward(deps, req, body);
  deps.inFlight.add(forwarding);
  try {
    answer = await forwarding;
  } catch (error) {
    deps.log(`${label} dynalite failed: ${error instanceof Error ? error.message : String(error)}`);
    sendDynamoError(res, 500, 'InternalServerError', 'Internal server error');
    return;
  } finally {
    deps.inFlight.delete(forwarding);
  }
  loseAnswer(res);
  deps.log(`${label} ${answer.status} applied, answer lost (injected)`);
};

export const createProxyListener =
  (deps: ProxyDeps) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    void handle(deps, req, res);
  };
