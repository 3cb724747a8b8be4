/**
 * The Twilio Accounts client (https://www.twilio.com/docs/iam/api/account): create, fetch, list
 * and update accounts, create, list, fetch and delete an account's API keys
 * (https://www.twilio.com/docs/iam/api/key) and read its Balance, with input checked before any
 * request and typed, classified errors.
 *
 * Each call gets its credentials, refreshes them once on a 401 (a rotated main-account token),
 * then follows the retry policy's decisions, never starting an attempt or a sleep past the
 * deadline. When retries stop, the last error is thrown as is, still carrying its `retryable`;
 * a last 401 to parent credentials that are an API key says what the parent credentials must be.
 * A Balance read may bring its own credentials (a key to probe): those are never refreshed.
 *
 * The benchmark bundles the handler with this module replaced by one over the official `twilio`
 * library (bench/variants/twilio-library-accounts.ts): only `createTwilioAccountsClient` is
 * imported from here by other modules, and nothing else loads transport.ts (undici).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import packageJson from '../../package.json' with { type: 'json' };
import {
  type AmbiguousCreateTarget,
  parentApiKeyRefusal,
  TwilioAmbiguousCreateError,
  TwilioAuthError,
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
  CreateKeyInput,
  CreateSubaccountInput,
  FetchBalanceInput,
  ListAccountsInput,
  ListKeysInput,
  TwilioAccount,
  TwilioAccountsClient,
  TwilioAnswer,
  TwilioBalance,
  TwilioCredentialSource,
  TwilioCredentials,
  TwilioKey,
  TwilioNewKey,
  TwilioOperation,
  TwilioRequest,
  UpdateAccountInput,
} from './types.ts';
import {
  ACCOUNTS_PATH,
  accountPath,
  assertAccountSid,
  authorizationHeader,
  balancePath,
  DEFAULT_TWILIO_BASE_URL,
  formOf,
  keyPath,
  keysPath,
  parseAccount,
  parseAccountPage,
  parseBalance,
  parseKey,
  parseKeyPage,
  parseNewKey,
  validateCreateInput,
  validateCreateKeyInput,
  validateGivenCredentials,
  validateKeyTarget,
  validateListInput,
  validateListKeysInput,
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

/** The credentials a call sends; `given` ones (a key to probe) are the caller's, never refreshed. */
interface CallCredentials {
  current: TwilioCredentials;
  readonly given: boolean;
}

/**
 * Twilio answers a Standard key on Accounts or Keys with the same 401 / 20003 as a wrong key;
 * when the parent credentials are an API key, the refusal says what they must be instead.
 */
const explainRefusal = (request: TwilioRequest, credentials: CallCredentials, error: unknown): unknown =>
  error instanceof TwilioAuthError &&
  !credentials.given &&
  request.operation !== 'balance' &&
  'apiKeySid' in credentials.current
    ? parentApiKeyRefusal(error, credentials.current.apiKeySid)
    : error;

/** The attempts of one request, refreshing the client's credentials once on a 401. */
const sendWithRetries = async (
  ctx: ClientContext,
  request: TwilioRequest,
  options: CallOptions,
  credentials: CallCredentials,
): Promise<TwilioAnswer> => {
  // A 401 to given credentials is the answer about them, not a reason to re-read the client's.
  let refreshed = credentials.given;
  let attempts = 0;
  let lastError: TwilioError | undefined;
  for (;;) {
    assertMayStart(request.operation, options, lastError);
    try {
      return await attemptOnce(ctx, request, headersFor(ctx, credentials.current), options);
    } catch (error) {
      if (!(error instanceof TwilioError)) throw error;
      lastError = error;
    }
    if (lastError.kind === 'auth' && ctx.credentials.refresh && !refreshed) {
      refreshed = true;
      credentials.current = await ctx.credentials.refresh();
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

/** A request with its retries; resolves with its 2xx answer. */
const call = async (
  ctx: ClientContext,
  request: TwilioRequest,
  options: CallOptions = {},
  given?: TwilioCredentials,
): Promise<TwilioAnswer> => {
  const credentials: CallCredentials = {
    current: given ?? (await ctx.credentials.current()),
    given: given !== undefined,
  };
  try {
    return await sendWithRetries(ctx, request, options, credentials);
  } catch (error) {
    throw explainRefusal(request, credentials, error);
  }
};

/**
 * A create, sent until Twilio may have applied it and no further: creating again could make a
 * second subaccount or key, so the caller looks it up by FriendlyName instead.
 */
const createOnce = async <Created>(
  ctx: ClientContext,
  request: TwilioRequest & { readonly operation: AmbiguousCreateTarget['operation'] },
  friendlyName: string | undefined,
  parse: (answer: TwilioAnswer) => Created,
  options?: CallOptions,
): Promise<Created> => {
  try {
    return parse(await call(ctx, request, options));
  } catch (error) {
    if (error instanceof TwilioError && error.mayHaveApplied) {
      throw new TwilioAmbiguousCreateError(friendlyName, error, {
        operation: request.operation,
        accountSid: request.accountSid,
      });
    }
    throw error;
  }
};

const createSubaccount = async (
  ctx: ClientContext,
  input: CreateSubaccountInput,
  options?: CallOptions,
): Promise<TwilioAccount> => {
  validateCreateInput(input);
  const request = {
    operation: 'create',
    method: 'POST',
    url: new URL(ACCOUNTS_PATH, ctx.baseUrl),
    form: formOf({ FriendlyName: input.friendlyName }),
  } as const;
  return createOnce(ctx, request, input.friendlyName, parseAccount, options);
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

/** One page of a list, as its parser reads it. */
interface Page<Item> {
  readonly items: readonly Item[];
  readonly nextPageUri: string | undefined;
}

/** The first page's request; the next ones differ only in their URL. */
type ListRequest = TwilioRequest & { readonly operation: 'list' | 'key-list'; readonly method: 'GET' };

/** Follows `next_page_uri` only within the same list on the same origin: it carries our credentials. */
const nextPageUrl = (ctx: ClientContext, first: ListRequest, nextPageUri: string, seen: Set<string>): URL => {
  const url = new URL(nextPageUri, ctx.baseUrl);
  if (url.origin !== ctx.baseUrl || url.pathname !== first.url.pathname || seen.has(url.href)) {
    throw new TwilioUnexpectedResponseError(
      first.operation,
      200,
      `next_page_uri is not a new page of the list ${first.url.pathname}`,
    );
  }
  return url;
};

async function* pages<Item>(
  ctx: ClientContext,
  first: ListRequest,
  read: (answer: TwilioAnswer) => Page<Item>,
  options?: CallOptions,
): AsyncGenerator<Item> {
  const seen = new Set<string>();
  let url: URL | undefined = first.url;
  while (url) {
    seen.add(url.href);
    const page = read(await call(ctx, { ...first, url }, options));
    yield* page.items;
    url = page.nextPageUri === undefined ? undefined : nextPageUrl(ctx, first, page.nextPageUri, seen);
  }
}

const readAccountPage = (answer: TwilioAnswer): Page<TwilioAccount> => {
  const page = parseAccountPage(answer);
  return { items: page.accounts, nextPageUri: page.nextPageUri };
};

const readKeyPage = (answer: TwilioAnswer): Page<TwilioKey> => {
  const page = parseKeyPage(answer);
  return { items: page.keys, nextPageUri: page.nextPageUri };
};

/** Validates at once (no request for bad input), then reads page after page as the caller iterates. */
const listAccounts = (
  ctx: ClientContext,
  input: ListAccountsInput,
  options?: CallOptions,
): AsyncIterable<TwilioAccount> => {
  validateListInput(input);
  const url = new URL(ACCOUNTS_PATH, ctx.baseUrl);
  url.search = formOf({
    FriendlyName: input.friendlyName,
    Status: input.status,
    PageSize: input.pageSize,
  }).toString();
  return pages(ctx, { operation: 'list', method: 'GET', url }, readAccountPage, options);
};

/* An account's Keys (keys-openapi.json): `accountSid` is the account the keys belong to. */

const createKey = async (
  ctx: ClientContext,
  accountSid: string,
  input: CreateKeyInput,
  options?: CallOptions,
): Promise<TwilioNewKey> => {
  validateCreateKeyInput(accountSid, input);
  const request = {
    operation: 'key-create',
    accountSid,
    method: 'POST',
    url: new URL(keysPath(accountSid), ctx.baseUrl),
    form: formOf({ FriendlyName: input.friendlyName }),
  } as const;
  return createOnce(ctx, request, input.friendlyName, parseNewKey, options);
};

/** Twilio's Keys list takes no filter but paging: every key of the account, in creation order. */
const listKeys = (
  ctx: ClientContext,
  accountSid: string,
  input: ListKeysInput,
  options?: CallOptions,
): AsyncIterable<TwilioKey> => {
  validateListKeysInput(accountSid, input);
  const url = new URL(keysPath(accountSid), ctx.baseUrl);
  url.search = formOf({ PageSize: input.pageSize }).toString();
  return pages(ctx, { operation: 'key-list', accountSid, method: 'GET', url }, readKeyPage, options);
};

const fetchKey = async (
  ctx: ClientContext,
  accountSid: string,
  keySid: string,
  options?: CallOptions,
): Promise<TwilioKey> => {
  validateKeyTarget(accountSid, keySid);
  const url = new URL(keyPath(accountSid, keySid), ctx.baseUrl);
  return parseKey(
    await call(ctx, { operation: 'key-fetch', accountSid, keySid, method: 'GET', url }, options),
  );
};

/** Twilio answers 204 without a body; a key that is gone answers 404 (`TwilioNotFoundError`). */
const deleteKey = async (
  ctx: ClientContext,
  accountSid: string,
  keySid: string,
  options?: CallOptions,
): Promise<void> => {
  validateKeyTarget(accountSid, keySid);
  const url = new URL(keyPath(accountSid, keySid), ctx.baseUrl);
  await call(ctx, { operation: 'key-delete', accountSid, keySid, method: 'DELETE', url }, options);
};

const fetchBalance = async (
  ctx: ClientContext,
  accountSid: string,
  input: FetchBalanceInput,
  options?: CallOptions,
): Promise<TwilioBalance> => {
  assertAccountSid(accountSid, 'accountSid');
  if (input.credentials !== undefined) validateGivenCredentials(input.credentials);
  const url = new URL(balancePath(accountSid), ctx.baseUrl);
  const answer = await call(
    ctx,
    { operation: 'balance', accountSid, method: 'GET', url },
    options,
    input.credentials,
  );
  return parseBalance(answer);
};

export const createTwilioAccountsClient = (options: TwilioAccountsClientOptions): TwilioAccountsClient => {
  const ctx = resolveContext(options);
  return {
    createSubaccount: (input = {}, callOptions) => createSubaccount(ctx, input, callOptions),
    fetchAccount: (sid, callOptions) => fetchAccount(ctx, sid, callOptions),
    listAccounts: (input = {}, callOptions) => listAccounts(ctx, input, callOptions),
    updateAccount: (sid, input, callOptions) => updateAccount(ctx, sid, input, callOptions),
    createKey: (accountSid, input = {}, callOptions) => createKey(ctx, accountSid, input, callOptions),
    listKeys: (accountSid, input = {}, callOptions) => listKeys(ctx, accountSid, input, callOptions),
    fetchKey: (accountSid, keySid, callOptions) => fetchKey(ctx, accountSid, keySid, callOptions),
    deleteKey: (accountSid, keySid, callOptions) => deleteKey(ctx, accountSid, keySid, callOptions),
    fetchBalance: (accountSid, input = {}, callOptions) => fetchBalance(ctx, accountSid, input, callOptions),
  };
};
