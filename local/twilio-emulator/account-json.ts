/** Renders a stored account as the API's JSON (see the reference's example output). */
import type { AccountStatus, AccountType } from '../../shared/twilio/types.ts';
import { toRfc2822 } from './format.ts';
import type { AccountJson } from './types.ts';

export interface AccountRecord {
  /** Creation order: the stable sort key of every list. */
  readonly seq: number;
  readonly sid: string;
  authToken: string;
  friendlyName: string;
  readonly ownerAccountSid: string;
  status: AccountStatus;
  readonly type: AccountType;
  readonly dateCreated: Date;
  dateUpdated: Date;
}

/** The 20 subresources every Account lists, in the reference's order. */
const SUBRESOURCES: ReadonlyArray<readonly [string, string]> = [
  ['available_phone_numbers', 'AvailablePhoneNumbers'],
  ['calls', 'Calls'],
  ['conferences', 'Conferences'],
  ['incoming_phone_numbers', 'IncomingPhoneNumbers'],
  ['notifications', 'Notifications'],
  ['outgoing_caller_ids', 'OutgoingCallerIds'],
  ['recordings', 'Recordings'],
  ['transcriptions', 'Transcriptions'],
  ['addresses', 'Addresses'],
  ['signing_keys', 'SigningKeys'],
  ['connect_apps', 'ConnectApps'],
  ['sip', 'SIP'],
  ['authorized_connect_apps', 'AuthorizedConnectApps'],
  ['usage', 'Usage'],
  ['keys', 'Keys'],
  ['applications', 'Applications'],
  ['short_codes', 'SMS/ShortCodes'],
  ['queues', 'Queues'],
  ['messages', 'Messages'],
  ['balance', 'Balance'],
];

export const accountPath = (sid: string): string => `/2010-04-01/Accounts/${sid}.json`;

const subresourceUris = (sid: string): Record<string, string> =>
  Object.fromEntries(SUBRESOURCES.map(([key, name]) => [key, `/2010-04-01/Accounts/${sid}/${name}.json`]));

export const toAccountJson = (account: AccountRecord): AccountJson => ({
  auth_token: account.authToken,
  date_created: toRfc2822(account.dateCreated),
  date_updated: toRfc2822(account.dateUpdated),
  friendly_name: account.friendlyName,
  owner_account_sid: account.ownerAccountSid,
  sid: account.sid,
  status: account.status,
  subresource_uris: subresourceUris(account.sid),
  type: account.type,
  uri: accountPath(account.sid),
});
