/**
 * Every subaccount of the main account, across all pages. Twilio lists the main account itself
 * too (it owns itself); it is never a tenant's subaccount, so it is left out.
 * https://www.twilio.com/docs/iam/api/account#read-multiple-account-resources
 */
import type { CallOptions, TwilioAccountsApi } from '../twilio/types.ts';
import type { SubaccountSnapshot } from './types.ts';

/** Twilio's largest page: fewest round trips for a full scan. */
const SCAN_PAGE_SIZE = 1000;

export const listSubaccounts = async (
  twilio: TwilioAccountsApi,
  options?: CallOptions,
): Promise<SubaccountSnapshot[]> => {
  const subaccounts: SubaccountSnapshot[] = [];
  for await (const account of twilio.listAccounts({ pageSize: SCAN_PAGE_SIZE }, options)) {
    if (account.sid === account.ownerAccountSid) continue;
    // Copied field by field so the auth token never travels further.
    subaccounts.push({ sid: account.sid, friendlyName: account.friendlyName, status: account.status });
  }
  return subaccounts;
};
