import { describe, expect, it } from 'vitest';
import { TwilioConfigError } from '../../../../shared/twilio/errors.ts';
import {
  type AttemptFailure,
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  type RetryQuestion,
  resolveRetryPolicy,
} from '../../../../shared/twilio/retry-policy.ts';
import { seededRandom } from '../../../helpers/seeded-random.ts';

const policy = resolveRetryPolicy();
const transient: AttemptFailure = { retryable: true, mayHaveApplied: true, retryAfterMs: undefined };
const refusedBeforeApplying: AttemptFailure = {
  retryable: true,
  mayHaveApplied: false,
  retryAfterMs: undefined,
};

const ask = (overrides: Partial<RetryQuestion>): ReturnType<typeof decideRetry> =>
  decideRetry({
    policy,
    operation: 'fetch',
    failure: transient,
    attempts: 1,
    now: 1_000_000,
    deadline: undefined,
    random: () => 0.5,
    ...overrides,
  });

describe('resolveRetryPolicy', () => {
  it('has the documented defaults', () => {
    expect(policy).toEqual({
      ...DEFAULT_RETRY_POLICY,
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 5000,
      retryableStatuses: [429, 500, 502, 503, 504],
      idempotentOperations: ['fetch', 'list', 'update', 'key-list', 'key-fetch', 'key-delete', 'balance'],
    });
    expect(policy.retryableErrorCodes).toEqual(
      expect.arrayContaining([
        'ECONNRESET',
        'ECONNREFUSED',
        'ETIMEDOUT',
        'EPIPE',
        'UND_ERR_SOCKET',
        'UND_ERR_CONNECT_TIMEOUT',
        'UND_ERR_HEADERS_TIMEOUT',
        'UND_ERR_BODY_TIMEOUT',
      ]),
    );
  });

  it('applies overrides', () => {
    expect(resolveRetryPolicy({ maxAttempts: 2, baseDelayMs: 10 })).toMatchObject({
      maxAttempts: 2,
      baseDelayMs: 10,
      maxDelayMs: 5000,
    });
  });

  it.each([
    [{ maxAttempts: 0 }, 'retry.maxAttempts'],
    [{ maxAttempts: 1.5 }, 'retry.maxAttempts'],
    [{ baseDelayMs: -1 }, 'retry.baseDelayMs'],
    [{ baseDelayMs: 200, maxDelayMs: 100 }, 'retry.maxDelayMs'],
  ])('rejects %j naming %s', (overrides, setting) => {
    expect(() => resolveRetryPolicy(overrides)).toThrow(TwilioConfigError);
    expect(() => resolveRetryPolicy(overrides)).toThrow(new RegExp(`^${setting.replace('.', '\\.')} `));
  });
});

describe('backoffDelayMs (full jitter)', () => {
  it('stays within [0, min(maxDelay, base * 2^(retry-1))) for a seeded sequence', () => {
    const random = seededRandom(42);
    for (let retry = 1; retry <= 10; retry += 1) {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
      for (let i = 0; i < 200; i += 1) {
        const delay = backoffDelayMs(policy, retry, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it('spreads delays across the whole window, not just its top', () => {
    const random = seededRandom(7);
    const delays = Array.from({ length: 500 }, () => backoffDelayMs(policy, 4, random));
    expect(Math.min(...delays)).toBeLessThan(100);
    expect(Math.max(...delays)).toBeGreaterThan(700);
  });

  it('is the random fraction of the exponential ceiling, capped at maxDelayMs', () => {
    expect(backoffDelayMs(policy, 1, () => 0)).toBe(0);
    expect(backoffDelayMs(policy, 1, () => 0.5)).toBe(50);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
    expect(backoffDelayMs(policy, 20, () => 0.5)).toBe(2500);
    expect(backoffDelayMs(policy, 20, () => 0.999_999)).toBeLessThan(5000);
  });
});

describe('decideRetry', () => {
  it('retries a retryable failure of an idempotent operation with backoff', () => {
    expect(ask({ operation: 'update', attempts: 2 })).toEqual({ retry: true, delayMs: 100 });
  });

  it('never retries a non-retryable failure', () => {
    expect(ask({ failure: { ...transient, retryable: false } })).toEqual({
      retry: false,
      reason: 'not-retryable',
    });
  });

  it('leaves a failure that only a later delivery can clear to that delivery', () => {
    expect(ask({ failure: { ...refusedBeforeApplying, retryLater: true } })).toEqual({
      retry: false,
      reason: 'retry-later',
    });
    expect(ask({ failure: { ...refusedBeforeApplying, retryLater: false } }).retry).toBe(true);
  });

  it.each(['create', 'key-create'] as const)('does not resend a %s Twilio may have applied', (operation) => {
    expect(ask({ operation })).toEqual({ retry: false, reason: 'not-idempotent' });
  });

  it.each(['create', 'key-create'] as const)(
    'resends a %s Twilio refused before applying (429, connect failure)',
    (operation) => {
      expect(ask({ operation, failure: refusedBeforeApplying })).toEqual({ retry: true, delayMs: 50 });
    },
  );

  it.each(['key-list', 'key-fetch', 'key-delete', 'balance'] as const)(
    'resends a %s Twilio may have applied (reading twice, or deleting a key twice, is harmless)',
    (operation) => {
      expect(ask({ operation })).toEqual({ retry: true, delayMs: 50 });
    },
  );

  it('stops at maxAttempts', () => {
    expect(ask({ attempts: 3 }).retry).toBe(true);
    expect(ask({ attempts: 4 })).toEqual({ retry: false, reason: 'max-attempts' });
  });

  it('uses Retry-After as the delay instead of the backoff', () => {
    expect(ask({ failure: { ...transient, retryAfterMs: 7000 } })).toEqual({ retry: true, delayMs: 7000 });
  });

  it('does not sleep into the deadline', () => {
    const now = 1_000_000;
    expect(ask({ now, deadline: now + 51 })).toEqual({ retry: true, delayMs: 50 });
    expect(ask({ now, deadline: now + 50 })).toEqual({ retry: false, reason: 'deadline' });
    expect(ask({ now, deadline: now + 5000, failure: { ...transient, retryAfterMs: 6000 } })).toEqual({
      retry: false,
      reason: 'deadline',
    });
  });
});
