/**
 * The Twilio Accounts client (https://www.twilio.com/docs/iam/api/account): create, fetch, list
 * and update accounts, with input checked before any request and typed, classified errors.
 *
 * Each call gets its credentials, refreshes them once on a 401 (a rotated main-account token),
 * then follows the retry policy's decisions, never starting an attempt or a sleep past the
 * deadline. When retries stop, the last error is thrown as is, still carrying its `retryable`.
 *
 * The benchmark bundles the handler with this module replaced by one over the official `twilio`
 * library (bench/variants/twilio-library-accounts.ts): only `createTwilioAccountsClient` is
 * imported from here by other modules, and nothing else loads transport.ts (undici).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import packageJson from '../../package.json' with { type: 'json' };
import {
  TwilioAmbiguousCreateError,
  TwilioCallAbortedError,
  TwilioConfigError,
  TwilioError,
  TwilioUnexpectedResponseError,
} from './errors.ts';
import { decideRetry, type RetryPolicy, resolveRetryPolicy } from './retry-policy.ts';
import {
  attemptOnce,
  DEFAULT_TIMEOUTS,
  sharedDispatcher,
  type Transport,
  type TwilioTimeouts,
} from './transport.ts';
import type {
  CallOptions,
  CreateSubaccountInput,
  ListAccountsInput,
  TwilioAccount,
  TwilioAccountsApi,
  TwilioAnswer,
  TwilioCredentialSource,
  TwilioCredentials,
  TwilioOperation,
  TwilioRequest,
  UpdateAccountInput,
} from './types.ts';
import {
  ACCOUNTS_PATH,
  accountPath,
  assertAccountSid,
  authorizationHeader,
  DEFAULT_TWILIO_BASE_URL,
  formOf,
  parseAccount,
  parseAccountPage,
  validateCreateInput,
  validateListInput,
  validateTwilioBaseUrl,
  validateUpdateInput,
} from './wire.ts';

export interface TwilioAccountsClientOptions {
  readonly credentials: TwilioCredentialSource;
  /** An origin; defaults to https://api.twilio.com. See `readTwilioBaseUrl`. */
  readonly baseUrl?: string;
  /** Defaults to one keep-alive agent shared by the process. */
  readonly dispatcher?: Dispatcher;
  readonly timeouts?: Partial<TwilioTimeouts>;
  readonly retry?: Partial<RetryPolicy>;
  readonly userAgent?: string;
  /** Source of backoff jitter, in [0, 1). */
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The options, validated once when the client is built. */
interface ClientContext extends Transport {
  readonly baseUrl: string;
  readonly credentials: TwilioCredentialSource;
  readonly userAgent: string;
  readonly random: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const resolveTimeouts = (overrides: Partial<TwilioTimeouts> = {}): TwilioTimeouts => {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...overrides };
  for (const [name, value] of Object.entries(timeouts)) {
    if (!Number.isInteger(value) || value < 1)
      throw new TwilioConfigError(`timeouts.${name}`, 'must be an integer >= 1');
  }
  return timeouts;
};

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, { signal });

// esbuild inlines package.json, so the bundled function needs no file beside it.
const defaultUserAgent = (): string =>
  `subaccount-provisioner/${packageJson.version} (node ${process.version})`;

const resolveContext = (options: TwilioAccountsClientOptions): ClientContext => {
  if (typeof options?.credentials?.current !== 'function') {
    throw new TwilioConfigError('credentials', 'must be a TwilioCredentialSource with a current() method');
  }
  if (options.userAgent !== undefined && options.userAgent.trim() === '') {
    throw new TwilioConfigError('userAgent', 'must not be empty');
  }
  const timeouts = resolveTimeouts(options.timeouts);
  return {
    baseUrl: validateTwilioBaseUrl(options.baseUrl ?? DEFAULT_TWILIO_BASE_URL, 'baseUrl'),
    credentials: options.credentials,
    dispatcher: options.dispatcher ?? sharedDispatcher(timeouts.connectMs),
    timeouts,
    policy: resolveRetryPolicy(options.retry),
    userAgent: options.userAgent ?? defaultUserAgent(),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? defaultSleep,
  };
};

/** Throws when no further attempt may start: the last failure if there was one. */
const assertMayStart = (operation: TwilioOperation, options: CallOptions, lastError?: TwilioError): void => {
  if (options.signal?.aborted) throw lastError ?? new TwilioCallAbortedError(operation, 'signal', false);
  if (options.deadline !== undefined && Date.now() >= options.deadline) {
    throw lastError ?? new TwilioCallAbortedError(operation, 'deadline', false);
  }
};

const headersFor = (ctx: ClientContext, credentials: TwilioCredentials): Record<string, string> => ({
  authorization: authorizationHeader(credentials),
  'user-agent': ctx.userAgent,
  accept: 'application/json',
});

/** A request with its retries; resolves with its 2xx answer. */
const call = async (
  ctx: ClientContext,
  request: TwilioRequest,
  options: CallOptions = {},
): Promise<TwilioAnswer> => {
  let credentials = await ctx.credentials.current();
  let refreshed = false;
  let attempts = 0;
  let lastError: TwilioError | undefined;
  for (;;) {
    assertMayStart(request.operation, options, lastError);
    try {
      return await attemptOnce(ctx, request, headersFor(ctx, credentials), options);
    } catch (error) {
      if (!(error instanceof TwilioError)) throw error;
      lastError = error;
    }
    if (lastError.kind === 'auth' && ctx.credentials.refresh && !refreshed) {
      refreshed = true;
      credentials = await ctx.credentials.refresh();
      continue;
    }
    attempts += 1;
    const decision = decideRetry({
      policy: ctx.policy,
      operation: request.operation,
      failure: lastError,
      attempts,
      now: Date.now(),
      deadline: options.deadline,
      random: ctx.random,
    });
    if (!decision.retry) throw lastError;
    const failure = lastError;
    await ctx.sleep(decision.delayMs, options.signal).catch(() => {
      throw failure;
    });
  }
};

const createSubaccount = async (
  ctx: ClientContext,
  input: CreateSubaccountInput,
  options?: CallOptions,
): Promise<TwilioAccount> => {
  validateCreateInput(input);
  const request: TwilioRequest = {
    operation: 'create',
    method: 'POST',
    url: new URL(ACCOUNTS_PATH, ctx.baseUrl),
    form: formOf({ FriendlyName: input.friendlyName }),
  };
  try {
    return parseAccount(await call(ctx, request, options));
  } catch (error) {
    // Creating again could make a second subaccount; the caller looks it up by FriendlyName instead.
    if (error instanceof TwilioError && error.mayHaveApplied) {
      throw new TwilioAmbiguousCreateError(input.friendlyName, error);
    }
    throw error;
  }
};

const fetchAccount = async (
  ctx: ClientContext,
  sid: string,
  options?: CallOptions,
): Promise<TwilioAccount> => {
  assertAccountSid(sid);
  const url = new URL(accountPath(sid), ctx.baseUrl);
  return parseAccount(await call(ctx, { operation: 'fetch', accountSid: sid, method: 'GET', url }, options));
};

const updateAccount = async (
  ctx: ClientContext,
  sid: string,
  input: UpdateAccountInput,
  options?: CallOptions,
): Promise<TwilioAccount> => {
  validateUpdateInput(sid, input);
  const request: TwilioRequest = {
    operation: 'update',
    accountSid: sid,
    method: 'POST',
    url: new URL(accountPath(sid), ctx.baseUrl),
    form: formOf({ FriendlyName: input.friendlyName, Status: input.status }),
  };
  return parseAccount(await call(ctx, request, options));
};

/** Follows `next_page_uri` only within the Accounts list on the same origin: it carries our credentials. */
const nextPageUrl = (ctx: ClientContext, nextPageUri: string, seen: Set<string>): URL => {
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

async function* pages(ctx: ClientContext, first: URL, options?: CallOptions): AsyncGenerator<TwilioAccount> {
  const seen = new Set<string>();
  let url: URL | undefined = first;
  while (url) {
    seen.add(url.href);
    const page = parseAccountPage(await call(ctx, { operation: 'list', method: 'GET', url }, options));
    yield* page.accounts;
    url = page.nextPageUri === undefined ? undefined : nextPageUrl(ctx, page.nextPageUri, seen);
  }
}

/** Validates at once (no request for bad input), then reads page after page as the caller iterates. */
const listAccounts = (
  ctx: ClientContext,
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
  const ctx = resolveContext(options);
  return {
    createSubaccount: (input = {}, callOptions) => createSubaccount(ctx, input, callOptions),
    fetchAccount: (sid, callOptions) => fetchAccount(ctx, sid, callOptions),
    listAccounts: (input = {}, callOptions) => listAccounts(ctx, input, callOptions),
    updateAccount: (sid, input, callOptions) => updateAccount(ctx, sid, input, callOptions),
  };
};
