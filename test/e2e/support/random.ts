/**
 * Seeded randomness, so a failing run can be replayed exactly with the same E2E_SEED.
 * mulberry32: small, fast and good enough for test workloads (not for anything secret).
 */
export type Random = () => number;

export const mulberry32 = (seed: number): Random => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

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
