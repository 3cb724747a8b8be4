/**
 * Keeps a long backfill at or under a given rate (messages per second) so it does not starve the
 * live traffic the function is also processing: each batch waits for its share of time.
 */
import { CliInputError } from '../errors.ts';

export interface Pacer {
  /** Resolves when `count` more messages may be sent. */
  take(count: number): Promise<void>;
}

export const createPacer = (
  perSecond: number,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> },
): Pacer => {
  let nextAt = clock.now();
  return {
    take: async (count) => {
      const wait = nextAt - clock.now();
      if (wait > 0) await clock.sleep(wait);
      nextAt = Math.max(nextAt, clock.now()) + (count * 1000) / perSecond;
    },
  };
};

const MAX_RATE = 3_000;

/** `50` or `50/s`, 0 < rate <= 3000 (SQS FIFO's batched throughput per queue without high throughput). */
export const parseRate = (text: string): number => {
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(text.trim());
  const rate = match ? Number(match[1]) : Number.NaN;
  if (!(rate > 0 && rate <= MAX_RATE)) {
    throw new CliInputError(
      `--rate "${text}" must be a number of messages per second, like 50 or 50/s (max ${MAX_RATE})`,
    );
  }
  return rate;
};
