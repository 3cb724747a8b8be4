/**
 * A middy middleware that makes sure the main-account credentials are in the cache before the
 * handler runs, so no handler code ever fetches a secret ad hoc, and a broken parent secret fails
 * the invocation up front with a clear error instead of half-way through a batch.
 */
import type middy from '@middy/core';
import type { TwilioCredentialSource } from '../twilio/types.ts';

export interface PrefetchCredentialsOptions {
  readonly source: TwilioCredentialSource;
}

export const prefetchCredentials = (options: PrefetchCredentialsOptions): middy.MiddlewareObj => {
  if (typeof options?.source?.current !== 'function') {
    throw new TypeError('prefetchCredentials: options.source must be a credential source with current()');
  }
  return {
    before: async () => {
      await options.source.current();
    },
  };
};
