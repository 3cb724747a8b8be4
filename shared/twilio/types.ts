/**
 * Public types of the Twilio Accounts client, in camelCase, and the one request and answer shape
 * that travels between its parts. Wire format: https://www.twilio.com/docs/iam/api/account,
 * https://www.twilio.com/docs/iam/api/key and https://www.twilio.com/docs/usage/api/account-balance.
 */
import { SUBACCOUNT_STATUSES, type SubaccountStatus } from '../domain/ports.ts';

/** Twilio's account statuses are the domain's subaccount statuses. */
export type AccountStatus = SubaccountStatus;
export type AccountType = 'Trial' | 'Full';

export const ACCOUNT_STATUSES: readonly AccountStatus[] = SUBACCOUNT_STATUSES;

/**
 * The operations the client performs, four on Accounts and five on an account's Keys and Balance;
 * retry rules and errors are keyed on them.
 */
export type TwilioOperation =
  | 'create'
  | 'fetch'
  | 'list'
  | 'update'
  | 'key-create'
  | 'key-list'
  | 'key-fetch'
  | 'key-delete'
  | 'balance';

export interface TwilioAccount {
  readonly sid: string;
  /** Secret. Never log it. */
  readonly authToken: string;
  readonly friendlyName: string;
  readonly ownerAccountSid: string;
  readonly status: AccountStatus;
  readonly type: AccountType;
  readonly dateCreated: Date;
  readonly dateUpdated: Date;
  readonly uri: string;
  readonly subresourceUris: Readonly<Record<string, string>>;
}

export interface TwilioAuthTokenCredentials {
  readonly accountSid: string;
  /** Secret. Never log it. */
  readonly authToken: string;
}

/** An API key (`SK...`) acting for `accountSid`: Basic auth as `apiKeySid:apiKeySecret`. */
export interface TwilioApiKeyCredentials {
  readonly accountSid: string;
  readonly apiKeySid: string;
  /** Secret. Never log it. */
  readonly apiKeySecret: string;
}

/**
 * An account's auth token, or one of its API keys. The parent credentials must be the main
 * account's auth token or a Main key: Twilio refuses a Standard key on Accounts and Keys.
 */
export type TwilioCredentials = TwilioAuthTokenCredentials | TwilioApiKeyCredentials;

/**
 * Where the client gets its credentials. `refresh` (optional) is called at most once per
 * operation when Twilio answers 401, so a rotated main-account token is picked up without a
 * cold start.
 */
export interface TwilioCredentialSource {
  current(): Promise<TwilioCredentials> | TwilioCredentials;
  refresh?(): Promise<TwilioCredentials>;
}

/** Per-call options. `deadline` is an absolute epoch-millisecond time (e.g. now + a Lambda's remaining time). */
export interface CallOptions {
  readonly deadline?: number;
  readonly signal?: AbortSignal;
}

export interface CreateSubaccountInput {
  readonly friendlyName?: string;
}

export interface ListAccountsInput {
  readonly friendlyName?: string;
  readonly status?: AccountStatus;
  readonly pageSize?: number;
}

export interface UpdateAccountInput {
  readonly friendlyName?: string;
  readonly status?: AccountStatus;
}

/** The operations the product needs from Twilio's Accounts resource. */
export interface TwilioAccountsApi {
  createSubaccount(input?: CreateSubaccountInput, options?: CallOptions): Promise<TwilioAccount>;
  fetchAccount(sid: string, options?: CallOptions): Promise<TwilioAccount>;
  listAccounts(input?: ListAccountsInput, options?: CallOptions): AsyncIterable<TwilioAccount>;
  updateAccount(sid: string, input: UpdateAccountInput, options?: CallOptions): Promise<TwilioAccount>;
}

/** An API key of an account (api.v2010.account.key). Twilio's Keys endpoint makes Standard keys. */
export interface TwilioKey {
  /** `SK` + 32 hex digits: the Basic-auth user of the key. */
  readonly sid: string;
  /** `''` when the key was created without one. */
  readonly friendlyName: string;
  readonly dateCreated: Date;
  readonly dateUpdated: Date;
}

/** A key as its create answers it (api.v2010.account.new_key): the only answer with its secret. */
export interface TwilioNewKey extends TwilioKey {
  /** Secret, shown once. Never log it. */
  readonly secret: string;
}

/** api.v2010.account.balance. Twilio: "child accounts do not contain balance information". */
export interface TwilioBalance {
  readonly accountSid: string;
  /** e.g. "20.00"; `undefined` when Twilio gives none (a subaccount may have none of its own). */
  readonly balance: string | undefined;
  readonly currency: string | undefined;
}

export interface CreateKeyInput {
  /** Up to 64 characters; the key has none when omitted. */
  readonly friendlyName?: string;
}

export interface ListKeysInput {
  readonly pageSize?: number;
}

export interface FetchBalanceInput {
  /**
   * Authenticate this one request with these credentials (e.g. a subaccount's stored Standard
   * key) instead of the client's, to check that they work: a 401 is then an answer about them,
   * thrown as a `TwilioAuthError` without refreshing the client's credentials.
   */
  readonly credentials?: TwilioCredentials;
}

/**
 * The operations the product needs from an account's Keys resource
 * (`/2010-04-01/Accounts/{AccountSid}/Keys`), with the client's (parent) credentials, and its
 * Balance (`/2010-04-01/Accounts/{AccountSid}/Balance.json`), the cheapest read a key can prove
 * itself with. `accountSid` is the account the keys belong to: the main account or a subaccount.
 */
export interface TwilioKeysApi {
  /** Never sent twice once Twilio may have applied it: that throws `TwilioAmbiguousCreateError`. */
  createKey(accountSid: string, input?: CreateKeyInput, options?: CallOptions): Promise<TwilioNewKey>;
  listKeys(accountSid: string, input?: ListKeysInput, options?: CallOptions): AsyncIterable<TwilioKey>;
  fetchKey(accountSid: string, keySid: string, options?: CallOptions): Promise<TwilioKey>;
  /** Throws `TwilioNotFoundError` when no such key exists (any more). */
  deleteKey(accountSid: string, keySid: string, options?: CallOptions): Promise<void>;
  fetchBalance(accountSid: string, input?: FetchBalanceInput, options?: CallOptions): Promise<TwilioBalance>;
}

/** What `createTwilioAccountsClient` returns: one client for Accounts, Keys and Balance. */
export interface TwilioAccountsClient extends TwilioAccountsApi, TwilioKeysApi {}

/** One request to Twilio, before credentials: what every attempt of a call sends. */
export interface TwilioRequest {
  readonly operation: TwilioOperation;
  /**
   * The `{Sid}` of a fetch or update, or the `{AccountSid}` of a Keys or Balance request, named by
   * its errors.
   */
  readonly accountSid?: string;
  /** The key `{Sid}` of a key fetch or delete, named by its errors. */
  readonly keySid?: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: URL;
  readonly form?: URLSearchParams;
}

/** What Twilio answered to a request, whole, with the request's operation and SIDs. */
export interface TwilioAnswer extends Pick<TwilioRequest, 'operation' | 'accountSid' | 'keySid'> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}
