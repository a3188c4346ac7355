import { describe, expect, test } from "bun:test";
import type { ResolvedConfig } from "../../src/config/types.ts";
import { MemoryRateLimiter } from "../../src/limits/memory-limiter.ts";
import { createRateLimiter } from "../../src/limits/rate-limiter.ts";
import { RedisRateLimiter } from "../../src/limits/redis-limiter.ts";
import { describeLimiterContract, makeKey } from "./limiter-contract.ts";

describe("MemoryRateLimiter", () => {
  const limiter = new MemoryRateLimiter();
  describeLimiterContract(() => limiter);

  test("the window slides: capacity comes back continuously, not at minute edges", async () => {
    let now = 1_000_000;
    const clock = new MemoryRateLimiter(() => now);
    const key = makeKey({ rpm: 60 });
    for (let i = 0; i < 60; i++) expect((await clock.acquire(key, 0)).allowed).toBe(true);
    expect((await clock.acquire(key, 0)).allowed).toBe(false);
    now += 999; // not yet one request's worth (1 s at 60 rpm)
    expect((await clock.acquire(key, 0)).allowed).toBe(false);
    now += 1;
    expect((await clock.acquire(key, 0)).allowed).toBe(true);
    expect((await clock.acquire(key, 0)).allowed).toBe(false);
    now += 30_000;
    let admitted = 0;
    for (let i = 0; i < 100; i++) if ((await clock.acquire(key, 0)).allowed) admitted++;
    expect(admitted).toBe(30);
  });

  test("Retry-After is exactly when the next request fits", async () => {
    let now = 0;
    const clock = new MemoryRateLimiter(() => now);
    const key = makeKey({ rpm: 6 }); // one per 10 s
    for (let i = 0; i < 6; i++) await clock.acquire(key, 0);
    now += 2500;
    const refused = await clock.acquire(key, 0);
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterSeconds).toBe(8); // 7.5 s, rounded up
  });

  test("createRateLimiter picks memory unless limits.store is a redis URL", async () => {
    const config = (store: string) => ({ limits: { store } }) as ResolvedConfig;
    expect(createRateLimiter(config("memory"))).toBeInstanceOf(MemoryRateLimiter);
    const redis = createRateLimiter(config("redis://127.0.0.1:1"));
    expect(redis).toBeInstanceOf(RedisRateLimiter);
    await redis.close();
  });
});
