/**
 * The four operations of the Accounts resource, run once the caller is authenticated.
 * https://www.twilio.com/docs/iam/api/account
 */
import { type AccountRecord, accountPath, toAccountJson } from './account-json.ts';
import type { Principal } from './auth.ts';
import { accountAccessDenied, invalidAccountsRequest, notFound } from './errors.ts';
import { buildPage, matchesFilters, parseListQuery } from './paging.ts';
import { accountSidParam, friendlyNameParam, statusParam } from './params.ts';
import type { AccountStore } from './store.ts';
import type { TwilioRoute } from './types.ts';

export interface RequestContext {
  readonly store: AccountStore;
  readonly principal: Principal;
  /** The `{Sid}` of the path, for fetch and update. */
  readonly sid: string | undefined;
  readonly form: ReadonlyMap<string, string>;
  readonly query: URLSearchParams;
}

export interface HandlerResult {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A main account reaches all its accounts; a subaccount only itself. Another account's SID is
 * refused the same way whether it exists or not (see accountAccessDenied).
 */
const targetAccount = (ctx: RequestContext): AccountRecord => {
  const sid = accountSidParam(ctx.sid ?? '');
  if (!ctx.principal.isMain && sid !== ctx.principal.account.sid) {
    throw accountAccessDenied('Subaccount credentials can only access their own account');
  }
  const account = ctx.store.get(sid);
  if (account === undefined) throw notFound(accountPath(sid));
  return account;
};

const create = (ctx: RequestContext): HandlerResult => {
  if (!ctx.principal.isMain) throw accountAccessDenied('Only a main account can create subaccounts');
  const account = ctx.store.createSubaccount(friendlyNameParam(ctx.form.get('FriendlyName')));
  return { status: 201, body: toAccountJson(account) };
};

const list = (ctx: RequestContext): HandlerResult => {
  const query = parseListQuery(ctx.query);
  const visible = ctx.principal.isMain ? ctx.store.all() : [ctx.principal.account];
  let anchorSeq: number | undefined;
  if (query.pageToken !== undefined) {
    anchorSeq = ctx.store.get(query.pageToken.sid)?.seq;
    if (anchorSeq === undefined) throw invalidAccountsRequest('Invalid PageToken');
  }
  const matching = visible.filter((account) => matchesFilters(query, account));
  return { status: 200, body: buildPage(matching, query, anchorSeq) };
};

const fetch = (ctx: RequestContext): HandlerResult => ({
  status: 200,
  body: toAccountJson(targetAccount(ctx)),
});

/** Status changes belong to the owner: "Use main account credentials when you need to close a subaccount." */
const update = (ctx: RequestContext): HandlerResult => {
  const account = targetAccount(ctx);
  const friendlyName = friendlyNameParam(ctx.form.get('FriendlyName'));
  const status = statusParam(ctx.form.get('Status'));
  if (status !== undefined && !ctx.principal.isMain) {
    throw accountAccessDenied(
      "A subaccount's Status can only be changed with its main account's credentials",
    );
  }
  return { status: 200, body: toAccountJson(ctx.store.update(account, { friendlyName, status })) };
};

export const handlers: Readonly<Record<TwilioRoute, (ctx: RequestContext) => HandlerResult>> = {
  create,
  list,
  fetch,
  update,
};
