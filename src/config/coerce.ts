import type { ConfigPath } from "./config-path.ts";
import { parseDuration } from "./parse-duration.ts";
import { parseSize } from "./parse-size.ts";
import type { ProblemList } from "./problem-list.ts";

// The schema already accepted these values; numeric and boolean strings come from `${VAR}`s.

export function toNumber(value: number | string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number(value);
}

export function toFlag(value: boolean | string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return typeof value === "boolean" ? value : value.trim() === "true";
}

export function toDurationMs(
  value: number | string | undefined,
  fallback: number,
  problems: ProblemList,
  path: ConfigPath,
): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === null) {
    problems.add(
      path,
      `expected a duration such as 250ms, 30s, 2m or 1h, got ${problems.describe(path, value)}`,
    );
    return fallback;
  }
  return ms;
}

export function toBytes(
  value: number | string | undefined,
  fallback: number,
  problems: ProblemList,
  path: ConfigPath,
): number {
  if (value === undefined) return fallback;
  const bytes = parseSize(value);
  if (bytes === null) {
    problems.add(path, `expected a size such as 512KB, 10MiB or 1GiB, got ${problems.describe(path, value)}`);
    return fallback;
  }
  return bytes;
}

/** A whole number within bounds; numeric strings from `${VAR}`s are checked here, not by the schema. */
export function toWholeNumber(
  value: number | string | undefined,
  fallback: number,
  bounds: { min: number; max?: number },
  problems: ProblemList,
  path: ConfigPath,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(n) || n < bounds.min || n > max) {
    const range = bounds.max === undefined ? `>= ${bounds.min}` : `from ${bounds.min} to ${bounds.max}`;
    problems.add(path, `expected a whole number ${range}, got ${problems.describe(path, value)}`);
    return fallback;
  }
  return n;
}
