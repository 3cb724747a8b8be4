/**
 * The domain's two Twilio ports over the Twilio client.
 *
 * SubaccountGateway, over the Accounts operations: maps Twilio accounts to
 * subaccounts, turns 404 into "absent", and turns "that account is closed" refusals into the
 * closed account itself, so the lifecycle rules can decide what a closed subaccount means. Every
 * other refusal is thrown as the client typed it (e.g. TwilioSubaccountSuspendedByTwilioError,
 * TwilioMainAccountSuspendedError), carrying its own `retryable` decision. The domain's call
 * options (a deadline) are the client's `CallOptions` and are passed on as they are.
 *
 * ApiKeyGateway, over the Keys and Balance operations with the main account's credentials: a
 * subaccount's keys by exact FriendlyName, oldest first; a delete that counts a key already gone
 * as deleted; and a key's own check of itself, reading its subaccount's Balance with it.
 */
import { CreateOutcomeUnknownError } from '../domain/errors.ts';
import type {
  ApiKey,
  ApiKeyGateway,
  CreatedApiKey,
  GatewayCallOptions,
  Subaccount,
  SubaccountGateway,
} from '../domain/ports.ts';
import {
  TwilioAmbiguousCreateError,
  TwilioApiError,
  TwilioNotFoundError,
  TwilioSubaccountClosedError,
} from './errors.ts';
import type { TwilioAccount, TwilioAccountsApi, TwilioKey, TwilioKeysApi, TwilioNewKey } from './types.ts';

/** Twilio's generic Accounts-resource error, which Twilio may answer instead of 21479. */
const ACCOUNTS_RESOURCE_ERROR = 21100;

/**
 * A status change Twilio refused perhaps because the subaccount is closed: its own code for that,
 * 21479 (https://www.twilio.com/docs/api/errors/21479), or the generic 21100. Either is confirmed
 * by a fetch before it counts as the closed outcome.
 */
const mayMeanClosed = (error: unknown): boolean =>
  error instanceof TwilioSubaccountClosedError ||
  (error instanceof TwilioApiError && error.twilioCode === ACCOUNTS_RESOURCE_ERROR);

/** Read pages at Twilio's maximum: a FriendlyName lookup rarely spans more than one. */
const LOOKUP_PAGE_SIZE = 1000;

const toSubaccount = (account: TwilioAccount): Subaccount => ({
  sid: account.sid,
  friendlyName: account.friendlyName,
  status: account.status,
  authToken: account.authToken,
  dateCreated: account.dateCreated,
});

export const createTwilioSubaccountGateway = (client: TwilioAccountsApi): SubaccountGateway => {
  const fetch = async (sid: string, options?: GatewayCallOptions): Promise<Subaccount | undefined> => {
    try {
      return toSubaccount(await client.fetchAccount(sid, options));
    } catch (error) {
      if (error instanceof TwilioNotFoundError) return undefined;
      throw error;
    }
  };

  return {
    create: async (friendlyName, options) => {
      try {
        return toSubaccount(await client.createSubaccount({ friendlyName }, options));
      } catch (error) {
        // The domain's own term for "this create may have been applied": it never sees Twilio's.
        if (error instanceof TwilioAmbiguousCreateError)
          throw new CreateOutcomeUnknownError(friendlyName, error);
        throw error;
      }
    },

    findByFriendlyName: async (friendlyName, options) => {
      const found: Subaccount[] = [];
      for await (const account of client.listAccounts(
        { friendlyName, pageSize: LOOKUP_PAGE_SIZE },
        options,
      )) {
        // The main account is listed too; it owns itself and is never a tenant's subaccount.
        if (account.sid !== account.ownerAccountSid) found.push(toSubaccount(account));
      }
      return found.sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
    },

    fetch,

    setStatus: async (sid, status, options) => {
      try {
        return toSubaccount(await client.updateAccount(sid, { status }, options));
      } catch (error) {
        if (!mayMeanClosed(error)) throw error;
        const current = await fetch(sid, options);
        if (current?.status === 'closed') return current;
        throw error;
      }
    },
  };
};

const toApiKey = (key: TwilioKey): ApiKey => ({
  sid: key.sid,
  friendlyName: key.friendlyName,
  dateCreated: key.dateCreated,
});

const toCreatedApiKey = (key: TwilioNewKey): CreatedApiKey => ({ ...toApiKey(key), secret: key.secret });

/**
 * What a Balance read with a key says about the key: a 401 that it does not authenticate (20003:
 * wrong, deleted, or its subaccount closed; 20005: its account not active), a 403 that it may not
 * act (10001: its subaccount or the main account suspended; a key without the permission). Any
 * other failure (throttling, 5xx, network, deadline) says nothing about the key and is thrown.
 */
const refusesKey = (error: unknown): boolean =>
  error instanceof TwilioApiError && (error.status === 401 || error.status === 403);

export const createTwilioApiKeyGateway = (client: TwilioKeysApi): ApiKeyGateway => ({
  createKey: async (accountSid, friendlyName, options) => {
    try {
      return toCreatedApiKey(await client.createKey(accountSid, { friendlyName }, options));
    } catch (error) {
      // The key may exist, its secret lost with the answer: the caller finds it by FriendlyName.
      if (error instanceof TwilioAmbiguousCreateError)
        throw new CreateOutcomeUnknownError(friendlyName, error, 'API key');
      throw error;
    }
  },

  findKeys: async (accountSid, friendlyName, options) => {
    const found: ApiKey[] = [];
    for await (const key of client.listKeys(accountSid, { pageSize: LOOKUP_PAGE_SIZE }, options)) {
      if (key.friendlyName === friendlyName) found.push(toApiKey(key));
    }
    // Twilio lists in creation order and its dates have whole seconds: the stable sort keeps
    // that order among keys created in the same second.
    return found.sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
  },

  deleteKey: async (accountSid, keySid, options) => {
    try {
      await client.deleteKey(accountSid, keySid, options);
    } catch (error) {
      // Already deleted (perhaps by this delete's own lost answer, retried): the wanted outcome.
      if (!(error instanceof TwilioNotFoundError)) throw error;
    }
  },

  keyWorks: async (accountSid, keySid, keySecret, options) => {
    const credentials = { accountSid, apiKeySid: keySid, apiKeySecret: keySecret };
    try {
      await client.fetchBalance(accountSid, { credentials }, options);
      return true;
    } catch (error) {
      if (refusesKey(error)) return false;
      throw error;
    }
  },
});
