import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { RedisClient } from "bun";
import { RedisRateLimiter } from "../../src/limits/redis-limiter.ts";
import { allowedCount, describeLimiterContract, makeKey } from "./limiter-contract.ts";

const url = process.env.SWITCHBOARD_TEST_REDIS_URL;
if (!url)
  console.warn(
    "redis-limiter.test.ts: SWITCHBOARD_TEST_REDIS_URL is unset; Redis tests skipped (see .ci/services.sh)",
  );

const prefix = `switchboard-test:${process.pid}:${Date.now()}:`;

describe.skipIf(!url)("RedisRateLimiter", () => {
  // A generous timeout: these tests are about exactness, not about a slow Redis.
  const limiter = url ? new RedisRateLimiter(url, { prefix, commandTimeoutMs: 1000 }) : null;
  beforeAll(() => limiter?.ready());
  afterAll(async () => {
    await limiter?.close();
    const admin = new RedisClient(url!);
    const keys = (await admin.send("KEYS", [`${prefix}*`])) as string[];
    if (keys.length) await admin.send("DEL", keys);
    admin.close();
  });

  describeLimiterContract(() => limiter!);

  test("two limiters (two instances) share one budget", async () => {
    const other = new RedisRateLimiter(url!, { prefix, commandTimeoutMs: 1000 });
    await other.ready();
    const key = makeKey({ rpm: 30 });
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? other : limiter!).acquire(key, 0)),
    );
    expect(allowedCount(decisions)).toBe(30);
    await other.close();
  });

  test("exact across two processes: 2 × 200 concurrent acquires against rpm=200 admit exactly 200", async () => {
    // 200 rpm drains one request per 300 ms; both loops finish well within that.
    const key = makeKey({ rpm: 200 });
    const child = Bun.spawn(
      ["bun", join(import.meta.dir, "redis-acquire-worker.ts"), url!, prefix, key.name, "200", "200"],
      { stdin: "pipe", stdout: "pipe", stderr: "inherit" },
    );
    const reader = child.stdout.getReader();
    let output = "";
    while (!output.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`worker exited early: ${output}`);
      output += new TextDecoder().decode(value);
    }
    child.stdin.write("go\n");
    child.stdin.flush();
    let mine = 0;
    for (let sent = 0; sent < 200; sent += 10) {
      mine += allowedCount(await Promise.all(Array.from({ length: 10 }, () => limiter!.acquire(key, 0))));
    }
    while (!output.includes("admitted")) {
      const { value, done } = await reader.read();
      if (done) break;
      output += new TextDecoder().decode(value);
    }
    child.stdin.end();
    expect(await child.exited).toBe(0);
    const theirs = Number(/admitted (\d+)/.exec(output)?.[1]);
    expect(Number.isInteger(theirs)).toBe(true);
    if (process.env.DEBUG_SPLIT) console.log("split", mine, theirs);
    expect(mine + theirs).toBe(200);
  });

  test("a crashed instance's concurrency slots come back after the lease TTL", async () => {
    const crashed = new RedisRateLimiter(url!, { prefix, leaseTtlMs: 300, commandTimeoutMs: 1000 });
    await crashed.ready();
    const key = makeKey({ maxConcurrent: 1 });
    const held = await crashed.acquire(key, 0);
    expect(held.allowed).toBe(true);
    await crashed.close(); // never released
    expect((await limiter!.acquire(key, 0)).allowed).toBe(false);
    await Bun.sleep(400);
    expect((await limiter!.acquire(key, 0)).allowed).toBe(true);
  });

  test("a live instance keeps its leases alive past the TTL", async () => {
    const holder = new RedisRateLimiter(url!, { prefix, leaseTtlMs: 1500, commandTimeoutMs: 1000 }); // refreshed every 1 s
    await holder.ready();
    const key = makeKey({ maxConcurrent: 1 });
    const held = await holder.acquire(key, 0);
    expect(held.allowed).toBe(true);
    await Bun.sleep(2200);
    expect((await limiter!.acquire(key, 0)).allowed).toBe(false);
    if (held.allowed) held.release(0);
    await Bun.sleep(50);
    expect((await limiter!.acquire(key, 0)).allowed).toBe(true);
    await holder.close();
  });
});

describe("RedisRateLimiter without Redis", () => {
  test("an unreachable Redis falls back to per-instance limits, quickly", async () => {
    const down = new RedisRateLimiter("redis://127.0.0.1:1", { prefix, commandTimeoutMs: 200 });
    const key = makeKey({ rpm: 3 });
    const started = performance.now();
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await down.acquire(key, 0));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(allowedCount(decisions)).toBe(3); // still limited, by the in-process fallback
    await down.close();
  });
});
