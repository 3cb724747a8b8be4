/**
 * In-memory accounts of one main account and its subaccounts, with the rules of the Accounts
 * resource: subaccount limit, closed is irreversible, the main account cannot change status.
 * https://www.twilio.com/docs/iam/api/subaccounts
 */
import type { AccountStatus, AccountType } from '../../shared/twilio/types.ts';
import type { AccountRecord } from './account-json.ts';
import { invalidAccountsRequest } from './errors.ts';
import { defaultFriendlyName, newAccountSid, newApiKeySid, newAuthToken } from './format.ts';
import type { TwilioApiKey } from './types.ts';

export interface StoreOptions {
  readonly accountSid: string;
  readonly authToken: string;
  readonly type: AccountType;
  readonly subaccountLimit: number;
  readonly now: () => Date;
}

export interface AccountChanges {
  readonly friendlyName?: string;
  readonly status?: AccountStatus;
}

/** What a new Twilio account is called until someone renames it. */
const MAIN_FRIENDLY_NAME = 'My first Twilio account';

export class AccountStore {
  readonly main: AccountRecord;
  private readonly bySid = new Map<string, AccountRecord>();
  private readonly ordered: AccountRecord[] = [];
  private readonly tokens: string[] = [];
  private readonly apiKeys = new Map<string, string>();
  private nextSeq = 0;

  constructor(private readonly options: StoreOptions) {
    this.main = this.insert(options.accountSid, options.authToken, MAIN_FRIENDLY_NAME, options.accountSid);
  }

  get(sid: string): AccountRecord | undefined {
    return this.bySid.get(sid);
  }

  /** Every account, main first, in creation order. */
  all(): readonly AccountRecord[] {
    return this.ordered;
  }

  issuedTokens(): string[] {
    return [...this.tokens];
  }

  apiKeySecrets(): string[] {
    return [...this.apiKeys.values()];
  }

  apiKeySecret(sid: string): string | undefined {
    return this.apiKeys.get(sid);
  }

  createApiKey(): TwilioApiKey {
    const key = { sid: newApiKeySid(), secret: newAuthToken() };
    this.apiKeys.set(key.sid, key.secret);
    return key;
  }

  rotateMainToken(): string {
    this.main.authToken = this.freshToken();
    this.main.dateUpdated = this.options.now();
    return this.main.authToken;
  }

  createSubaccount(friendlyName: string | undefined): AccountRecord {
    const open = this.ordered.filter((a) => a !== this.main && a.status !== 'closed').length;
    if (open >= this.options.subaccountLimit) {
      throw invalidAccountsRequest(
        `Subaccount limit reached: ${this.options.subaccountLimit} open subaccounts allowed; close one first`,
      );
    }
    const name = friendlyName ?? defaultFriendlyName(this.options.now());
    return this.insert(this.freshSid(), this.freshToken(), name, this.main.sid);
  }

  /** Validates the whole change first, so a refused update leaves the account untouched. */
  update(account: AccountRecord, changes: AccountChanges): AccountRecord {
    if (changes.status !== undefined) this.checkStatusChange(account, changes.status);
    if (changes.friendlyName !== undefined) account.friendlyName = changes.friendlyName;
    if (changes.status !== undefined) account.status = changes.status;
    account.dateUpdated = this.options.now();
    return account;
  }

  private checkStatusChange(account: AccountRecord, status: AccountStatus): void {
    if (account === this.main && status !== account.status) {
      throw invalidAccountsRequest("The main account's Status cannot be changed through the API");
    }
    if (account.status === 'closed' && status !== 'closed') {
      throw invalidAccountsRequest(`Account ${account.sid} is closed; a closed account cannot be reopened`);
    }
  }

  private insert(sid: string, token: string, friendlyName: string, owner: string): AccountRecord {
    const now = this.options.now();
    const account: AccountRecord = {
      seq: this.nextSeq++,
      sid,
      authToken: token,
      friendlyName,
      ownerAccountSid: owner,
      status: 'active',
      type: this.options.type,
      dateCreated: now,
      dateUpdated: now,
    };
    this.bySid.set(sid, account);
    this.ordered.push(account);
    if (!this.tokens.includes(token)) this.tokens.push(token);
    return account;
  }

  private freshSid(): string {
    let sid = newAccountSid();
    while (this.bySid.has(sid)) sid = newAccountSid();
    return sid;
  }

  private freshToken(): string {
    const token = newAuthToken();
    this.tokens.push(token);
    return token;
  }
}
