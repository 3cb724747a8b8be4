/**
 * Public types of the Twilio Accounts client, in camelCase, and the one request and answer shape
 * that travels between its parts. Wire format: https://www.twilio.com/docs/iam/api/account.
 */
import { SUBACCOUNT_STATUSES, type SubaccountStatus } from '../domain/ports.ts';

/** Twilio's account statuses are the domain's subaccount statuses. */
export type AccountStatus = SubaccountStatus;
export type AccountType = 'Trial' | 'Full';

export const ACCOUNT_STATUSES: readonly AccountStatus[] = SUBACCOUNT_STATUSES;

/** The four Accounts operations the client performs; retry rules and errors are keyed on them. */
export type TwilioOperation = 'create' | 'fetch' | 'list' | 'update';

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

/** Main-account credentials, or an API key acting for the main account. */
export type TwilioCredentials =
  | { readonly accountSid: string; readonly authToken: string }
  | { readonly accountSid: string; readonly apiKeySid: string; readonly apiKeySecret: string };

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

/** One request to Twilio, before credentials: what every attempt of a call sends. */
export interface TwilioRequest {
  readonly operation: TwilioOperation;
  /** The `{Sid}` of a fetch or update, named by its errors. */
  readonly accountSid?: string;
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly form?: URLSearchParams;
}

/** What Twilio answered to a request, whole, with the request's operation and `{Sid}`. */
export interface TwilioAnswer extends Pick<TwilioRequest, 'operation' | 'accountSid'> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}
