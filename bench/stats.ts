/** Percentile by linear interpolation between closest ranks (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export type Summary = { p50: number; p99: number; mean: number; min: number; max: number; n: number };

export function summarize(values: readonly number[], digits = 2): Summary {
  const r = (v: number) => Math.round(v * 10 ** digits) / 10 ** digits;
  return {
    p50: r(percentile(values, 50)),
    p99: r(percentile(values, 99)),
    mean: r(mean(values)),
    min: r(Math.min(...values)),
    max: r(Math.max(...values)),
    n: values.length,
  };
}
