/** Options of the Accounts client, validated once when the client is built. */
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { DEFAULT_TWILIO_BASE_URL, validateTwilioBaseUrl } from './base-url.ts';
import type { CallContext } from './call.ts';
import { TwilioConfigError } from './errors.ts';
import { type RetryPolicy, resolveRetryPolicy } from './retry-policy.ts';
import { DEFAULT_TIMEOUTS, sharedDispatcher, type TwilioTimeouts } from './transport.ts';
import type { TwilioCredentialSource } from './types.ts';
import { defaultUserAgent } from './user-agent.ts';

export interface TwilioAccountsClientOptions {
  readonly credentials: TwilioCredentialSource;
  /** An origin; defaults to https://api.twilio.com. See `readTwilioBaseUrl`. */
  readonly baseUrl?: string;
  /** Defaults to one keep-alive agent shared by the process. */
  readonly dispatcher?: Dispatcher;
  readonly timeouts?: Partial<TwilioTimeouts>;
  readonly retry?: Partial<RetryPolicy>;
  readonly userAgent?: string;
  /** Source of backoff jitter, in [0, 1). */
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const resolveTimeouts = (overrides: Partial<TwilioTimeouts> = {}): TwilioTimeouts => {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...overrides };
  for (const [name, value] of Object.entries(timeouts)) {
    if (!Number.isInteger(value) || value < 1)
      throw new TwilioConfigError(`timeouts.${name}`, 'must be an integer >= 1');
  }
  return timeouts;
};

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, { signal });

export const resolveClientOptions = (options: TwilioAccountsClientOptions): CallContext => {
  if (typeof options?.credentials?.current !== 'function') {
    throw new TwilioConfigError('credentials', 'must be a TwilioCredentialSource with a current() method');
  }
  if (options.userAgent !== undefined && options.userAgent.trim() === '') {
    throw new TwilioConfigError('userAgent', 'must not be empty');
  }
  const timeouts = resolveTimeouts(options.timeouts);
  return {
    baseUrl: validateTwilioBaseUrl(options.baseUrl ?? DEFAULT_TWILIO_BASE_URL, 'baseUrl'),
    credentials: options.credentials,
    dispatcher: options.dispatcher ?? sharedDispatcher(timeouts.connectMs),
    timeouts,
    policy: resolveRetryPolicy(options.retry),
    userAgent: options.userAgent ?? defaultUserAgent(),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? defaultSleep,
  };
};
