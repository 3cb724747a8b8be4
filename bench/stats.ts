/** Small statistics helpers for the benchmark's repeated measurements. */

export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Rounded for the report: figures below that precision are noise on a shared machine. */
export const round = (value: number, digits = 1): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export const ratio = (numerator: number, denominator: number): number => round(numerator / denominator, 3);

export const mib = (bytes: number): number => round(bytes / 1024 / 1024, 1);
