/**
 * The concurrency-limit fault: Twilio limits how many requests each account may have in flight at
 * once, and answers one more with 429 / 20429 and a `Retry-After`; such a request was never
 * processed and is always safe to retry (errors.md, 20429). Requests are counted per
 * authenticating account: an API key counts for its account, a subaccount's credentials for the
 * subaccount. Requests whose credentials do not verify are not counted (they are answered 401).
 */
import { checkConcurrencyLimit } from './options.ts';

export interface InFlightSlot {
  /** Ends the request's time in flight; safe to call more than once. */
  release(): void;
}

const NO_SLOT: InFlightSlot = { release: () => {} };

export class ConcurrencyLimiter {
  private limit: number | undefined;
  private readonly inFlight = new Map<string, number>();

  constructor(limit: number | undefined) {
    this.limit = checkConcurrencyLimit(limit);
  }

  /** Takes effect for the next request; requests already in flight are left to finish. */
  set(limit: number | undefined): void {
    this.limit = checkConcurrencyLimit(limit);
  }

  /** A slot for one more request of `accountSid`, or `undefined` when it is at its limit. */
  acquire(accountSid: string | undefined): InFlightSlot | undefined {
    if (accountSid === undefined) return NO_SLOT;
    const current = this.inFlight.get(accountSid) ?? 0;
    if (this.limit !== undefined && current >= this.limit) return undefined;
    this.inFlight.set(accountSid, current + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(accountSid) ?? 1) - 1;
        if (left > 0) this.inFlight.set(accountSid, left);
        else this.inFlight.delete(accountSid);
      },
    };
  }
}
