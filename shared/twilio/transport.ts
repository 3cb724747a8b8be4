/**
 * One attempt of a Twilio request over undici: send, read the whole answer, and turn any failure
 * into a typed error. The caller's signal and deadline both abort the attempt in flight, so a
 * Lambda never outlives its budget. A single keep-alive `Agent` serves the whole process (a Lambda
 * container reuses its TLS connection across invocations); tests pass their own.
 */
import type { Dispatcher } from 'undici';
import sendRequest from 'undici/lib/api/api-request.js';
// Only undici's Agent and its request API. The package entry also loads fetch, WebSocket, the
// caches and the mocks: about 240 KiB of bundle and ~40 ms of cold start this client never uses.
import Agent from 'undici/lib/dispatcher/agent.js';
import {
  apiErrorFromAnswer,
  networkErrorFromThrown,
  TwilioCallAbortedError,
  TwilioConfigError,
} from './errors.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { CallOptions, TwilioAnswer, TwilioRequest } from './types.ts';

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

/** Node's WebAssembly global, which this project's TypeScript libs declare as types only. */
const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** `(func (result v128) v128.const 0)`: valid only where WebAssembly SIMD is. */
const WASM_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/**
 * The functions ship undici's HTTP parser in its WebAssembly SIMD build only (the other build is
 * left out of the bundle: infra/constructs/provisioner-function.ts), which every Lambda runtime
 * runs (x86_64 and arm64). A runtime without SIMD would fail at the first connection with a
 * missing module; this says why, at cold start, instead.
 */
export const assertHttpParserSupported = (simd = wasm.validate(WASM_SIMD_PROBE)): void => {
  if (!simd) {
    throw new TwilioConfigError(
      'the runtime',
      'lacks WebAssembly SIMD, which the bundled HTTP parser (undici llhttp) needs',
    );
  }
};

export const sharedDispatcher = (connectTimeoutMs: number): Dispatcher => {
  let agent: Dispatcher | undefined = sharedAgents.get(connectTimeoutMs);
  if (!agent) {
    assertHttpParserSupported();
    agent = new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 10_000 });
    sharedAgents.set(connectTimeoutMs, agent);
  }
  return agent;
};

export interface Transport {
  readonly dispatcher: Dispatcher;
  readonly timeouts: TwilioTimeouts;
  /** Whose lists decide the `retryable` of the errors an attempt throws. */
  readonly policy: RetryPolicy;
}

/** setTimeout fires at once for delays past 2^31 - 1 ms; a deadline that far away is no deadline. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface AbortGuard {
  readonly signal: AbortSignal;
  readonly reason: () => 'deadline' | 'signal' | undefined;
  readonly dispose: () => void;
}

const guardAttempt = (options: CallOptions): AbortGuard => {
  const controller = new AbortController();
  let reason: 'deadline' | 'signal' | undefined;
  const stop = (why: 'deadline' | 'signal') => () => {
    reason ??= why;
    controller.abort();
  };
  const onSignal = stop('signal');
  options.signal?.addEventListener('abort', onSignal, { once: true });
  const remaining = options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - Date.now();
  const timer = remaining < MAX_TIMER_MS ? setTimeout(stop('deadline'), Math.max(0, remaining)) : undefined;
  return {
    signal: controller.signal,
    reason: () => reason,
    dispose: () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onSignal);
    },
  };
};

/** Sends one request and reads the whole body; throws whatever undici or the socket threw. */
const exchange = async (
  transport: Transport,
  request: TwilioRequest,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<TwilioAnswer> => {
  const form = request.form?.toString();
  const response = await sendRequest.call(transport.dispatcher, {
    origin: request.url.origin,
    path: `${request.url.pathname}${request.url.search}`,
    method: request.method,
    headers:
      form === undefined ? headers : { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    signal,
    headersTimeout: transport.timeouts.headersMs,
    bodyTimeout: transport.timeouts.bodyMs,
  });
  const body = await response.body.text();
  return {
    operation: request.operation,
    accountSid: request.accountSid,
    keySid: request.keySid,
    status: response.statusCode,
    headers: response.headers,
    body,
  };
};

/** Resolves with a 2xx answer; rejects with a `TwilioError` for anything else. */
export const attemptOnce = async (
  transport: Transport,
  request: TwilioRequest,
  headers: Readonly<Record<string, string>>,
  options: CallOptions,
): Promise<TwilioAnswer> => {
  const guard = guardAttempt(options);
  let answer: TwilioAnswer;
  try {
    answer = await exchange(transport, request, headers, guard.signal);
  } catch (thrown) {
    const reason = guard.reason();
    if (reason) throw new TwilioCallAbortedError(request.operation, reason, true, thrown);
    throw networkErrorFromThrown(request.operation, thrown, transport.policy);
  } finally {
    guard.dispose();
  }
  if (answer.status >= 200 && answer.status < 300) return answer;
  throw apiErrorFromAnswer(answer, transport.policy, Date.now());
};
