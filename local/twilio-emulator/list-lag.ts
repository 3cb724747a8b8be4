/**
 * The "list lag" fault: a new account stays out of FriendlyName-filtered lists for a while, as an
 * eventually consistent index would leave it. Twilio documents no consistency guarantee for the
 * list (https://www.twilio.com/docs/iam/api/account#read-multiple-account-resources), so a caller
 * that looks a create up by FriendlyName must cope with not finding it yet. Fetch by SID and
 * lists without a FriendlyName filter are unaffected.
 */
import type { AccountRecord } from './account-json.ts';
import { checkListLag } from './options.ts';
import type { TwilioListLag } from './types.ts';

/** Until when (emulator clock), or for how many more lookups, an account stays hidden. */
type Hold = { readonly untilMs: number } | { remaining: number };

export interface LaggedLookup {
  readonly shown: AccountRecord[];
  /** How many of the matching accounts this lookup did not show. */
  readonly hidden: number;
}

export class ListLag {
  private lag: TwilioListLag | undefined;
  private readonly holds = new Map<AccountRecord, Hold>();

  constructor(
    lag: TwilioListLag | undefined,
    private readonly now: () => Date,
  ) {
    this.lag = checkListLag(lag);
  }

  /** Applies to accounts created from now on; accounts already held keep their own lag. */
  set(lag: TwilioListLag | undefined): void {
    this.lag = checkListLag(lag);
  }

  /** Starts the lag in force for an account just created. */
  track(account: AccountRecord): void {
    const lag = this.lag;
    if (lag === undefined) return;
    if ('seconds' in lag) {
      if (lag.seconds > 0) this.holds.set(account, { untilMs: this.now().getTime() + lag.seconds * 1000 });
    } else if (lag.lookups > 0) {
      this.holds.set(account, { remaining: lag.lookups });
    }
  }

  /**
   * What one FriendlyName lookup shows of `matching` (the accounts its filters match). Every such
   * list request that hides an account counts as one of that account's lookups.
   */
  lookup(matching: readonly AccountRecord[]): LaggedLookup {
    const shown = matching.filter((account) => !this.hides(account));
    return { shown, hidden: matching.length - shown.length };
  }

  private hides(account: AccountRecord): boolean {
    const hold = this.holds.get(account);
    if (hold === undefined) return false;
    if ('untilMs' in hold) {
      if (this.now().getTime() < hold.untilMs) return true;
    } else if (hold.remaining > 0) {
      hold.remaining -= 1;
      return true;
    }
    this.holds.delete(account);
    return false;
  }
}
