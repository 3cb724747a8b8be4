/**
 * In-memory accounts of one main account and its subaccounts, with the rules of the Accounts
 * resource: subaccount limit, closed is irreversible, the main account cannot change status, and
 * the standing of accounts that Twilio itself suspended. Their API keys are in `keys`.
 * https://www.twilio.com/docs/iam/api/subaccounts
 */
import type { AccountStatus, AccountType } from '../../shared/twilio/types.ts';
import type { AccountRecord } from './account-json.ts';
import {
  invalidAccountsRequest,
  parentAccountSuspended,
  subaccountClosed,
  subaccountLimitReached,
  subaccountSuspendedByTwilio,
  TwilioEmulatorConfigError,
} from './errors.ts';
import { defaultFriendlyName, newAccountSid, newAuthToken } from './format.ts';
import { KeyStore } from './key-store.ts';
import { checkSubaccountLimit } from './options.ts';

export interface StoreOptions {
  readonly accountSid: string;
  readonly authToken: string;
  readonly type: AccountType;
  readonly subaccountLimit: number;
  readonly mainAccountSuspended: boolean;
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
  readonly keys: KeyStore;
  private readonly bySid = new Map<string, AccountRecord>();
  private readonly ordered: AccountRecord[] = [];
  private readonly tokens: string[] = [];
  /** Subaccounts Twilio itself suspended, with the status each had before. */
  private readonly suspendedByTwilio = new Map<AccountRecord, AccountStatus>();
  private nextSeq = 0;
  private subaccountLimit: number;

  constructor(private readonly options: StoreOptions) {
    this.keys = new KeyStore(options.now);
    this.main = this.insert(options.accountSid, options.authToken, MAIN_FRIENDLY_NAME, options.accountSid);
    this.subaccountLimit = options.subaccountLimit;
    if (options.mainAccountSuspended) this.setMainSuspended(true);
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

  rotateMainToken(): string {
    this.main.authToken = this.freshToken();
    this.main.dateUpdated = this.options.now();
    return this.main.authToken;
  }

  setSubaccountLimit(limit: number): void {
    this.subaccountLimit = checkSubaccountLimit(limit);
  }

  /** Closed subaccounts don't count against the limit (errors.md, 21480). */
  createSubaccount(friendlyName: string | undefined): AccountRecord {
    const open = this.ordered.filter((a) => a !== this.main && a.status !== 'closed').length;
    if (open >= this.subaccountLimit) throw subaccountLimitReached();
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

  /**
   * Whether the account may make requests: it is active and so is its main account. A suspended
   * account's credentials still verify, but Twilio refuses its requests (errors.md, 10001).
   */
  inGoodStanding(account: AccountRecord): boolean {
    return account.status === 'active' && this.main.status === 'active';
  }

  setMainSuspended(suspended: boolean): void {
    this.main.status = suspended ? 'suspended' : 'active';
    this.main.dateUpdated = this.options.now();
  }

  /** Twilio's own suspension: the status becomes `suspended`; lifting it restores the one before. */
  setSuspendedByTwilio(account: AccountRecord, suspended: boolean): void {
    if (account === this.main || account.status === 'closed') {
      throw new TwilioEmulatorConfigError('sid', 'must be a subaccount that is not closed');
    }
    const before = this.suspendedByTwilio.get(account);
    if (suspended && before === undefined) {
      this.suspendedByTwilio.set(account, account.status);
      account.status = 'suspended';
    } else if (!suspended && before !== undefined) {
      this.suspendedByTwilio.delete(account);
      account.status = before;
    } else {
      return;
    }
    account.dateUpdated = this.options.now();
  }

  /**
   * Setting the status an account already has is not a change and is always allowed (closing a
   * closed account answers it as it is). Otherwise the main account's own status is not the API's
   * to change; then the account-wide block (a suspended main account) comes before the target's
   * own state: closed, or suspended by Twilio.
   */
  private checkStatusChange(account: AccountRecord, status: AccountStatus): void {
    if (status === account.status) return;
    if (account === this.main) {
      throw invalidAccountsRequest("The main account's Status cannot be changed through the API");
    }
    if (this.main.status !== 'active') throw parentAccountSuspended();
    if (account.status === 'closed') throw subaccountClosed();
    if (this.suspendedByTwilio.has(account)) throw subaccountSuspendedByTwilio();
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
