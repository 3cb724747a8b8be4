/** Small loopback HTTP client and polling helpers for the emulator's tests. */
import type { TwilioEmulator } from '../../../local/twilio-emulator/index.ts';

export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface CallOptions {
  /** [username, password]; omit for no Authorization header. */
  readonly auth?: readonly [string, string];
  readonly form?: Record<string, string>;
  readonly rawBody?: string | Buffer;
  readonly headers?: Record<string, string>;
}

export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export const mainAuth = (emulator: TwilioEmulator): readonly [string, string] => [
  emulator.accountSid,
  emulator.authToken,
];

const requestBody = (options: CallOptions): { body?: string | Buffer; type?: string } => {
  if (options.rawBody !== undefined) return { body: options.rawBody };
  if (options.form !== undefined) {
    return { body: new URLSearchParams(options.form).toString(), type: 'application/x-www-form-urlencoded' };
  }
  return {};
};

export const call = async <T = Record<string, unknown>>(
  emulator: TwilioEmulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply<T>> => {
  const { body, type } = requestBody(options);
  const headers: Record<string, string> = { ...(type ? { 'Content-Type': type } : {}), ...options.headers };
  if (options.auth) headers.Authorization = basic(options.auth[0], options.auth[1]);
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as T };
};

export const LIST = '/2010-04-01/Accounts.json';
export const accountPath = (sid: string): string => `/2010-04-01/Accounts/${sid}.json`;

export interface AccountBody {
  auth_token: string;
  date_created: string;
  date_updated: string;
  friendly_name: string;
  owner_account_sid: string;
  sid: string;
  status: string;
  subresource_uris: Record<string, string>;
  type: string;
  uri: string;
}

export interface PageBody {
  first_page_uri: string;
  next_page_uri: string | null;
  previous_page_uri: string | null;
  page: number;
  page_size: number;
  start: number;
  end: number;
  uri: string;
  accounts: AccountBody[];
}

export interface ErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export const createSubaccount = async (
  emulator: TwilioEmulator,
  friendlyName?: string,
): Promise<AccountBody> => {
  const form = friendlyName === undefined ? undefined : { FriendlyName: friendlyName };
  const reply = await call<AccountBody>(emulator, 'POST', LIST, { auth: mainAuth(emulator), form });
  if (reply.status !== 201) throw new Error(`create answered ${reply.status}`);
  return reply.body;
};

/** Polls until `condition` holds; fails after `timeoutMs` (a safety net, never a timing assertion). */
export const waitFor = async (condition: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** A settable clock for the emulator's `now` option. */
export const manualClock = (iso: string) => {
  let current = Date.parse(iso);
  return {
    now: (): Date => new Date(current),
    advance: (ms: number): void => {
      current += ms;
    },
  };
};

export const keysPath = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}/Keys.json`;
export const keyPath = (accountSid: string, sid: string): string =>
  `/2010-04-01/Accounts/${accountSid}/Keys/${sid}.json`;
export const balancePath = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}/Balance.json`;

export interface KeyBody {
  sid: string;
  friendly_name: string | null;
  date_created: string;
  date_updated: string;
}

export interface NewKeyBody extends KeyBody {
  secret: string;
}

export interface KeyPageBody extends Omit<PageBody, 'accounts'> {
  keys: KeyBody[];
}

export interface BalanceBody {
  account_sid: string;
  balance: string;
  currency: string;
}

/** Creates a Standard key on `accountSid` (the main account by default) with the main credentials. */
export const createKey = async (
  emulator: TwilioEmulator,
  accountSid: string = emulator.accountSid,
  options: { readonly auth?: readonly [string, string]; readonly friendlyName?: string } = {},
): Promise<NewKeyBody> => {
  const form = options.friendlyName === undefined ? undefined : { FriendlyName: options.friendlyName };
  const auth = options.auth ?? mainAuth(emulator);
  const reply = await call<NewKeyBody>(emulator, 'POST', keysPath(accountSid), { auth, form });
  if (reply.status !== 201) throw new Error(`key create answered ${reply.status}`);
  return reply.body;
};

/** Basic credentials of a key. */
export const keyAuth = (key: {
  readonly sid: string;
  readonly secret: string;
}): readonly [string, string] => [key.sid, key.secret];
