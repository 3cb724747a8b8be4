/**
 * A Twilio call with its retries: credentials, one refresh on 401 (a rotated main-account token),
 * then the retry policy's decisions, never starting an attempt or a sleep past the deadline.
 * When retries stop, the last error is thrown as is, still carrying its `retryable` decision.
 */
import { type AttemptRequest, type AttemptSettings, attemptOnce } from './attempt.ts';
import { authorizationHeader } from './auth.ts';
import { TwilioCallAbortedError, TwilioError } from './errors.ts';
import type { TwilioOperation } from './operations.ts';
import { decideRetry } from './retry-policy.ts';
import type { TwilioHttpAnswer } from './transport.ts';
import type { CallOptions, TwilioCredentialSource, TwilioCredentials } from './types.ts';

export interface CallContext extends AttemptSettings {
  readonly baseUrl: string;
  readonly credentials: TwilioCredentialSource;
  readonly userAgent: string;
  readonly random: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface TwilioCall {
  readonly operation: TwilioOperation;
  /** The `{Sid}` of a fetch or update. */
  readonly accountSid?: string;
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly form?: URLSearchParams;
}

/** Throws when no further attempt may start: the last failure if there was one. */
const assertMayStart = (operation: TwilioOperation, options: CallOptions, lastError?: TwilioError): void => {
  if (options.signal?.aborted) throw lastError ?? new TwilioCallAbortedError(operation, 'signal', false);
  if (options.deadline !== undefined && Date.now() >= options.deadline) {
    throw lastError ?? new TwilioCallAbortedError(operation, 'deadline', false);
  }
};

const requestWith = (ctx: CallContext, call: TwilioCall, credentials: TwilioCredentials): AttemptRequest => ({
  ...call,
  headers: {
    authorization: authorizationHeader(credentials),
    'user-agent': ctx.userAgent,
    accept: 'application/json',
  },
});

export const callTwilio = async (
  ctx: CallContext,
  call: TwilioCall,
  options: CallOptions = {},
): Promise<TwilioHttpAnswer> => {
  let credentials = await ctx.credentials.current();
  let refreshed = false;
  let attempts = 0;
  let lastError: TwilioError | undefined;
  for (;;) {
    assertMayStart(call.operation, options, lastError);
    try {
      return await attemptOnce(ctx, requestWith(ctx, call, credentials), options);
    } catch (error) {
      if (!(error instanceof TwilioError)) throw error;
      lastError = error;
    }
    if (lastError.kind === 'auth' && ctx.credentials.refresh && !refreshed) {
      refreshed = true;
      credentials = await ctx.credentials.refresh();
      continue;
    }
    attempts += 1;
    const decision = decideRetry({
      policy: ctx.policy,
      operation: call.operation,
      failure: lastError,
      attempts,
      now: Date.now(),
      deadline: options.deadline,
      random: ctx.random,
    });
    if (!decision.retry) throw lastError;
    const failure = lastError;
    await ctx.sleep(decision.delayMs, options.signal).catch(() => {
      throw failure;
    });
  }
};
