/** Small statistics helpers for samples and repeated runs. */

/** The q-quantile (0..1) of values by nearest rank; NaN for no values. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** max/min of the repeats; 1 for a single run. Used to flag an unreliable cell. */
export function spread(values: number[]): number {
  const finite = values.filter((value) => Number.isFinite(value) && value > 0);
  if (finite.length < 2) return 1;
  return Math.max(...finite) / Math.min(...finite);
}
