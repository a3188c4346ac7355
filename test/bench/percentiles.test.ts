import { describe, expect, test } from "bun:test";
import { median, quantile, spread } from "../../bench/lib/percentiles.ts";

describe("percentiles", () => {
  test("quantile uses nearest rank", () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(quantile(values, 0.5)).toBe(5);
    expect(quantile(values, 0.9)).toBe(9);
    expect(quantile(values, 0.99)).toBe(10);
    expect(quantile([], 0.5)).toBeNaN();
  });

  test("median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test("spread is max/min of positive finite values, 1 for one run", () => {
    expect(spread([100, 130, 110])).toBeCloseTo(1.3);
    expect(spread([42])).toBe(1);
    expect(spread([0, 10, 20])).toBe(2);
  });
});
