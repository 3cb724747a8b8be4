/**
 * The Keys resource (create, list, fetch, update, delete API keys of an account) and the Balance
 * resource, as keys-openapi.json describes them. The Keys endpoint creates Standard keys.
 * https://www.twilio.com/docs/iam/api/key, https://www.twilio.com/docs/usage/api/account-balance
 */
import type { AccountRecord } from './account-json.ts';
import { authenticationFailed, invalidAccountsRequest, notFound } from './errors.ts';
import { API_KEY_SID_PATTERN } from './format.ts';
import {
  type Handler,
  type HandlerResult,
  mainCredentialsOnly,
  type RequestContext,
  requireGoodStanding,
} from './handler-context.ts';
import { type KeyRecord, keyPath, keysPath, toKeyJson, toNewKeyJson } from './key-store.ts';
import { cutPage, type PageFrame, parsePagingQuery } from './paging.ts';
import { friendlyNameParam } from './params.ts';
import type { BalanceJson, KeyJson, TwilioRoute } from './types.ts';

/** What every account answers: subaccounts draw on their main account's funds. */
export const BALANCE = '20.00';
export const CURRENCY = 'USD';

export interface KeyPage extends PageFrame {
  keys: KeyJson[];
}

const balancePath = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}/Balance.json`;

/**
 * The account whose Keys or Balance the path names. Credentials act for their own account; the
 * main account's auth token and Main keys also for its subaccounts, while a key, Standard or
 * Main, of any other account reaches only its own. Any other account answers 401 / 20003 whether
 * it exists or not (Twilio's 20003: "subaccount credentials to access the main account or
 * another subaccount"), so no credential can probe for SIDs it may not use. Then the caller's
 * standing (10001), then the target: an unknown or closed account has no Keys or Balance (404).
 */
const ownerOf = (ctx: RequestContext, resourcePath: (accountSid: string) => string): AccountRecord => {
  const sid = ctx.sid ?? '';
  const { principal } = ctx;
  const asParent = principal.isMain && principal.credential !== 'standard-key';
  if (sid !== principal.account.sid && !asParent) throw authenticationFailed();
  requireGoodStanding(ctx);
  const account = ctx.store.get(sid);
  if (account === undefined || account.status === 'closed') throw notFound(resourcePath(sid));
  return account;
};

/** A live key of the path's account; any other SID (unknown, deleted, another account's) is 404. */
const ownedKey = (ctx: RequestContext): KeyRecord => {
  const owner = ownerOf(ctx, keysPath);
  const sid = ctx.keySid ?? '';
  const key = ctx.store.keys.get(sid);
  if (key?.accountSid !== owner.sid) throw notFound(keyPath(owner.sid, sid));
  return key;
};

const keyCreate = (ctx: RequestContext): HandlerResult => {
  const owner = ownerOf(ctx, keysPath);
  const friendlyName = friendlyNameParam(ctx.form.get('FriendlyName')) ?? null;
  return { status: 201, body: toNewKeyJson(ctx.store.keys.create(owner.sid, 'Standard', friendlyName)) };
};

const keyList = (ctx: RequestContext): HandlerResult => {
  const owner = ownerOf(ctx, keysPath);
  const query = parsePagingQuery(ctx.query, API_KEY_SID_PATTERN);
  let anchorSeq: number | undefined;
  if (query.pageToken !== undefined) {
    // A deleted key still anchors its page, so deletes between fetches skip nothing.
    anchorSeq = ctx.store.keys.anchor(owner.sid, query.pageToken.sid)?.seq;
    if (anchorSeq === undefined) throw invalidAccountsRequest('Invalid PageToken');
  }
  const live = ctx.store.keys.live(owner.sid);
  const { items, frame } = cutPage(live, query, anchorSeq, { path: keysPath(owner.sid) });
  const body: KeyPage = { ...frame, keys: items.map(toKeyJson) };
  return { status: 200, body };
};

const keyFetch = (ctx: RequestContext): HandlerResult => ({ status: 200, body: toKeyJson(ownedKey(ctx)) });

const keyUpdate = (ctx: RequestContext): HandlerResult => {
  const key = ownedKey(ctx);
  const friendlyName = friendlyNameParam(ctx.form.get('FriendlyName'));
  return { status: 200, body: toKeyJson(ctx.store.keys.rename(key, friendlyName)) };
};

/** The key stops authenticating at once. */
const keyDelete = (ctx: RequestContext): HandlerResult => {
  ctx.store.keys.delete(ownedKey(ctx));
  return { status: 204, body: undefined };
};

/** Readable by Standard keys too: the cheapest way to check that a key works. */
const balance = (ctx: RequestContext): HandlerResult => {
  const owner = ownerOf(ctx, balancePath);
  const body: BalanceJson = { account_sid: owner.sid, balance: BALANCE, currency: CURRENCY };
  return { status: 200, body };
};

export const keyHandlers: Readonly<Record<Extract<TwilioRoute, `key-${string}` | 'balance'>, Handler>> = {
  'key-create': mainCredentialsOnly(keyCreate),
  'key-list': mainCredentialsOnly(keyList),
  'key-fetch': mainCredentialsOnly(keyFetch),
  'key-update': mainCredentialsOnly(keyUpdate),
  'key-delete': mainCredentialsOnly(keyDelete),
  balance,
};
