import { expect, test } from "bun:test";
import { backoffDelayMs, sleep } from "../../src/routing/backoff.ts";
import { pickWeightedIndex } from "../../src/routing/pick-weighted.ts";

test("weighted pick follows the cumulative weights", () => {
  const weights = [3, 0, 1];
  expect(pickWeightedIndex(weights, () => 0)).toBe(0);
  expect(pickWeightedIndex(weights, () => 0.74)).toBe(0);
  expect(pickWeightedIndex(weights, () => 0.75)).toBe(2);
  expect(pickWeightedIndex(weights, () => 0.9999999999)).toBe(2);
});

test("all-zero weights pick uniformly", () => {
  expect(pickWeightedIndex([0, 0], () => 0.2)).toBe(0);
  expect(pickWeightedIndex([0, 0], () => 0.7)).toBe(1);
});

test("full-jitter backoff stays under min(cap, base·2^step)", () => {
  expect(backoffDelayMs(0, 250, 10_000, () => 0.5)).toBe(125);
  expect(backoffDelayMs(3, 250, 10_000, () => 0.5)).toBe(1000);
  expect(backoffDelayMs(10, 250, 10_000, () => 0.5)).toBe(5000);
  expect(backoffDelayMs(2, 250, 10_000, () => 0)).toBe(0);
});

test("sleep rejects as soon as its signal aborts", async () => {
  const controller = new AbortController();
  const started = performance.now();
  setTimeout(() => controller.abort(new Error("gone")), 10);
  await expect(sleep(60_000, controller.signal)).rejects.toThrow("gone");
  expect(performance.now() - started).toBeLessThan(1000);
});
