/**
 * Twilio's API 2010-04-01 as it is on the wire, for Accounts (https://www.twilio.com/docs/iam/api/account),
 * an account's Keys (https://www.twilio.com/docs/iam/api/key) and its Balance: the origin and
 * paths, the Basic credentials, the parameters with Twilio's limits, checked before any request so
 * a bad value never costs a round trip or a retry, and the snake_case JSON answers (api.v2010.account,
 * ListAccountResponse, api.v2010.account.key, .new_key, ListKeyResponse and .balance in Twilio's
 * OpenAPI) read into the client's camelCase types.
 */

import type { $ZodType, output } from 'zod/v4/core';
import { DEFAULT_TWILIO_BASE_URL, twilioBaseUrlProblems, twilioOrigin } from '../config/settings.ts';
import { ENV } from '../contracts/env-names.ts';
import { ACCOUNT_SID_PATTERN } from '../domain/ports.ts';
import * as z from '../zod.ts';
import {
  TwilioConfigError,
  type TwilioError,
  TwilioInputError,
  TwilioUnexpectedResponseError,
} from './errors.ts';
import {
  ACCOUNT_STATUSES,
  type AccountStatus,
  type CreateKeyInput,
  type CreateSubaccountInput,
  type ListAccountsInput,
  type ListKeysInput,
  type TwilioAccount,
  type TwilioAnswer,
  type TwilioBalance,
  type TwilioCredentials,
  type TwilioKey,
  type TwilioNewKey,
  type UpdateAccountInput,
} from './types.ts';

/*
 * The origin, checked by the base URL's one rule (shared/config/settings.ts): plain HTTP is only
 * for an emulator on this machine, since credentials travel in a Basic Authorization header.
 */

export { DEFAULT_TWILIO_BASE_URL };

/** Validates a base URL and returns its origin; `setting` names the variable or option in errors. */
export const validateTwilioBaseUrl = (value: string, setting: string): string => {
  const [problem] = twilioBaseUrlProblems(value);
  if (problem !== undefined) throw new TwilioConfigError(setting, problem);
  return twilioOrigin(value);
};

/** `TWILIO_API_BASE_URL` when set (e.g. the local emulator), otherwise Twilio's public API. */
export const readTwilioBaseUrl = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): string => {
  const value = env[ENV.twilioApiBaseUrl]?.trim();
  return value ? validateTwilioBaseUrl(value, ENV.twilioApiBaseUrl) : DEFAULT_TWILIO_BASE_URL;
};

export const ACCOUNTS_PATH = '/2010-04-01/Accounts.json';
export const accountPath = (sid: string): string => `/2010-04-01/Accounts/${sid}.json`;
export const keysPath = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}/Keys.json`;
export const keyPath = (accountSid: string, keySid: string): string =>
  `/2010-04-01/Accounts/${accountSid}/Keys/${keySid}.json`;
export const balancePath = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}/Balance.json`;

/*
 * HTTP Basic credentials (https://www.twilio.com/docs/usage/requests-to-twilio#authentication):
 * the main account SID + auth token, or an API key SID + secret acting for that account. The
 * header value is built per request and never stored on an error or logged.
 */

/** An API key SID: `SK` and 32 hex digits (keys-openapi.json). */
export const API_KEY_SID_PATTERN = /^SK[0-9a-fA-F]{32}$/;

/** How a bad credential field is reported: config for the client's own credentials, input for given ones. */
type Refusal = (field: string, problem: string) => TwilioError;
const configRefusal: Refusal = (field, problem) => new TwilioConfigError(field, problem);
const inputRefusal: Refusal = (field, problem) => new TwilioInputError(field, problem);

const requireMatch = (refuse: Refusal, field: string, value: unknown, pattern: RegExp): string => {
  if (typeof value !== 'string' || !pattern.test(value)) throw refuse(field, `must match ${pattern.source}`);
  return value;
};

const requireSecret = (refuse: Refusal, field: string, value: unknown): string => {
  if (typeof value !== 'string' || value === '') throw refuse(field, 'must be a non-empty string');
  return value;
};

/** The Basic user and password: the account SID and token, or the key SID and secret. */
const basicPair = (credentials: TwilioCredentials, refuse: Refusal): readonly [string, string] => {
  if (typeof credentials !== 'object' || credentials === null) {
    throw refuse('credentials', 'must be an object');
  }
  requireMatch(refuse, 'credentials.accountSid', credentials.accountSid, ACCOUNT_SID_PATTERN);
  return 'apiKeySid' in credentials
    ? [
        requireMatch(refuse, 'credentials.apiKeySid', credentials.apiKeySid, API_KEY_SID_PATTERN),
        requireSecret(refuse, 'credentials.apiKeySecret', credentials.apiKeySecret),
      ]
    : [credentials.accountSid, requireSecret(refuse, 'credentials.authToken', credentials.authToken)];
};

const basicHeader = ([user, password]: readonly [string, string]): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The header for the client's own credentials; a bad field is a `TwilioConfigError`. */
export const authorizationHeader = (credentials: TwilioCredentials): string =>
  basicHeader(basicPair(credentials, configRefusal));

/**
 * Checks credentials given for one call (a key to probe) before any request; a bad field is a
 * `TwilioInputError` naming it, never quoting the value.
 */
export const validateGivenCredentials = (credentials: TwilioCredentials): void => {
  basicPair(credentials, inputRefusal);
};

/* The parameters, with the limits of Twilio's Accounts API. */

const MAX_FRIENDLY_NAME_LENGTH = 64;
const MAX_PAGE_SIZE = 1000;

export const assertAccountSid = (sid: unknown, field = 'sid'): void => {
  requireMatch(inputRefusal, field, sid, ACCOUNT_SID_PATTERN);
};

export const assertKeySid = (sid: unknown, field = 'keySid'): void => {
  requireMatch(inputRefusal, field, sid, API_KEY_SID_PATTERN);
};

const assertFriendlyName = (name: unknown, field: string): void => {
  if (name === undefined) return;
  // Counted in characters, not UTF-16 units, as Twilio counts them.
  const length = typeof name === 'string' ? [...name].length : 0;
  if (length < 1 || length > MAX_FRIENDLY_NAME_LENGTH) {
    throw new TwilioInputError(field, `must be a string of 1 to ${MAX_FRIENDLY_NAME_LENGTH} characters`);
  }
};

const assertStatus = (status: unknown, field: string): void => {
  if (status !== undefined && !ACCOUNT_STATUSES.includes(status as AccountStatus)) {
    throw new TwilioInputError(field, `must be one of ${ACCOUNT_STATUSES.join(', ')}`);
  }
};

const assertPageSize = (pageSize: unknown, field: string): void => {
  if (pageSize === undefined) return;
  if (!Number.isInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > MAX_PAGE_SIZE) {
    throw new TwilioInputError(field, `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
};

export const validateCreateInput = (input: CreateSubaccountInput): void => {
  assertFriendlyName(input.friendlyName, 'friendlyName');
};

export const validateListInput = (input: ListAccountsInput): void => {
  assertFriendlyName(input.friendlyName, 'friendlyName');
  assertStatus(input.status, 'status');
  assertPageSize(input.pageSize, 'pageSize');
};

export const validateUpdateInput = (sid: unknown, input: UpdateAccountInput): void => {
  assertAccountSid(sid);
  if (input?.friendlyName === undefined && input?.status === undefined) {
    throw new TwilioInputError('update', 'needs at least one of friendlyName or status');
  }
  assertFriendlyName(input.friendlyName, 'friendlyName');
  assertStatus(input.status, 'status');
};

/** Keys and Balance name their account `{AccountSid}`; so do their input errors. */
export const validateCreateKeyInput = (accountSid: unknown, input: CreateKeyInput): void => {
  assertAccountSid(accountSid, 'accountSid');
  assertFriendlyName(input.friendlyName, 'friendlyName');
};

export const validateListKeysInput = (accountSid: unknown, input: ListKeysInput): void => {
  assertAccountSid(accountSid, 'accountSid');
  assertPageSize(input.pageSize, 'pageSize');
};

export const validateKeyTarget = (accountSid: unknown, keySid: unknown): void => {
  assertAccountSid(accountSid, 'accountSid');
  assertKeySid(keySid);
};

/** Twilio's parameter names, without the ones left out. */
export const formOf = (fields: Record<string, string | number | undefined>): URLSearchParams => {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) form.set(name, String(value));
  }
  return form;
};

/*
 * The answers. A body that does not fit is reported by field path only: issue details could
 * quote the auth token or a key's secret.
 */

/** Dates are RFC 2822, e.g. "Thu, 30 Jul 2015 20:00:00 +0000". */
const rfc2822Date = z.pipe(
  z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)), 'not an RFC 2822 date')),
  z.transform((value) => new Date(value)),
);

const accountSchema = z.pipe(
  z.object({
    sid: z.string().check(z.regex(ACCOUNT_SID_PATTERN)),
    auth_token: z.string().check(z.minLength(1)),
    friendly_name: z.nullable(z.string()),
    owner_account_sid: z.string().check(z.regex(ACCOUNT_SID_PATTERN)),
    status: z.enum(ACCOUNT_STATUSES),
    type: z.enum(['Trial', 'Full']),
    date_created: rfc2822Date,
    date_updated: rfc2822Date,
    uri: z.nullable(z.string()),
    subresource_uris: z.nullable(z.record(z.string(), z.string())),
  }),
  z.transform(
    (wire): TwilioAccount => ({
      sid: wire.sid,
      authToken: wire.auth_token,
      friendlyName: wire.friendly_name ?? '',
      ownerAccountSid: wire.owner_account_sid,
      status: wire.status,
      type: wire.type,
      dateCreated: wire.date_created,
      dateUpdated: wire.date_updated,
      uri: wire.uri ?? '',
      subresourceUris: wire.subresource_uris ?? {},
    }),
  ),
);

const pageSchema = z.object({
  accounts: z.array(accountSchema),
  // A path relative to the API origin, followed as is to read the next page.
  next_page_uri: z.nullish(z.string().check(z.minLength(1))),
});

export interface AccountPage {
  readonly accounts: readonly TwilioAccount[];
  readonly nextPageUri: string | undefined;
}

/*
 * Keys. keys-openapi.json marks every property nullable; the product cannot do without a key's
 * SID and dates (it orders keys by creation) or a new key's secret, while a missing FriendlyName
 * reads as ''.
 */

const keyFields = {
  sid: z.string().check(z.regex(API_KEY_SID_PATTERN)),
  friendly_name: z.nullable(z.string()),
  date_created: rfc2822Date,
  date_updated: rfc2822Date,
};

interface WireKey {
  readonly sid: string;
  readonly friendly_name: string | null;
  readonly date_created: Date;
  readonly date_updated: Date;
}

const toKey = (wire: WireKey): TwilioKey => ({
  sid: wire.sid,
  friendlyName: wire.friendly_name ?? '',
  dateCreated: wire.date_created,
  dateUpdated: wire.date_updated,
});

const keySchema = z.pipe(z.object(keyFields), z.transform(toKey));

const newKeySchema = z.pipe(
  z.object({ ...keyFields, secret: z.string().check(z.minLength(1)) }),
  z.transform((wire): TwilioNewKey => ({ ...toKey(wire), secret: wire.secret })),
);

const keyPageSchema = z.object({
  keys: z.array(keySchema),
  next_page_uri: z.nullish(z.string().check(z.minLength(1))),
});

export interface KeyPage {
  readonly keys: readonly TwilioKey[];
  readonly nextPageUri: string | undefined;
}

/** Twilio: "child accounts do not contain balance information", so balance and currency may be null. */
const balanceSchema = z.pipe(
  z.object({
    account_sid: z.string().check(z.regex(ACCOUNT_SID_PATTERN)),
    balance: z.nullish(z.string()),
    currency: z.nullish(z.string()),
  }),
  z.transform(
    (wire): TwilioBalance => ({
      accountSid: wire.account_sid,
      balance: wire.balance ?? undefined,
      currency: wire.currency ?? undefined,
    }),
  ),
);

type ParsedAnswer = Pick<TwilioAnswer, 'operation' | 'status' | 'body'>;

const parseWith = <Schema extends $ZodType>(schema: Schema, answer: ParsedAnswer): output<Schema> => {
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    throw new TwilioUnexpectedResponseError(answer.operation, answer.status, 'not JSON');
  }
  const result = z.safeParse(schema, json);
  if (!result.success) {
    const paths = result.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new TwilioUnexpectedResponseError(
      answer.operation,
      answer.status,
      `invalid ${[...new Set(paths)].join(', ')}`,
    );
  }
  return result.data;
};

export const parseAccount = (answer: ParsedAnswer): TwilioAccount => parseWith(accountSchema, answer);

export const parseAccountPage = (answer: ParsedAnswer): AccountPage => {
  const page = parseWith(pageSchema, answer);
  return { accounts: page.accounts, nextPageUri: page.next_page_uri ?? undefined };
};

export const parseNewKey = (answer: ParsedAnswer): TwilioNewKey => parseWith(newKeySchema, answer);

export const parseKey = (answer: ParsedAnswer): TwilioKey => parseWith(keySchema, answer);

export const parseKeyPage = (answer: ParsedAnswer): KeyPage => {
  const page = parseWith(keyPageSchema, answer);
  return { keys: page.keys, nextPageUri: page.next_page_uri ?? undefined };
};

export const parseBalance = (answer: ParsedAnswer): TwilioBalance => parseWith(balanceSchema, answer);
