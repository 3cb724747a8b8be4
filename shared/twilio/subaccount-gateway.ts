/**
 * The domain's SubaccountGateway over the Twilio Accounts client: maps Twilio accounts to
 * subaccounts, turns 404 into "absent", and turns "that account is closed" refusals into the
 * closed account itself, so the lifecycle rules can decide what a closed subaccount means. Every
 * other refusal is thrown as the client typed it (e.g. TwilioSubaccountSuspendedByTwilioError,
 * TwilioMainAccountSuspendedError), carrying its own `retryable` decision. The domain's call
 * options (a deadline) are the client's `CallOptions` and are passed on as they are.
 */
import { CreateOutcomeUnknownError } from '../domain/errors.ts';
import type { GatewayCallOptions, Subaccount, SubaccountGateway } from '../domain/ports.ts';
import {
  TwilioAmbiguousCreateError,
  TwilioApiError,
  TwilioNotFoundError,
  TwilioSubaccountClosedError,
} from './errors.ts';
import type { TwilioAccount, TwilioAccountsApi } from './types.ts';

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
