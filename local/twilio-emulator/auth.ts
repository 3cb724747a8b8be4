/**
 * HTTP Basic authentication as Twilio does it: username is an Account SID (with its auth token)
 * or a Main API key SID (with its secret). https://www.twilio.com/docs/usage/requests-to-twilio
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccountRecord } from './account-json.ts';
import { authenticationFailed } from './errors.ts';
import { API_KEY_SID_PATTERN } from './format.ts';
import type { AccountStore } from './store.ts';

export interface Principal {
  /** The account whose rights apply. */
  readonly account: AccountRecord;
  readonly isMain: boolean;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares digests so neither the length nor the prefix of a token leaks through timing. */
const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));

const parseBasic = (header: string | undefined): { user: string; password: string } | undefined => {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
};

const viaApiKey = (store: AccountStore, sid: string, secret: string): Principal | undefined => {
  const expected = store.apiKeySecret(sid);
  return expected !== undefined && sameSecret(secret, expected)
    ? { account: store.main, isMain: true }
    : undefined;
};

/**
 * A closed account no longer authenticates. A suspended one still does: what it may do is the
 * handlers' decision (AccountStore.inGoodStanding), answered with Twilio's code for it.
 */
const viaAccount = (store: AccountStore, sid: string, token: string): Principal | undefined => {
  const account = store.get(sid);
  if (account === undefined || account.status === 'closed' || !sameSecret(token, account.authToken)) {
    return undefined;
  }
  return { account, isMain: account === store.main };
};

/** The principal the credentials prove, or `undefined` for missing or wrong ones. */
export const identify = (store: AccountStore, header: string | undefined): Principal | undefined => {
  const credentials = parseBasic(header);
  if (credentials === undefined) return undefined;
  return API_KEY_SID_PATTERN.test(credentials.user)
    ? viaApiKey(store, credentials.user, credentials.password)
    : viaAccount(store, credentials.user, credentials.password);
};

export const authenticate = (store: AccountStore, header: string | undefined): Principal => {
  const principal = identify(store, header);
  if (principal === undefined) throw authenticationFailed();
  return principal;
};
