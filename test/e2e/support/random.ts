/**
 * Seeded randomness, so a failing run can be replayed exactly with the same E2E_SEED.
 * mulberry32: small, fast and good enough for test workloads (not for anything secret).
 */
import { type Random, seededRandom } from '../../helpers/seeded-random.ts';

export type { Random };
export const mulberry32 = seededRandom;

/**
 * An independent stream per consumer (workload, Twilio faults, Secrets Manager faults): adding
 * a draw to one must not shift the others, or a seed would stop reproducing the same faults.
 */
export const streamOf = (seed: number, name: string): Random => {
  let hash = 2_166_136_261 ^ seed;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 16_777_619);
  return mulberry32(hash);
};

export interface Dice {
  readonly random: Random;
  chance(probability: number): boolean;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export const diceOf = (random: Random): Dice => ({
  random,
  chance: (probability) => random() < probability,
  int: (min, max) => min + Math.floor(random() * (max - min + 1)),
  pick: (items) => {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(random() * items.length)]!;
  },
});
