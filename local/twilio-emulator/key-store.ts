/**
 * In-memory API keys of every account, and their wire format. A key belongs to one account and
 * authenticates as that account only; its secret is answered once, by the create.
 * https://www.twilio.com/docs/iam/api/key
 */
import { newApiKeySid, newKeySecret, toRfc2822 } from './format.ts';
import type { KeyJson, NewKeyJson, TwilioKeyInfo, TwilioKeyType } from './types.ts';

export interface KeyRecord {
  /** Creation order: the stable sort key of the list. */
  readonly seq: number;
  readonly sid: string;
  /** Never rendered except in the create answer. */
  readonly secret: string;
  readonly accountSid: string;
  readonly type: TwilioKeyType;
  friendlyName: string | null;
  readonly dateCreated: Date;
  dateUpdated: Date;
  /** A deleted key no longer authenticates and is not listed, but still anchors a PageToken. */
  deleted: boolean;
}

export const keysPath = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}/Keys.json`;

export const keyPath = (accountSid: string, sid: string): string =>
  `/2010-04-01/Accounts/${accountSid}/Keys/${sid}.json`;

export const toKeyJson = (key: KeyRecord): KeyJson => ({
  sid: key.sid,
  friendly_name: key.friendlyName,
  date_created: toRfc2822(key.dateCreated),
  date_updated: toRfc2822(key.dateUpdated),
});

export const toNewKeyJson = (key: KeyRecord): NewKeyJson => ({ ...toKeyJson(key), secret: key.secret });

export const toKeyInfo = (key: KeyRecord): TwilioKeyInfo => ({
  ...toKeyJson(key),
  account_sid: key.accountSid,
  type: key.type,
});

export class KeyStore {
  private readonly bySid = new Map<string, KeyRecord>();
  private readonly ordered: KeyRecord[] = [];
  /** Every secret ever issued, deleted keys' included, so tests can scan for leaks. */
  private readonly secrets: string[] = [];
  private nextSeq = 0;

  constructor(private readonly now: () => Date) {}

  create(accountSid: string, type: TwilioKeyType, friendlyName: string | null): KeyRecord {
    let sid = newApiKeySid();
    while (this.bySid.has(sid)) sid = newApiKeySid();
    const now = this.now();
    const key: KeyRecord = {
      seq: this.nextSeq++,
      sid,
      secret: newKeySecret(),
      accountSid,
      type,
      friendlyName,
      dateCreated: now,
      dateUpdated: now,
      deleted: false,
    };
    this.bySid.set(sid, key);
    this.ordered.push(key);
    this.secrets.push(key.secret);
    return key;
  }

  /** A live key by SID. */
  get(sid: string): KeyRecord | undefined {
    const key = this.bySid.get(sid);
    return key === undefined || key.deleted ? undefined : key;
  }

  /** A key of `accountSid` by SID, live or deleted: where a PageToken points. */
  anchor(accountSid: string, sid: string): KeyRecord | undefined {
    const key = this.bySid.get(sid);
    return key?.accountSid === accountSid ? key : undefined;
  }

  /** Live keys, of one account or of all, in creation order. */
  live(accountSid?: string): KeyRecord[] {
    return this.ordered.filter(
      (k) => !k.deleted && (accountSid === undefined || k.accountSid === accountSid),
    );
  }

  rename(key: KeyRecord, friendlyName: string | undefined): KeyRecord {
    if (friendlyName !== undefined) key.friendlyName = friendlyName;
    key.dateUpdated = this.now();
    return key;
  }

  delete(key: KeyRecord): void {
    key.deleted = true;
  }

  issuedSecrets(): string[] {
    return [...this.secrets];
  }
}
