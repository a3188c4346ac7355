/**
 * Index picked at random in proportion to `weights`, from one draw of `random` in [0, 1).
 * Non-positive weights are never picked unless every weight is, then the pick is uniform.
 */
export function pickWeightedIndex(weights: readonly number[], random: () => number): number {
  if (weights.length === 0) throw new RangeError("pickWeightedIndex needs at least one weight");
  const positive = weights.map((weight) => (Number.isFinite(weight) && weight > 0 ? weight : 0));
  const total = positive.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) return Math.min(weights.length - 1, Math.floor(random() * weights.length));
  let remaining = random() * total;
  for (let index = 0; index < positive.length; index++) {
    if (positive[index] === 0) continue;
    remaining -= positive[index];
    if (remaining < 0) return index;
  }
  // random() returned a value so close to 1 that rounding left a remainder: the last positive weight.
  return positive.findLastIndex((weight) => weight > 0);
}
