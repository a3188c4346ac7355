import { describe, expect, test } from "bun:test";
import { parseDuration } from "../../src/config/parse-duration.ts";
import { parseSize } from "../../src/config/parse-size.ts";

describe("parseDuration", () => {
  test.each([
    ["250ms", 250],
    ["30s", 30_000],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1.5s", 1500],
    [" 10s ", 10_000],
    ["0", 0],
    ["120", 120_000],
    [45, 45_000],
    [0.5, 500],
  ] as const)("%p is %p ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  test.each(["", "s", "10x", "-1s", "1w", "10 seconds", "1e3"])("%p is not a duration", (input) => {
    expect(parseDuration(input)).toBeNull();
  });

  test("a negative number is not a duration", () => {
    expect(parseDuration(-1)).toBeNull();
  });
});

describe("parseSize", () => {
  test.each([
    ["10MiB", 10 * 1024 * 1024],
    ["512KB", 512_000],
    ["512KiB", 512 * 1024],
    ["1GiB", 1024 ** 3],
    ["1GB", 1_000_000_000],
    ["2mb", 2_000_000],
    ["100B", 100],
    ["1.5MiB", 1.5 * 1024 * 1024],
    ["4096", 4096],
    [4096, 4096],
  ] as const)("%p is %p bytes", (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  test.each(["", "MiB", "10TiB", "10 megabytes", "-1KB"])("%p is not a size", (input) => {
    expect(parseSize(input)).toBeNull();
  });

  test("a fractional byte count is not a size", () => {
    expect(parseSize(1.5)).toBeNull();
  });
});

test("days: `7d` is a week (responses.retention)", () => {
  expect(parseDuration("7d")).toBe(7 * 86_400_000);
  expect(parseDuration("1.5d")).toBe(129_600_000);
});
