/**
 * One HTTP exchange with Twilio over undici. A single keep-alive `Agent` serves the whole process
 * (a Lambda container reuses its TLS connection across invocations); tests pass their own.
 */
import type { Dispatcher } from 'undici';
import sendRequest from 'undici/lib/api/api-request.js';
// Only undici's Agent and its request API. The package entry also loads fetch, WebSocket, the
// caches and the mocks: about 240 KiB of bundle and ~40 ms of cold start this client never uses.
import Agent from 'undici/lib/dispatcher/agent.js';

export interface TwilioTimeouts {
  /** TCP + TLS connect. */
  readonly connectMs: number;
  /** From the request being sent to the response headers. */
  readonly headersMs: number;
  /** Between two chunks of the response body. */
  readonly bodyMs: number;
}

export const DEFAULT_TIMEOUTS: TwilioTimeouts = Object.freeze({
  connectMs: 3000,
  headersMs: 10_000,
  bodyMs: 10_000,
});

// Keyed by connect timeout, the one setting that belongs to the agent rather than the request.
const sharedAgents = new Map<number, Dispatcher>();

export const sharedDispatcher = (connectTimeoutMs: number): Dispatcher => {
  let agent: Dispatcher | undefined = sharedAgents.get(connectTimeoutMs);
  if (!agent) {
    agent = new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 10_000 });
    sharedAgents.set(connectTimeoutMs, agent);
  }
  return agent;
};

export interface TwilioHttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly form?: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

export interface TwilioHttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Sends one request and reads the whole body; throws whatever undici or the socket threw. */
export const exchange = async (
  dispatcher: Dispatcher,
  timeouts: TwilioTimeouts,
  request: TwilioHttpRequest,
): Promise<TwilioHttpAnswer> => {
  const form = request.form?.toString();
  const response = await sendRequest.call(dispatcher, {
    origin: request.url.origin,
    path: `${request.url.pathname}${request.url.search}`,
    method: request.method,
    headers:
      form === undefined
        ? request.headers
        : { ...request.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    signal: request.signal,
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  });
  const body = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body };
};
