/**
 * The four operations of the Accounts resource, run once the caller is authenticated.
 * https://www.twilio.com/docs/iam/api/account
 */
import { type AccountRecord, accountPath, toAccountJson } from './account-json.ts';
import type { Principal } from './auth.ts';
import {
  accountAccessDenied,
  accountNotActive,
  invalidAccountsRequest,
  notFound,
  subaccountsCannotContainSubaccounts,
} from './errors.ts';
import type { ListLag } from './list-lag.ts';
import { buildPage, matchesFilters, parseListQuery } from './paging.ts';
import { accountSidParam, friendlyNameParam, statusParam } from './params.ts';
import type { AccountStore } from './store.ts';
import type { TwilioRoute } from './types.ts';

export interface RequestContext {
  readonly store: AccountStore;
  readonly listLag: ListLag;
  readonly principal: Principal;
  /** The `{Sid}` of the path, for fetch and update. */
  readonly sid: string | undefined;
  readonly form: ReadonlyMap<string, string>;
  readonly query: URLSearchParams;
}

export interface HandlerResult {
  readonly status: number;
  readonly body: unknown;
  /** A fault that shaped the answer (for the request log and the fault counters). */
  readonly fault?: 'list-lag';
}

/**
 * A suspended account, or any account of a suspended main account, is refused with 10001 whatever
 * it asks (errors.md). The one exception is a main account's change of a subaccount's Status,
 * which Twilio answers with its own code, 21476 (AccountStore's status rules).
 */
const requireGoodStanding = (ctx: RequestContext): void => {
  if (!ctx.store.inGoodStanding(ctx.principal.account)) throw accountNotActive();
};

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
  requireGoodStanding(ctx);
  if (!ctx.principal.isMain) throw subaccountsCannotContainSubaccounts();
  const account = ctx.store.createSubaccount(friendlyNameParam(ctx.form.get('FriendlyName')));
  ctx.listLag.track(account);
  return { status: 201, body: toAccountJson(account) };
};

const list = (ctx: RequestContext): HandlerResult => {
  requireGoodStanding(ctx);
  const query = parseListQuery(ctx.query);
  const visible = ctx.principal.isMain ? ctx.store.all() : [ctx.principal.account];
  let anchorSeq: number | undefined;
  if (query.pageToken !== undefined) {
    anchorSeq = ctx.store.get(query.pageToken.sid)?.seq;
    if (anchorSeq === undefined) throw invalidAccountsRequest('Invalid PageToken');
  }
  const matching = visible.filter((account) => matchesFilters(query, account));
  if (query.friendlyName === undefined) return { status: 200, body: buildPage(matching, query, anchorSeq) };
  const { shown, hidden } = ctx.listLag.lookup(matching);
  const body = buildPage(shown, query, anchorSeq);
  return hidden === 0 ? { status: 200, body } : { status: 200, body, fault: 'list-lag' };
};

const fetch = (ctx: RequestContext): HandlerResult => {
  requireGoodStanding(ctx);
  return { status: 200, body: toAccountJson(targetAccount(ctx)) };
};

/** Status changes belong to the owner: "Use main account credentials when you need to close a subaccount." */
const update = (ctx: RequestContext): HandlerResult => {
  if (!(ctx.principal.isMain && ctx.form.has('Status'))) requireGoodStanding(ctx);
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
