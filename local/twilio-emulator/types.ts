/**
 * Public types of the local Twilio Accounts emulator.
 * Wire format: https://www.twilio.com/docs/iam/api/account
 */
import type { AccountStatus, AccountType } from '../../shared/twilio/types.ts';

/** create = POST Accounts.json, list = GET Accounts.json, fetch = GET Accounts/{Sid}.json, update = POST Accounts/{Sid}.json */
export type TwilioRoute = 'create' | 'list' | 'fetch' | 'update';

export const TWILIO_ROUTES: readonly TwilioRoute[] = ['create', 'list', 'fetch', 'update'];

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
  /** Open (non-closed) subaccounts allowed per main account; 1000 for Full, 1 for Trial by default. */
  readonly subaccountLimit?: number;
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

/** A Main API key: it authenticates with the main account's rights. */
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
  /** issuedAuthTokens() plus every API key secret. */
  issuedSecrets(): string[];
  /** Snapshots of every account, main first, in creation order. */
  accounts(): ReadonlyArray<AccountJson>;
  /** Issues a Main API key (`SK` + 32 hex) for the main account. */
  createApiKey(): TwilioApiKey;
  /** Replaces the main account's auth token (the old one stops working) and returns the new one. */
  rotateAuthToken(): string;
}
