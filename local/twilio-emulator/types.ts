/**
 * Public types of the local Twilio emulator: the Accounts, Keys and Balance resources.
 * Wire format: https://www.twilio.com/docs/iam/api/account, https://www.twilio.com/docs/iam/api/key
 */
import type { AccountStatus, AccountType } from '../../shared/twilio/types.ts';

/**
 * Accounts: create = POST Accounts.json, list = GET Accounts.json, fetch = GET Accounts/{Sid}.json,
 * update = POST Accounts/{Sid}.json.
 * Keys: key-create = POST Accounts/{AccountSid}/Keys.json, key-list = GET Accounts/{AccountSid}/Keys.json,
 * key-fetch / key-update / key-delete = GET / POST / DELETE Accounts/{AccountSid}/Keys/{Sid}.json.
 * Balance: balance = GET Accounts/{AccountSid}/Balance.json.
 */
export type TwilioRoute =
  | 'create'
  | 'list'
  | 'fetch'
  | 'update'
  | 'key-create'
  | 'key-list'
  | 'key-fetch'
  | 'key-update'
  | 'key-delete'
  | 'balance';

export const TWILIO_ROUTES: readonly TwilioRoute[] = [
  'create',
  'list',
  'fetch',
  'update',
  'key-create',
  'key-list',
  'key-fetch',
  'key-update',
  'key-delete',
  'balance',
];

export type TwilioFault =
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'server-error'; readonly status: 500 | 503 }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'reset-before' }
  | { readonly kind: 'reset-after' };

export interface TwilioFaultRule {
  readonly route: TwilioRoute | '*';
  readonly fault: TwilioFault;
  /** How many times the rule may fire; unlimited when omitted. */
  readonly times?: number;
  /** Chance (0..1) that a matching request fires the rule; 1 when omitted. */
  readonly probability?: number;
}

/**
 * How long a new account stays out of FriendlyName-filtered lists (`GET Accounts.json?FriendlyName=…`):
 * a number of seconds on the emulator's clock, or a number of such lookups, counted per list request
 * whose FriendlyName matches the account. Twilio documents no consistency guarantee for the list;
 * fetching the account by SID always works.
 */
export type TwilioListLag = { readonly seconds: number } | { readonly lookups: number };

export interface TwilioEmulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** Main account SID (`AC` + 32 hex); random when omitted. */
  readonly accountSid?: string;
  /** Main account auth token (32 hex); random when omitted. */
  readonly authToken?: string;
  /** Main account type; subaccounts inherit it. Defaults to Full. */
  readonly type?: AccountType;
  /**
   * Open (non-closed) subaccounts allowed per main account; beyond it a create answers 21480.
   * 1000 for Full (Twilio's default), 1 for Trial by default. Also `setSubaccountLimit`.
   */
  readonly subaccountLimit?: number;
  /**
   * Requests allowed in flight at once per authenticating account (an API key counts as its
   * account); one more is answered 429 / 20429 with `Retry-After: 1` and not applied. Unlimited when
   * omitted. Also `setConcurrencyLimit`.
   */
  readonly concurrencyLimit?: number;
  /** Lag of FriendlyName-filtered lists behind creates; none when omitted. Also `setListLag`. */
  readonly listLag?: TwilioListLag;
  /** Start with the main account suspended (see `setMainAccountSuspended`). Defaults to false. */
  readonly mainAccountSuspended?: boolean;
  /** Source of randomness for fault probabilities, so tests can seed it. Defaults to Math.random. */
  readonly random?: () => number;
  /** Clock for date_created / date_updated / default FriendlyName. Defaults to the system clock. */
  readonly now?: () => Date;
  /** Receives one line per request; never given a token. */
  readonly log?: (line: string) => void;
}

/** An Account exactly as the API returns it (snake_case, RFC 2822 dates). */
export interface AccountJson {
  auth_token: string;
  date_created: string;
  date_updated: string;
  friendly_name: string;
  owner_account_sid: string;
  sid: string;
  status: AccountStatus;
  subresource_uris: Record<string, string>;
  type: AccountType;
  uri: string;
}

/** A Key exactly as the API returns it from fetch, list and update (never with its secret). */
export interface KeyJson {
  sid: string;
  friendly_name: string | null;
  date_created: string;
  date_updated: string;
}

/** The create answer: the only place a key's secret ever appears. */
export interface NewKeyJson extends KeyJson {
  secret: string;
}

/** GET Accounts/{AccountSid}/Balance.json */
export interface BalanceJson {
  account_sid: string;
  balance: string;
  currency: string;
}

/**
 * Main keys are made in Twilio's Console and may use every resource, Accounts and Keys included;
 * Standard keys (what `POST Keys.json` creates) every resource but those two.
 */
export type TwilioKeyType = 'Main' | 'Standard';

/** A live key as tests see it: the wire fields plus its account and type, never its secret. */
export interface TwilioKeyInfo extends KeyJson {
  account_sid: string;
  type: TwilioKeyType;
}

export interface MainKeyOptions {
  /** The account the key belongs to; the main account when omitted. */
  readonly accountSid?: string;
  /** At most 64 characters; none (`null`) when omitted. */
  readonly friendlyName?: string;
}

export interface TwilioRequestLogEntry {
  readonly route: TwilioRoute;
  readonly method: string;
  readonly path: string;
  /** 'reset' when the connection ended without an answer (reset fault, or the caller left during latency). */
  readonly status: number | 'reset';
  /** The fault kind that shaped this request, if any. */
  readonly fault?: string;
}

export interface TwilioEmulatorStats {
  /** Every request received, including ones on unknown paths (which have no route). */
  readonly total: number;
  readonly byRoute: Record<TwilioRoute, number>;
  /** Firings per fault kind. */
  readonly faultsInjected: Record<string, number>;
}

/** An API key's SID and secret, as `createMainKey()` issues them. */
export interface TwilioApiKey {
  readonly sid: string;
  /** Secret. Never log it. */
  readonly secret: string;
}

export interface TwilioEmulator {
  /** e.g. http://127.0.0.1:54321 (no trailing slash). */
  readonly url: string;
  readonly accountSid: string;
  /** The main account's current auth token. Secret. */
  readonly authToken: string;
  close(): Promise<void>;
  injectFault(rule: TwilioFaultRule): void;
  clearFaults(): void;
  stats(): TwilioEmulatorStats;
  /** Clears the counters and the request log. */
  resetStats(): void;
  requestLog(): ReadonlyArray<TwilioRequestLogEntry>;
  /** The main token and every subaccount token ever issued (to assert none leaks). */
  issuedAuthTokens(): string[];
  /**
   * issuedAuthTokens() plus the secret of every API key ever issued: Main keys, and Standard keys
   * created through the API (including keys since deleted and creates whose answer was lost).
   */
  issuedSecrets(): string[];
  /** Snapshots of every account, main first, in creation order. */
  accounts(): ReadonlyArray<AccountJson>;
  /** Every live (not deleted) key, of one account or of all, in creation order; never a secret. */
  keys(accountSid?: string): ReadonlyArray<TwilioKeyInfo>;
  /**
   * Issues a Main key (`SK` + 32 hex) as Twilio's Console does: for the main account unless
   * `accountSid` names another (open) account. Nothing is recorded and no fault applies.
   */
  createMainKey(options?: MainKeyOptions): TwilioApiKey;
  /** @deprecated The same as `createMainKey()`. */
  createApiKey(): TwilioApiKey;
  /** Replaces the main account's auth token (the old one stops working) and returns the new one. */
  rotateAuthToken(): string;
  /** Changes the subaccount limit at once (see the `subaccountLimit` option). */
  setSubaccountLimit(limit: number): void;
  /** Changes the in-flight limit at once; `undefined` lifts it (see the `concurrencyLimit` option). */
  setConcurrencyLimit(limit: number | undefined): void;
  /** Lag for accounts created from now on; `undefined` for none (see the `listLag` option). */
  setListLag(lag: TwilioListLag | undefined): void;
  /**
   * Suspends (or restores) the main account, as Twilio does for an account not in good standing:
   * a subaccount Status change answers 400 / 21476, every other request made with the main
   * account's (or its API keys', or its subaccounts') credentials 403 / 10001.
   */
  setMainAccountSuspended(suspended: boolean): void;
  /**
   * Marks a subaccount as suspended by Twilio itself (its status becomes `suspended`; any Status
   * change then answers 400 / 21478), or lifts that, restoring the status it had before.
   */
  setSuspendedByTwilio(sid: string, suspended: boolean): void;
  /**
   * Changes an account's status the way its owner would in Twilio's Console, outside the API: no
   * request, no fault, nothing recorded. The Accounts rules still apply (e.g. a closed account
   * stays closed); a refused change throws the TwilioApiError the API would answer.
   */
  setAccountStatus(sid: string, status: AccountStatus): AccountJson;
}
