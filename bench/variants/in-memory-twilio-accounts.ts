/**
 * shared/twilio/client.ts answered from memory: no HTTP client, no request, no parsing. The
 * cold-start benchmark bundles the real handler with this module in its place to measure what a
 * Twilio client cannot take away: everything else the handler loads and does on its first event
 * (Node, the AWS SDK, Powertools, the domain, the ledger and secret calls). Its cold start divided
 * by the `twilio`-library variant's is the lowest ratio any Twilio client could reach. Same export
 * and signature as client.ts; it reads no option. Benchmark-only: accounts live in this process.
 */
import { randomBytes } from 'node:crypto';
// Types only from client.ts: this module stands in for it, so a value import would load itself.
import type { TwilioAccountsClientOptions } from '../../shared/twilio/client.ts';
import { TwilioNotFoundError } from '../../shared/twilio/errors.ts';
import type { TwilioAccount, TwilioAccountsClient } from '../../shared/twilio/types.ts';

const sid = (prefix: string): string => `${prefix}${randomBytes(16).toString('hex')}`;

const notFound = (operation: 'fetch' | 'update' | 'key-fetch' | 'key-delete'): TwilioNotFoundError =>
  new TwilioNotFoundError({
    operation,
    status: 404,
    twilioCode: 20404,
    twilioMessage: 'The requested resource was not found',
    retryable: false,
  });

export const createTwilioAccountsClient = (_options: TwilioAccountsClientOptions): TwilioAccountsClient => {
  const accounts = new Map<string, TwilioAccount>();
  const owner = sid('AC');
  const find = (accountSid: string, operation: 'fetch' | 'update'): TwilioAccount => {
    const account = accounts.get(accountSid);
    if (account === undefined) throw notFound(operation);
    return account;
  };
  const iterate = <T>(items: readonly T[]): AsyncIterable<T> => ({
    async *[Symbol.asyncIterator]() {
      yield* items;
    },
  });
  return {
    createSubaccount: async (input = {}) => {
      const now = new Date();
      const accountSid = sid('AC');
      const account: TwilioAccount = {
        sid: accountSid,
        authToken: randomBytes(16).toString('hex'),
        friendlyName: input.friendlyName ?? '',
        ownerAccountSid: owner,
        status: 'active',
        type: 'Full',
        dateCreated: now,
        dateUpdated: now,
        uri: `/2010-04-01/Accounts/${accountSid}.json`,
        subresourceUris: {},
      };
      accounts.set(accountSid, account);
      return account;
    },
    fetchAccount: async (accountSid) => find(accountSid, 'fetch'),
    updateAccount: async (accountSid, input) => {
      const updated = { ...find(accountSid, 'update'), ...input, dateUpdated: new Date() };
      accounts.set(accountSid, updated);
      return updated;
    },
    listAccounts: (input = {}) =>
      iterate(
        [...accounts.values()].filter(
          (account) =>
            (input.friendlyName === undefined || account.friendlyName === input.friendlyName) &&
            (input.status === undefined || account.status === input.status),
        ),
      ),
    createKey: async () => {
      const now = new Date();
      return {
        sid: sid('SK'),
        friendlyName: '',
        dateCreated: now,
        dateUpdated: now,
        secret: randomBytes(16).toString('hex'),
      };
    },
    listKeys: () => iterate([]),
    fetchKey: async () => {
      throw notFound('key-fetch');
    },
    deleteKey: async () => {
      throw notFound('key-delete');
    },
    fetchBalance: async (accountSid) => ({ accountSid, balance: undefined, currency: undefined }),
  };
};
