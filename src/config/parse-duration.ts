/** A duration as written in config: `250ms`, `30s`, `2m`, `1h`, `7d`, `1.5s`, or a plain number of seconds. */
export const DURATION_PATTERN = "^\\s*[0-9]+(\\.[0-9]+)?\\s*(ms|s|m|h|d)?\\s*$";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds for a config duration, or null when it is not one. A plain number means seconds
 * (as in systemd and nginx), so `timeout: 120` is two minutes, never 120 ms.
 */
export function parseDuration(value: string | number): number | null {
  if (typeof value === "number")
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return null;
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? "s"]);
}
