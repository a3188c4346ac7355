import { describe, expect, test } from "bun:test";
import { checkBucket, drainBucket, formatResetDuration, toRateLimitHeaders } from "../../src/limits/gcra.ts";

describe("bucket arithmetic", () => {
  test("a full minute drains a full bucket; half a minute half of it", () => {
    expect(drainBucket({ level: 60, at: 0 }, 60, 60_000)).toBe(0);
    expect(drainBucket({ level: 60, at: 0 }, 60, 30_000)).toBe(30);
    expect(drainBucket({ level: 10, at: 1000 }, 60, 500)).toBe(10); // clock going back: no drain
  });

  test("admits up to the limit, then says how long until the next fits", () => {
    const ok = checkBucket(59, 60, 1);
    expect(ok).toEqual({ allowed: true, level: 60, remaining: 0, resetMs: 60_000, retryAfterMs: 0 });
    const no = checkBucket(60, 60, 1);
    expect(no).toEqual({ allowed: false, level: 60, remaining: 0, resetMs: 60_000, retryAfterMs: 1000 });
  });

  test("a cost above the limit is capped: admitted only into an empty bucket", () => {
    expect(checkBucket(0, 1000, 5000).allowed).toBe(true);
    expect(checkBucket(0, 1000, 5000).level).toBe(1000);
    expect(checkBucket(1, 1000, 5000).allowed).toBe(false);
  });

  test("reset durations in OpenAI's format", () => {
    expect(formatResetDuration(17)).toBe("17ms");
    expect(formatResetDuration(1000)).toBe("1s");
    expect(formatResetDuration(8640)).toBe("8.64s");
    expect(formatResetDuration(360_000)).toBe("6m0s");
    expect(formatResetDuration(90_500)).toBe("1m30.5s");
  });

  test("headers only for the limits a key has", () => {
    expect(toRateLimitHeaders({ rpm: { limit: 10, remaining: 9, resetMs: 6000 } })).toEqual({
      "x-ratelimit-limit-requests": "10",
      "x-ratelimit-remaining-requests": "9",
      "x-ratelimit-reset-requests": "6s",
    });
  });
});
