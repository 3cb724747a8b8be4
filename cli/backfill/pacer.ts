/**
 * Keeps a long backfill at or under a rate (messages per second) so it does not starve the live
 * traffic the function is also processing: each chunk waits for its share of time.
 *
 * The rate adapts (additive increase, multiplicative decrease, as TCP does): a throttled send
 * halves it, and every quiet interval after that gives back a tenth of the ceiling, until the
 * ceiling is reached again. The ceiling is `--rate`, and can be changed while running (a rate
 * file, SIGUSR1/SIGUSR2: control.ts); 0 pauses.
 */
import { CliInputError } from '../errors.ts';

export interface Clock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface Pacer {
  /** Resolves when `count` more messages may be sent. */
  take(count: number): Promise<void>;
}

export interface AdaptivePacer extends Pacer {
  /** The rate now, messages per second (0: paused). */
  readonly rate: number;
  /** What the rate climbs back to: `--rate`, or what it was changed to since. */
  readonly ceiling: number;
  /** Sets the ceiling and the rate (the operator's word beats what throttling taught it). */
  setCeiling(perSecond: number): void;
  /** SQS answered a send with throttling: halves the rate (not below the floor). */
  throttled(): void;
}

export interface AdaptiveSettings {
  /** Never throttled below this, messages per second. */
  readonly floor: number;
  /** How long without throttling before each step back up. */
  readonly recoverAfterMs: number;
  /** Each step back up adds this fraction of the ceiling. */
  readonly stepFraction: number;
}

export const DEFAULT_ADAPTIVE: AdaptiveSettings = { floor: 1, recoverAfterMs: 5_000, stepFraction: 0.1 };

/** While paused (rate 0), how long a `take` waits before its caller looks again. */
export const PAUSED_POLL_MS = 1_000;

export const createPacer = (perSecond: number, clock: Clock): Pacer => createAdaptivePacer(perSecond, clock);

export const createAdaptivePacer = (
  initialCeiling: number,
  clock: Clock,
  settings: AdaptiveSettings = DEFAULT_ADAPTIVE,
): AdaptivePacer => {
  let ceiling = initialCeiling;
  let rate = initialCeiling;
  let nextAt = clock.now();
  /** When the rate last went down, or last stepped back up. */
  let changedAt = clock.now();

  const recover = (now: number) => {
    if (rate >= ceiling || rate === 0) return;
    const steps = Math.floor((now - changedAt) / settings.recoverAfterMs);
    if (steps <= 0) return;
    rate = Math.min(ceiling, rate + steps * ceiling * settings.stepFraction);
    changedAt += steps * settings.recoverAfterMs;
  };

  return {
    get rate() {
      return rate;
    },
    get ceiling() {
      return ceiling;
    },
    setCeiling: (perSecond) => {
      ceiling = perSecond;
      rate = perSecond;
      changedAt = clock.now();
      // A wait computed at the old rate does not hold the new one back.
      nextAt = Math.min(nextAt, clock.now());
    },
    throttled: () => {
      if (rate === 0) return;
      rate = Math.max(Math.min(settings.floor, ceiling), rate / 2);
      changedAt = clock.now();
    },
    take: async (count) => {
      recover(clock.now());
      // Paused: the caller looks at `rate` before sending; this only keeps a stray call from spinning.
      if (rate === 0) {
        await clock.sleep(PAUSED_POLL_MS);
        return;
      }
      const wait = nextAt - clock.now();
      if (wait > 0) await clock.sleep(wait);
      nextAt = Math.max(nextAt, clock.now()) + (count * 1000) / rate;
    },
  };
};

/** SQS FIFO's batched throughput per queue without high-throughput mode: 300 batches of 10 a second. */
export const MAX_RATE = 3_000;

const RATE_PATTERN = /^(\d+(?:\.\d+)?)(?:\/s)?$/;

/** A rate as typed (`50` or `50/s`), or undefined when it is not one; 0 allowed (pause). */
export const readRate = (text: string): number | undefined => {
  const match = RATE_PATTERN.exec(text.trim());
  const rate = match ? Number(match[1]) : Number.NaN;
  return rate >= 0 && rate <= MAX_RATE ? rate : undefined;
};

/** `--rate`: `50` or `50/s`, 0 < rate <= 3000. */
export const parseRate = (text: string): number => {
  const rate = readRate(text);
  if (rate === undefined || rate === 0) {
    throw new CliInputError(
      `--rate "${text}" must be a number of messages per second, like 50 or 50/s (max ${MAX_RATE})`,
    );
  }
  return rate;
};

/** How a rate reads in progress lines: whole numbers as such, small rates with one decimal. */
export const formatRate = (perSecond: number): string =>
  perSecond >= 10 || Number.isInteger(perSecond) ? `${Math.round(perSecond)}/s` : `${perSecond.toFixed(1)}/s`;
