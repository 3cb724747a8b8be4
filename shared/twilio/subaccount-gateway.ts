/**
 * The domain's SubaccountGateway over the Twilio Accounts client: maps Twilio accounts to
 * subaccounts, turns 404 into "absent", and turns "that account is closed" refusals into the
 * closed account itself, so the lifecycle rules can decide what a closed subaccount means.
 */
import type { GatewayCallOptions, Subaccount, SubaccountGateway } from '../domain/ports.ts';
import { TwilioApiError, TwilioNotFoundError } from './errors.ts';
import type { TwilioAccount, TwilioAccountsApi } from './types.ts';

/** Twilio's Accounts-resource error (e.g. "cannot change the status of a closed account"). */
const ACCOUNTS_RESOURCE_ERROR = 21100;

/** Read pages at Twilio's maximum: a FriendlyName lookup rarely spans more than one. */
const LOOKUP_PAGE_SIZE = 1000;

const toSubaccount = (account: TwilioAccount): Subaccount => ({
  sid: account.sid,
  friendlyName: account.friendlyName,
  status: account.status,
  authToken: account.authToken,
  dateCreated: account.dateCreated,
});

const callOptions = (options: GatewayCallOptions | undefined) =>
  options?.deadline === undefined ? {} : { deadline: options.deadline };

export const createTwilioSubaccountGateway = (client: TwilioAccountsApi): SubaccountGateway => {
  const fetch = async (sid: string, options?: GatewayCallOptions): Promise<Subaccount | undefined> => {
    try {
      return toSubaccount(await client.fetchAccount(sid, callOptions(options)));
    } catch (error) {
      if (error instanceof TwilioNotFoundError) return undefined;
      throw error;
    }
  };

  return {
    create: async (friendlyName, options) =>
      toSubaccount(await client.createSubaccount({ friendlyName }, callOptions(options))),

    findByFriendlyName: async (friendlyName, options) => {
      const found: Subaccount[] = [];
      for await (const account of client.listAccounts(
        { friendlyName, pageSize: LOOKUP_PAGE_SIZE },
        callOptions(options),
      )) {
        // The main account is listed too; it owns itself and is never a tenant's subaccount.
        if (account.sid !== account.ownerAccountSid) found.push(toSubaccount(account));
      }
      return found.sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
    },

    fetch,

    setStatus: async (sid, status, options) => {
      try {
        return toSubaccount(await client.updateAccount(sid, { status }, callOptions(options)));
      } catch (error) {
        const refused = error instanceof TwilioApiError && error.twilioCode === ACCOUNTS_RESOURCE_ERROR;
        if (!refused) throw error;
        const current = await fetch(sid, options);
        if (current?.status === 'closed') return current;
        throw error;
      }
    },
  };
};
