/**
 * One attempt of a Twilio call: send, read, and turn any failure into a typed error. The caller's
 * signal and deadline both abort the attempt in flight, so a Lambda never outlives its budget.
 */
import type { Dispatcher } from 'undici';
import { apiErrorFromAnswer, networkErrorFromThrown } from './error-mapping.ts';
import { TwilioCallAbortedError } from './errors.ts';
import type { TwilioOperation } from './operations.ts';
import type { RetryPolicy } from './retry-policy.ts';
import { exchange, type TwilioHttpAnswer, type TwilioTimeouts } from './transport.ts';
import type { CallOptions } from './types.ts';

/** setTimeout fires at once for delays past 2^31 - 1 ms; a deadline that far away is no deadline. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface AttemptSettings {
  readonly dispatcher: Dispatcher;
  readonly timeouts: TwilioTimeouts;
  readonly policy: RetryPolicy;
}

export interface AttemptRequest {
  readonly operation: TwilioOperation;
  /** The `{Sid}` the request is about, named by its errors. */
  readonly accountSid?: string;
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly form?: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
}

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

/** Resolves with a 2xx answer; rejects with a `TwilioError` for anything else. */
export const attemptOnce = async (
  settings: AttemptSettings,
  request: AttemptRequest,
  options: CallOptions,
): Promise<TwilioHttpAnswer> => {
  const guard = guardAttempt(options);
  let answer: TwilioHttpAnswer;
  try {
    answer = await exchange(settings.dispatcher, settings.timeouts, { ...request, signal: guard.signal });
  } catch (thrown) {
    const reason = guard.reason();
    if (reason) throw new TwilioCallAbortedError(request.operation, reason, true, thrown);
    throw networkErrorFromThrown(request.operation, thrown, settings.policy);
  } finally {
    guard.dispose();
  }
  if (answer.status >= 200 && answer.status < 300) return answer;
  throw apiErrorFromAnswer(
    { operation: request.operation, accountSid: request.accountSid, ...answer },
    settings.policy,
    Date.now(),
  );
};
