/**
 * HTTP Basic authentication as Twilio does it: username is an Account SID (with its auth token)
 * or an API key SID (with its secret). A key proves its own account, with its type's rights.
 * https://www.twilio.com/docs/usage/requests-to-twilio, https://www.twilio.com/docs/iam/api-keys
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccountRecord } from './account-json.ts';
import { authenticationFailed } from './errors.ts';
import { API_KEY_SID_PATTERN } from './format.ts';
import type { AccountStore } from './store.ts';

/** How the caller proved its account: what it may use depends on it (see handlers). */
export type CredentialKind = 'auth-token' | 'main-key' | 'standard-key';

export interface Principal {
  /** The account whose rights apply: the account of the token, or the key's own account. */
  readonly account: AccountRecord;
  /** The account is the main account. */
  readonly isMain: boolean;
  readonly credential: CredentialKind;
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

/**
 * A closed account no longer authenticates, with its token or any of its keys; a deleted key no
 * longer exists. A suspended account still authenticates: what it may do is the handlers'
 * decision (AccountStore.inGoodStanding), answered with Twilio's code for it.
 */
const viaApiKey = (store: AccountStore, sid: string, secret: string): Principal | undefined => {
  const key = store.keys.get(sid);
  const account = key === undefined ? undefined : store.get(key.accountSid);
  if (key === undefined || account === undefined || account.status === 'closed') return undefined;
  if (!sameSecret(secret, key.secret)) return undefined;
  const credential = key.type === 'Main' ? 'main-key' : 'standard-key';
  return { account, isMain: account === store.main, credential };
};

const viaAccount = (store: AccountStore, sid: string, token: string): Principal | undefined => {
  const account = store.get(sid);
  if (account === undefined || account.status === 'closed' || !sameSecret(token, account.authToken)) {
    return undefined;
  }
  return { account, isMain: account === store.main, credential: 'auth-token' };
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
