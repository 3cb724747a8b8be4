/**
 * The four operations of the Accounts resource, run once the caller is authenticated, and the
 * table of every route's handler (the Keys and Balance ones are in key-handlers.ts).
 * https://www.twilio.com/docs/iam/api/account
 */
import { type AccountRecord, accountPath, toAccountJson } from './account-json.ts';
import {
  accountAccessDenied,
  invalidAccountsRequest,
  notFound,
  subaccountsCannotContainSubaccounts,
} from './errors.ts';
import {
  type Handler,
  type HandlerResult,
  mainCredentialsOnly,
  type RequestContext,
  requireGoodStanding,
} from './handler-context.ts';
import { keyHandlers } from './key-handlers.ts';
import { buildPage, matchesFilters, parseListQuery } from './paging.ts';
import { accountSidParam, friendlyNameParam, statusParam } from './params.ts';
import type { TwilioRoute } from './types.ts';

export type { HandlerResult, RequestContext } from './handler-context.ts';

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

export const handlers: Readonly<Record<TwilioRoute, Handler>> = {
  create: mainCredentialsOnly(create),
  list: mainCredentialsOnly(list),
  fetch: mainCredentialsOnly(fetch),
  update: mainCredentialsOnly(update),
  ...keyHandlers,
};
