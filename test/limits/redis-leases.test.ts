// Issue 17 item 7: with limits.lease, an instance takes a share of each rpm/tpm from Redis at
// once and hands it out locally. The bound, stated in docs/operations.md: over any stretch of
// time, the instances admit at most what one exact limiter would, plus instances × lease.
import { afterAll, describe, expect, test } from "bun:test";
import { RedisClient } from "bun";
import { RedisRateLimiter } from "../../src/limits/redis-limiter.ts";
import { startPausableProxy } from "../support/pausable-proxy.ts";
import { allowedCount, makeKey } from "./limiter-contract.ts";

const url = process.env.SWITCHBOARD_TEST_REDIS_URL;
const prefix = `switchboard-test-lease:${process.pid}:${Date.now()}:`;

/** Limit figures drain with time: what an exact limiter could admit `ms` later, beyond `limit`. */
const drained = (limit: number, ms: number) => Math.ceil((limit * ms) / 60_000);

describe.skipIf(!url)("RedisRateLimiter with leases", () => {
  const admin = url ? new RedisClient(url) : null;
  const made: RedisRateLimiter[] = [];
  async function limiter(lease: number): Promise<RedisRateLimiter> {
    const l = new RedisRateLimiter(url!, { prefix, lease, commandTimeoutMs: 1000 });
    made.push(l);
    await l.ready();
    return l;
  }
  afterAll(async () => {
    for (const l of made) await l.close();
    const keys = (await admin!.send("KEYS", [`${prefix}*`])) as string[];
    if (keys.length) await admin!.send("DEL", keys);
    admin?.close();
  });

  test("a lease serves many requests per round trip", async () => {
    // Our own commands, counted on the wire (other clients may share the Redis).
    let scripts = 0;
    const proxy = await startPausableProxy(Number(new URL(url!).port || 6379), "127.0.0.1", (chunk) => {
      scripts += new TextDecoder().decode(chunk).split("EVALSHA").length - 1;
    });
    const l = new RedisRateLimiter(proxy.url("redis"), { prefix, lease: 0.01, commandTimeoutMs: 1000 });
    made.push(l);
    await l.ready();
    const key = makeKey({ rpm: 1_000_000 });
    const before = scripts;
    const decisions = [];
    for (let i = 0; i < 2000; i++) decisions.push(await l.acquire(key, 0));
    expect(allowedCount(decisions)).toBe(2000);
    expect(scripts - before).toBeLessThanOrEqual(3); // one lease of 10,000 (1 %), plus settles at most
    expect(decisions[0]!.headers["x-ratelimit-limit-requests"]).toBe("1000000");
    await l.close();
    proxy.stop();
  });

  test("never more than the limit at once; leftovers held by one instance go back when its lease ends", async () => {
    const a = await limiter(0.1);
    const b = await limiter(0.1);
    const key = makeKey({ rpm: 100 }); // a lease is 10 requests
    const started = Date.now();
    const first = await Promise.all(Array.from({ length: 150 }, (_, i) => (i % 2 ? a : b).acquire(key, 0)));
    const admitted = allowedCount(first);
    expect(admitted).toBeLessThanOrEqual(100 + drained(100, Date.now() - started));
    expect(admitted).toBeGreaterThanOrEqual(100 - 2 * 10);
    await a.close();
    await b.close();
    // Given back at close: an exact limiter now finds the bucket at what was admitted.
    const exact = await limiter(0);
    const next = await exact.acquire(key, 0);
    const remaining = Number(next.headers["x-ratelimit-remaining-requests"]);
    expect(remaining).toBeGreaterThanOrEqual(100 - admitted - 2);
  });

  test("the stated bound over time: at most exact + instances × lease", async () => {
    const instances = await Promise.all([limiter(0.05), limiter(0.05)]);
    const rpm = 6000; // drains 100 a second; a lease is 300
    const key = makeKey({ rpm });
    const started = Date.now();
    let admitted = 0;
    let turn = 0;
    while (Date.now() - started < 1000) {
      const wave = await Promise.all(
        Array.from({ length: 20 }, () => instances[turn++ % 2]!.acquire(key, 0)),
      );
      admitted += allowedCount(wave);
    }
    const elapsed = Date.now() - started;
    const exactBound = rpm + Math.ceil((rpm * elapsed) / 60_000);
    expect(admitted).toBeLessThanOrEqual(exactBound + 2 * 300);
    expect(admitted).toBeGreaterThanOrEqual(rpm - 2 * 300);
  });

  test("tpm: estimates come from the lease; usage beyond them is settled in the background", async () => {
    const l = await limiter(0.1);
    const key = makeKey({ tpm: 10_000 }); // a lease is 1,000 tokens
    const started = Date.now();
    const d = await l.acquire(key, 100);
    expect(d.allowed).toBe(true);
    if (d.allowed) d.release(5_100); // 5,000 beyond the estimate
    await l.close(); // settles: leftovers back, the excess charged
    const exact = await limiter(0);
    const next = await exact.acquire(key, 0);
    const remaining = Number(next.headers["x-ratelimit-remaining-tokens"]);
    expect(remaining).toBeLessThanOrEqual(10_000 - 5_100 + drained(10_000, Date.now() - started) + 1);
    expect(remaining).toBeGreaterThanOrEqual(10_000 - 5_100 - 50);
  });

  test("keys with max_concurrent take the exact path (a slot is not leased)", async () => {
    const l = await limiter(0.5);
    const key = makeKey({ maxConcurrent: 1, rpm: 1000 });
    const a = await l.acquire(key, 0);
    const b = await l.acquire(key, 0);
    expect([a.allowed, b.allowed]).toEqual([true, false]);
    if (a.allowed) a.release(0);
  });
});
