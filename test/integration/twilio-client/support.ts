/** What the Twilio client's integration tests share: deterministic retries, failures, pages. */
import type { TwilioAccountsClientOptions } from '../../../shared/twilio/index.ts';

/**
 * The options every test client is built with: no backoff jitter, and sleeps (backoff, Retry-After)
 * handed to `onSleep` instead of waited, so a test sees the delays asked for at once.
 */
export const testClientOptions = (
  onSleep: (ms: number) => void,
): Pick<TwilioAccountsClientOptions, 'random' | 'sleep'> => ({
  random: () => 0.5,
  sleep: async (ms) => {
    onSleep(ms);
  },
});

/**
 * Awaits a call that must fail and returns its error; each error also goes to `seen` when given,
 * so that a file can check at the end that none of them carries a token.
 */
export const failureOf =
  (seen?: unknown[]) =>
  async (promise: Promise<unknown>): Promise<unknown> => {
    try {
      await promise;
    } catch (error) {
      seen?.push(error);
      return error;
    }
    throw new Error('expected the call to fail');
  };

/** Every item of a paged list, in order. */
export const drain = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};
