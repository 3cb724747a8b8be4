/**
 * The Twilio Accounts client (https://www.twilio.com/docs/iam/api/account): create, fetch, list
 * and update accounts, with input checked before any request and typed, classified errors.
 */
import { type CallContext, callTwilio } from './call.ts';
import { resolveClientOptions, type TwilioAccountsClientOptions } from './client-options.ts';
import { TwilioAmbiguousCreateError, TwilioError, TwilioUnexpectedResponseError } from './errors.ts';
import type {
  CallOptions,
  CreateSubaccountInput,
  ListAccountsInput,
  TwilioAccount,
  TwilioAccountsApi,
  UpdateAccountInput,
} from './types.ts';
import {
  assertAccountSid,
  validateCreateInput,
  validateListInput,
  validateUpdateInput,
} from './validation.ts';
import { parseAccount, parseAccountPage } from './wire.ts';

const ACCOUNTS_PATH = '/2010-04-01/Accounts.json';
const accountPath = (sid: string): string => `/2010-04-01/Accounts/${sid}.json`;

/** Twilio's parameter names, without the ones left out. */
const formOf = (fields: Record<string, string | number | undefined>): URLSearchParams => {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) form.set(name, String(value));
  }
  return form;
};

const createSubaccount = async (
  ctx: CallContext,
  input: CreateSubaccountInput,
  options?: CallOptions,
): Promise<TwilioAccount> => {
  validateCreateInput(input);
  const call = {
    operation: 'create',
    method: 'POST',
    url: new URL(ACCOUNTS_PATH, ctx.baseUrl),
    form: formOf({ FriendlyName: input.friendlyName }),
  } as const;
  try {
    return parseAccount({ operation: 'create', ...(await callTwilio(ctx, call, options)) });
  } catch (error) {
    // Creating again could make a second subaccount; the caller looks it up by FriendlyName instead.
    if (error instanceof TwilioError && error.mayHaveApplied) {
      throw new TwilioAmbiguousCreateError(input.friendlyName, error);
    }
    throw error;
  }
};

const fetchAccount = async (ctx: CallContext, sid: string, options?: CallOptions): Promise<TwilioAccount> => {
  assertAccountSid(sid);
  const call = {
    operation: 'fetch',
    accountSid: sid,
    method: 'GET',
    url: new URL(accountPath(sid), ctx.baseUrl),
  } as const;
  return parseAccount({ operation: 'fetch', ...(await callTwilio(ctx, call, options)) });
};

const updateAccount = async (
  ctx: CallContext,
  sid: string,
  input: UpdateAccountInput,
  options?: CallOptions,
): Promise<TwilioAccount> => {
  validateUpdateInput(sid, input);
  const call = {
    operation: 'update',
    accountSid: sid,
    method: 'POST',
    url: new URL(accountPath(sid), ctx.baseUrl),
    form: formOf({ FriendlyName: input.friendlyName, Status: input.status }),
  } as const;
  return parseAccount({ operation: 'update', ...(await callTwilio(ctx, call, options)) });
};

/** Follows `next_page_uri` only within the Accounts list on the same origin: it carries our credentials. */
const nextPageUrl = (ctx: CallContext, nextPageUri: string, seen: Set<string>): URL => {
  const url = new URL(nextPageUri, ctx.baseUrl);
  if (url.origin !== ctx.baseUrl || url.pathname !== ACCOUNTS_PATH || seen.has(url.href)) {
    throw new TwilioUnexpectedResponseError(
      'list',
      200,
      'next_page_uri is not a new page of the Accounts list',
    );
  }
  return url;
};

async function* pages(ctx: CallContext, first: URL, options?: CallOptions): AsyncGenerator<TwilioAccount> {
  const seen = new Set<string>();
  let url: URL | undefined = first;
  while (url) {
    seen.add(url.href);
    const page = parseAccountPage({
      operation: 'list',
      ...(await callTwilio(ctx, { operation: 'list', method: 'GET', url }, options)),
    });
    yield* page.accounts;
    url = page.nextPageUri === undefined ? undefined : nextPageUrl(ctx, page.nextPageUri, seen);
  }
}

/** Validates at once (no request for bad input), then reads page after page as the caller iterates. */
const listAccounts = (
  ctx: CallContext,
  input: ListAccountsInput,
  options?: CallOptions,
): AsyncIterable<TwilioAccount> => {
  validateListInput(input);
  const first = new URL(ACCOUNTS_PATH, ctx.baseUrl);
  first.search = formOf({
    FriendlyName: input.friendlyName,
    Status: input.status,
    PageSize: input.pageSize,
  }).toString();
  return pages(ctx, first, options);
};

export const createTwilioAccountsClient = (options: TwilioAccountsClientOptions): TwilioAccountsApi => {
  const ctx = resolveClientOptions(options);
  return {
    createSubaccount: (input = {}, callOptions) => createSubaccount(ctx, input, callOptions),
    fetchAccount: (sid, callOptions) => fetchAccount(ctx, sid, callOptions),
    listAccounts: (input = {}, callOptions) => listAccounts(ctx, input, callOptions),
    updateAccount: (sid, input, callOptions) => updateAccount(ctx, sid, input, callOptions),
  };
};
