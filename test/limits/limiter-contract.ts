import { expect, test } from "bun:test";
import type { GatewayKey } from "../../src/config/types.ts";
import type { LimitDecision, RateLimiter } from "../../src/limits/rate-limiter.ts";

let counter = 0;
/** A key with a fresh name, so tests never share state (matters for Redis). */
export function makeKey(limits: Partial<GatewayKey>): GatewayKey {
  return {
    name: `key-${process.pid}-${Date.now()}-${counter++}`,
    sha256: "00",
    passthrough: false,
    ...limits,
  };
}

export function allowedCount(decisions: LimitDecision[]): number {
  return decisions.filter((d) => d.allowed).length;
}

/** Behaviour every RateLimiter must have; run against memory and Redis. */
export function describeLimiterContract(getLimiter: () => RateLimiter): void {
  test("N parallel acquires against rpm=N/2 admit exactly N/2", async () => {
    const key = makeKey({ rpm: 50 });
    const decisions = await Promise.all(Array.from({ length: 100 }, () => getLimiter().acquire(key, 0)));
    expect(allowedCount(decisions)).toBe(50);
    const refused = decisions.find((d) => !d.allowed);
    if (refused?.allowed !== false) throw new Error("expected a refusal");
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(2); // one request drains in 60/50 s
    expect(refused.headers["retry-after"]).toBe(String(refused.retryAfterSeconds));
    expect(refused.headers["x-ratelimit-limit-requests"]).toBe("50");
    expect(refused.headers["x-ratelimit-remaining-requests"]).toBe("0");
    expect(refused.message).toContain(key.name);
    expect(refused.message).toContain("50 requests per minute");
  });

  test("allowed decisions carry the x-ratelimit headers, remaining counting down", async () => {
    const key = makeKey({ rpm: 10, tpm: 1000 });
    const first = await getLimiter().acquire(key, 100);
    const second = await getLimiter().acquire(key, 100);
    expect(first.headers).toMatchObject({
      "x-ratelimit-limit-requests": "10",
      "x-ratelimit-remaining-requests": "9",
      "x-ratelimit-limit-tokens": "1000",
      "x-ratelimit-remaining-tokens": "900",
    });
    expect(first.headers["x-ratelimit-reset-requests"]).toMatch(/^(\d+ms|[\d.]+s)$/);
    expect(second.headers["x-ratelimit-remaining-requests"]).toBe("8");
    expect(second.headers["x-ratelimit-remaining-tokens"]).toBe("800");
    expect(first.headers["retry-after"]).toBeUndefined();
  });

  test("tpm: estimates are checked up front, actual usage charged on release", async () => {
    const key = makeKey({ tpm: 1000 });
    const a = await getLimiter().acquire(key, 600);
    expect(a.allowed).toBe(true);
    const b = await getLimiter().acquire(key, 600);
    expect(b.allowed).toBe(false);
    if (b.allowed) throw new Error("unreachable");
    expect(b.message).toContain("1000 tokens per minute");
    // The request really used 100 tokens: 500 come back.
    if (a.allowed) a.release(100);
    await Bun.sleep(50); // Redis release is fire-and-forget
    const c = await getLimiter().acquire(key, 850);
    expect(c.allowed).toBe(true);
    // …and usage above the estimate is charged too.
    if (c.allowed) c.release(2000);
    await Bun.sleep(50);
    const d = await getLimiter().acquire(key, 1);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.retryAfterSeconds).toBeGreaterThan(60); // 1950+ tokens over a 1000/min drain
  });

  test("maxConcurrent: slots are taken and given back by release()", async () => {
    const key = makeKey({ maxConcurrent: 2 });
    const decisions = await Promise.all(Array.from({ length: 5 }, () => getLimiter().acquire(key, 0)));
    expect(allowedCount(decisions)).toBe(2);
    const refused = decisions.find((d) => !d.allowed);
    if (refused && !refused.allowed) expect(refused.message).toContain("2 concurrent requests");
    for (const d of decisions) if (d.allowed) d.release(0);
    await Bun.sleep(50);
    const again = await getLimiter().acquire(key, 0);
    expect(again.allowed).toBe(true);
    if (again.allowed) {
      again.release(0);
      again.release(0); // a second release must not free a slot it doesn't hold
    }
    await Bun.sleep(50);
    const more = await Promise.all(Array.from({ length: 3 }, () => getLimiter().acquire(key, 0)));
    expect(allowedCount(more)).toBe(2);
  });

  test("keys without limits are always allowed, with no headers", async () => {
    const key = makeKey({});
    const decisions = await Promise.all(Array.from({ length: 1000 }, () => getLimiter().acquire(key, 1e9)));
    expect(allowedCount(decisions)).toBe(1000);
    expect(decisions[0]!.headers).toEqual({});
  });

  test("limits are per key", async () => {
    const a = makeKey({ rpm: 1 });
    const b = makeKey({ rpm: 1 });
    expect((await getLimiter().acquire(a, 0)).allowed).toBe(true);
    expect((await getLimiter().acquire(a, 0)).allowed).toBe(false);
    expect((await getLimiter().acquire(b, 0)).allowed).toBe(true);
  });
}
