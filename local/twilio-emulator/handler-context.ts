/** What every route's handler is given and answers, and the checks they share. */
import type { Principal } from './auth.ts';
import { accountNotActive, authenticationFailed } from './errors.ts';
import type { ListLag } from './list-lag.ts';
import type { AccountStore } from './store.ts';

export interface RequestContext {
  readonly store: AccountStore;
  readonly listLag: ListLag;
  readonly principal: Principal;
  /** The Account SID of the path: `{Sid}` for fetch and update, `{AccountSid}` for Keys and Balance. */
  readonly sid: string | undefined;
  /** The key's `{Sid}`, for key-fetch, key-update and key-delete. */
  readonly keySid?: string;
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
export const requireGoodStanding = (ctx: RequestContext): void => {
  if (!ctx.store.inGoodStanding(ctx.principal.account)) throw accountNotActive();
};

export type Handler = (ctx: RequestContext) => HandlerResult;

/**
 * "A Standard key has access to every resource of its account except Accounts and Keys": those
 * answer 401 / 20003 to it (errors.md, 20003), before anything else is looked at.
 */
export const mainCredentialsOnly =
  (handler: Handler): Handler =>
  (ctx) => {
    if (ctx.principal.credential === 'standard-key') throw authenticationFailed();
    return handler(ctx);
  };
