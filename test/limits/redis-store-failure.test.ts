// Issue 17 items 1 and 2: a hung, killed or absent Redis makes no request wait past
// limits.timeout, opens a breaker after a few failures, is decided by limits.on_store_failure,
// is reported once per change, and is probed back in the background.
import { afterAll, describe, expect, test } from "bun:test";
import { RedisRateLimiter } from "../../src/limits/redis-limiter.ts";
import { StoreHealth, type StoreHealthView } from "../../src/observe/store-health.ts";
import { type PausableProxy, startPausableProxy } from "../support/pausable-proxy.ts";
import { allowedCount, makeKey } from "./limiter-contract.ts";

const url = process.env.SWITCHBOARD_TEST_REDIS_URL;
const prefix = `switchboard-test-failure:${process.pid}:${Date.now()}:`;

function recordingHealth(): { health: StoreHealth; changes: StoreHealthView[] } {
  const changes: StoreHealthView[] = [];
  return { health: new StoreHealth("limits", "redis", (_, view) => changes.push(view)), changes };
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await Bun.sleep(10);
  }
}

describe("RedisRateLimiter without Redis", () => {
  test("unreachable at start: no request waits for the first connection; down is reported once", async () => {
    const { health, changes } = recordingHealth();
    const down = new RedisRateLimiter("redis://127.0.0.1:1", { prefix, health, probeIntervalMs: 50 });
    const key = makeKey({ rpm: 3 });
    const started = performance.now();
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await down.acquire(key, 0));
    expect(performance.now() - started).toBeLessThan(50);
    expect(allowedCount(decisions)).toBe(3); // on_store_failure: local — still limited, per instance
    await down.ready();
    await Bun.sleep(200); // several probes, each failing
    expect(changes.map((c) => c.state)).toEqual(["down"]);
    expect(health.view()).toMatchObject({ state: "down", fallbacks: 5 });
    expect(health.view().reason).toBeString();
    await down.close();
  });

  test("on_store_failure: open admits everything; closed refuses with 503 and says why", async () => {
    const open = new RedisRateLimiter("redis://127.0.0.1:1", { prefix, onStoreFailure: "open" });
    const closed = new RedisRateLimiter("redis://127.0.0.1:1", { prefix, onStoreFailure: "closed" });
    const key = makeKey({ rpm: 1 });
    const opened = await Promise.all([1, 2, 3].map(() => open.acquire(key, 0)));
    expect(allowedCount(opened)).toBe(3);
    const refused = await closed.acquire(key, 0);
    expect(refused).toMatchObject({ allowed: false, status: 503, retryAfterSeconds: 1 });
    if (!refused.allowed) expect(refused.message).toContain("limits store is unavailable");
    // Keys without limits never touch the store, whatever the policy.
    expect((await closed.acquire(makeKey({}), 0)).allowed).toBe(true);
    await open.close();
    await closed.close();
  });
});

describe.skipIf(!url)("RedisRateLimiter through a proxy that hangs and cuts", () => {
  let proxy: PausableProxy;
  afterAll(() => proxy?.stop());

  test("hung Redis: each check waits at most limits.timeout, then none waits; back when it answers", async () => {
    proxy = await startPausableProxy(Number(new URL(url!).port || 6379));
    const { health, changes } = recordingHealth();
    const limiter = new RedisRateLimiter(proxy.url("redis"), {
      prefix,
      health,
      commandTimeoutMs: 40,
      breakerFailures: 3,
      probeIntervalMs: 50,
    });
    await limiter.ready();
    const key = makeKey({ rpm: 1000 });
    expect((await limiter.acquire(key, 0)).headers["x-ratelimit-limit-requests"]).toBe("1000");
    expect(health.state).toBe("up");

    proxy.hang();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const decision = await limiter.acquire(key, 0);
      waits.push(performance.now() - started);
      expect(decision.allowed).toBe(true); // local fallback, far under its limit
    }
    // The first three wait for the timeout; the breaker is open after them.
    for (const wait of waits.slice(0, 3)) expect(wait).toBeLessThan(40 + 60);
    for (const wait of waits.slice(3)) expect(wait).toBeLessThan(5);
    expect(changes.map((c) => c.state)).toEqual(["down"]);
    expect(changes[0]?.reason).toContain("timed out");

    proxy.resume();
    await until(() => health.state === "up");
    expect(changes.map((c) => c.state)).toEqual(["down", "up"]);
    await limiter.close();
  });

  test("killed Redis: decided locally at once, reported once; back when it comes back", async () => {
    proxy ??= await startPausableProxy(Number(new URL(url!).port || 6379));
    proxy.resume();
    const { health, changes } = recordingHealth();
    const limiter = new RedisRateLimiter(proxy.url("redis"), { prefix, health, probeIntervalMs: 50 });
    await limiter.ready();
    const key = makeKey({ rpm: 2 });
    proxy.cut();
    await Bun.sleep(20); // the client sees its connection closed
    const started = performance.now();
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await limiter.acquire(key, 0));
    expect(performance.now() - started).toBeLessThan(200);
    expect(allowedCount(decisions)).toBe(2);
    expect(health.state).toBe("down");
    proxy.resume();
    await until(() => health.state === "up");
    expect(changes.map((c) => c.state)).toEqual(["down", "up"]);
    await limiter.close();
  });
});
