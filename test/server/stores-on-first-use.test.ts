// The storage back ends' modules load only when configured or first used (docs/performance.md,
// "Request schemas and codecs on first use"): a gateway on the memory limits store with usage off
// evaluates no Redis limiter, no spool, no deferred PostgreSQL store, no SQL store and none of
// the console's usage queries. Checked in a fresh process, by which modules have been evaluated.
import { expect, test } from "bun:test";
import { BUILD_APP_SCRIPT, repoModule, runInFreshProcess } from "../support/fresh-process.ts";

test("a gateway with no store configured evaluates no store module; a Redis URL loads the Redis limiter", async () => {
  const script = `
    ${BUILD_APP_SCRIPT}
    const { createRateLimiter } = await import(${repoModule("src/limits/rate-limiter.ts")});
    const STORES = ["limits/redis-limiter", "limits/redis-scripts", "usage/usage-spool", "usage/deferred-store",
      "usage/sqlite-store", "usage/postgres-store", "usage/usage-migrations", "usage/usage-timeseries",
      "usage/provider-activity"];
    const loaded = () => Object.keys(require.cache)
      .map((path) => path.match(/src\\/((?:limits|usage)\\/[\\w-]+)\\.ts$/)?.[1])
      .filter((name) => STORES.includes(name))
      .sort();
    const atStart = loaded();
    // A positive control: modules imported statically are listed too.
    const memoryAtStart = Object.keys(require.cache).some((path) => path.endsWith("src/limits/memory-limiter.ts"));
    const redisConfig = loadConfigFromText(
      "usage:\\n  store: off\\nlimits:\\n  store: redis://127.0.0.1:1\\n", "/srv/s.yaml", {});
    const limiter = createRateLimiter(redisConfig);
    const withRedis = loaded();
    await limiter.close();
    console.log(JSON.stringify({ atStart, memoryAtStart, withRedis }));
    process.exit(0);`;
  expect(await runInFreshProcess(script)).toEqual({
    atStart: [],
    memoryAtStart: true,
    withRedis: ["limits/redis-limiter", "limits/redis-scripts"],
  });
});
