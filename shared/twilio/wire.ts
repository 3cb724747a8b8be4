/**
 * Twilio's snake_case JSON (api.v2010.account and ListAccountResponse in Twilio's OpenAPI) turned
 * into the camelCase `TwilioAccount`. A body that does not fit is reported by field path only:
 * issue details could quote the auth token.
 */

import type { $ZodType, output } from 'zod/v4/core';
import * as z from '../zod.ts';
import { TwilioUnexpectedResponseError } from './errors.ts';
import type { TwilioOperation } from './operations.ts';
import { ACCOUNT_STATUSES, type TwilioAccount } from './types.ts';
import { ACCOUNT_SID_PATTERN } from './validation.ts';

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

interface WireAnswer {
  readonly operation: TwilioOperation;
  readonly status: number;
  readonly body: string;
}

const parseWith = <Schema extends $ZodType>(schema: Schema, answer: WireAnswer): output<Schema> => {
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

export const parseAccount = (answer: WireAnswer): TwilioAccount => parseWith(accountSchema, answer);

export const parseAccountPage = (answer: WireAnswer): AccountPage => {
  const page = parseWith(pageSchema, answer);
  return { accounts: page.accounts, nextPageUri: page.next_page_uri ?? undefined };
};
