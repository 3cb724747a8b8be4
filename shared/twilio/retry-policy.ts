/**
 * When to try a Twilio call again, as data, and the pure decisions taken from it.
 *
 * Backoff is exponential with full jitter (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/);
 * a `Retry-After` from Twilio replaces it. Nothing is started or slept past the caller's deadline.
 */
import { TwilioConfigError } from './errors.ts';
import type { TwilioOperation } from './types.ts';

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly retryableStatuses: readonly number[];
  /** Socket and undici error codes worth another attempt. */
  readonly retryableErrorCodes: readonly string[];
  /**
   * Operations that may be sent again after Twilio may have applied them. Setting a Status or a
   * FriendlyName twice has the same effect as once, and so has deleting a key (the second answer
   * is a 404); creating a subaccount or a key twice does not.
   */
  readonly idempotentOperations: readonly TwilioOperation[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 5000,
  retryableStatuses: Object.freeze([429, 500, 502, 503, 504]),
  retryableErrorCodes: Object.freeze([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
  ]),
  idempotentOperations: Object.freeze([
    'fetch',
    'list',
    'update',
    'key-list',
    'key-fetch',
    'key-delete',
    'balance',
  ] as const),
});

const requireInteger = (name: string, value: number, min: number): void => {
  if (!Number.isInteger(value) || value < min) {
    throw new TwilioConfigError(`retry.${name}`, `must be an integer >= ${min}`);
  }
};

/** Merges overrides onto the defaults and validates the result once, naming the bad option. */
export const resolveRetryPolicy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  requireInteger('maxAttempts', policy.maxAttempts, 1);
  requireInteger('baseDelayMs', policy.baseDelayMs, 0);
  requireInteger('maxDelayMs', policy.maxDelayMs, policy.baseDelayMs);
  return Object.freeze(policy);
};

/**
 * Full jitter: a uniform delay in [0, min(maxDelay, base * 2^(retry - 1))).
 * `retry` is 1 for the first retry.
 */
export const backoffDelayMs = (policy: RetryPolicy, retry: number, random: () => number): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
};

/** What the retry loop needs to know about a failed attempt. */
export interface AttemptFailure {
  readonly retryable: boolean;
  /** Retryable, but only by a later delivery: another attempt now would meet the same refusal. */
  readonly retryLater?: boolean;
  readonly mayHaveApplied: boolean;
  readonly retryAfterMs: number | undefined;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | {
      readonly retry: false;
      readonly reason: 'not-retryable' | 'retry-later' | 'not-idempotent' | 'max-attempts' | 'deadline';
    };

export interface RetryQuestion {
  readonly policy: RetryPolicy;
  readonly operation: TwilioOperation;
  readonly failure: AttemptFailure;
  /** Attempts made so far, the failed one included. */
  readonly attempts: number;
  readonly now: number;
  readonly deadline: number | undefined;
  readonly random: () => number;
}

export const decideRetry = (q: RetryQuestion): RetryDecision => {
  if (!q.failure.retryable) return { retry: false, reason: 'not-retryable' };
  if (q.failure.retryLater === true) return { retry: false, reason: 'retry-later' };
  if (q.failure.mayHaveApplied && !q.policy.idempotentOperations.includes(q.operation)) {
    return { retry: false, reason: 'not-idempotent' };
  }
  if (q.attempts >= q.policy.maxAttempts) return { retry: false, reason: 'max-attempts' };
  const delayMs = q.failure.retryAfterMs ?? backoffDelayMs(q.policy, q.attempts, q.random);
  if (q.deadline !== undefined && q.now + delayMs >= q.deadline) return { retry: false, reason: 'deadline' };
  return { retry: true, delayMs };
};
