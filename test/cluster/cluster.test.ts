// Issue 17, "Verified by": three instances of the built binary behind nginx, sharing Redis and
// PostgreSQL (reached through proxies the test hangs and cuts), the database used through a
// role with only the documented grants. Bounded: the whole file runs in well under a minute.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ensureBinary } from "../../scripts/ensure-binary.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { openAICompletion } from "../support/wire-builders.ts";
import {
  type Cluster,
  LIMITS_TIMEOUT_MS,
  limitsStateOf,
  NGINX,
  startCluster,
  waitFor,
} from "./cluster-harness.ts";

const ownerUrl = process.env.SWITCHBOARD_TEST_POSTGRES_URL;
const appUrl = process.env.SWITCHBOARD_TEST_POSTGRES_APP_URL;
const redisUrl = process.env.SWITCHBOARD_TEST_REDIS_URL;
const missing = !ownerUrl || !appUrl || !redisUrl || !NGINX;
if (missing) {
  console.warn(
    "cluster.test.ts: needs SWITCHBOARD_TEST_POSTGRES_URL, _POSTGRES_APP_URL, _REDIS_URL (.ci/services.sh) and nginx (.ci/run installs it); skipped",
  );
}

// Fresh key names per run: Redis keeps a key's state for two minutes.
const run = `${process.pid}-${Date.now()}`;
const LIMITED = { name: `limited-${run}`, key: "sk-cluster-limited" };
const OPEN = { name: `open-${run}`, key: "sk-cluster-open" };

const WORKERS = 8;
let sent = 0;
/** One chat request through nginx with our own x-request-id; the id and the status come back. */
async function call(cluster: Cluster, key: string): Promise<{ id: string; status: number; ms: number }> {
  const id = `c-${run}-${sent++}`;
  const started = performance.now();
  const status = await fetch(`${cluster.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-request-id": id },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  }).then(
    async (r) => {
      await r.arrayBuffer();
      return r.status;
    },
    () => 0,
  );
  return { id, status, ms: performance.now() - started };
}

/** `workers` loops calling until `until()` is true. */
async function load(cluster: Cluster, workers: number, until: () => boolean) {
  const results: Array<{ id: string; status: number; ms: number }> = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!until()) results.push(await call(cluster, OPEN.key));
    }),
  );
  return results;
}

async function rowCounts(cluster: Cluster, ids: string[]): Promise<Map<string, number>> {
  const rows = (await cluster.db.unsafe(
    "SELECT request_id, count(*)::int AS n FROM usage_records WHERE request_id = ANY($1) GROUP BY request_id",
    [ids],
  )) as Array<{ request_id: string; n: number }>;
  return new Map(rows.map((r) => [r.request_id, r.n]));
}

/** Every id has exactly one row (waits for the instances' recorders and spools to ship). */
async function expectOneRowEach(cluster: Cluster, ids: string[]): Promise<void> {
  let counts = new Map<string, number>();
  await waitFor(
    async () => {
      counts = await rowCounts(cluster, ids);
      return counts.size === ids.length;
    },
    15_000,
    "rows",
  ).catch(() => {});
  const missingIds = ids.filter((id) => !counts.has(id));
  const twice = [...counts].filter(([, n]) => n !== 1);
  expect(twice).toEqual([]);
  expect(missingIds).toEqual([]);
}

describe.skipIf(missing)("three instances behind nginx, shared Redis and PostgreSQL", () => {
  let mock: MockUpstream;
  let cluster: Cluster;

  beforeAll(async () => {
    const binary = await ensureBinary();
    mock = await startMockUpstream();
    mock.setDefault({ json: openAICompletion() });
    cluster = await startCluster({
      binary,
      mock,
      ownerUrl: ownerUrl!,
      appUrl: appUrl!,
      redisUrl: redisUrl!,
      keysYaml: `    - name: ${LIMITED.name}\n      key: ${LIMITED.key}\n      rpm: 60\n    - name: ${OPEN.name}\n      key: ${OPEN.key}`,
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    await mock?.stop();
  }, 30_000);

  test("a shared rpm holds exactly across the three; one row per request", async () => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 100 }, () => call(cluster, LIMITED.key)));
    const seconds = (performance.now() - started) / 1000;
    const admitted = results.filter((r) => r.status === 200).length;
    // A burst of 60, then one more per second the burst lasted (the bucket drains at 1/s): the
    // three instances admit together exactly what one would.
    expect(admitted).toBeGreaterThanOrEqual(60);
    expect(admitted).toBeLessThanOrEqual(60 + Math.floor(seconds));
    expect(results.filter((r) => r.status === 429)).toHaveLength(100 - admitted);
    await expectOneRowEach(
      cluster,
      results.map((r) => r.id),
    );
  }, 30_000);

  test("a rolling restart under load (each instance in turn): every answered request has exactly one row", async () => {
    let done = false;
    const running = load(cluster, 8, () => done);
    await Bun.sleep(300);
    for (const index of [0, 1, 2]) {
      await cluster.instances[index]!.stop("SIGTERM");
      await cluster.start(index);
      await Bun.sleep(200);
    }
    done = true;
    const results = await running;
    const answered = results.filter((r) => r.status === 200);
    expect(answered.length).toBeGreaterThan(60);
    // The drain delay (1 s here) closes nginx's kept-alive connections one answer at a time
    // before the listener closes, so no POST lands on an idle connection being closed. What is
    // left (docs/operations.md): a connection nginx opened in the instant the listener closes is
    // reset with it, a 502 that nginx does not retry for a POST. Rare, never silent, never a row.
    const failed = results.filter((r) => r.status !== 200);
    expect(failed.every((r) => r.status === 502)).toBe(true);
    expect(failed.length).toBeLessThanOrEqual(Math.ceil(results.length * 0.01));
    await expectOneRowEach(
      cluster,
      answered.map((r) => r.id),
    );
  }, 60_000);

  // Each row is written to the spool's journal before the client has the end of its answer: a
  // SIGKILL loses no answered request's row; the restarted instance moves the dead one's journal
  // into its spool and ships it (docs/operations.md, the spool).
  test("SIGKILL of one instance under load: every answered request has its row (the journal ships on restart)", async () => {
    let done = false;
    const running = load(cluster, WORKERS, () => done);
    await Bun.sleep(300);
    await cluster.instances[1]!.stop("SIGKILL");
    await Bun.sleep(200);
    done = true;
    const results = await running;
    await cluster.start(1);
    const answered = results.filter((r) => r.status === 200);
    expect(answered.length).toBeGreaterThan(20);
    await expectOneRowEach(
      cluster,
      answered.map((r) => r.id),
    );
  }, 40_000);

  // The slow database: a table lock held past the write timeout. The timed-out batches
  // are written again while the first attempts still wait on the lock; when it lifts both commit,
  // and the unique record_id keeps one row each.
  test("a table lock longer than the write timeout: retried batches are kept once", async () => {
    const lock = await cluster.db.reserve();
    await lock`BEGIN`;
    await lock`LOCK TABLE usage_records IN ACCESS EXCLUSIVE MODE`;
    const results = await load(
      cluster,
      4,
      (
        (n) => () =>
          n-- <= 0
      )(30),
    );
    // Held for 3 write timeouts (1 s each in this cluster's config): every batch is retried.
    await Bun.sleep(3000);
    await lock`COMMIT`;
    lock.release();
    const answered = results.filter((r) => r.status === 200);
    expect(answered).toHaveLength(30);
    await expectOneRowEach(
      cluster,
      answered.map((r) => r.id),
    );
  }, 40_000);

  test("PostgreSQL down mid-load and at start: requests go on, rows wait in the spools and arrive after", async () => {
    cluster.pg.cut();
    const during = await load(
      cluster,
      4,
      (
        (n) => () =>
          n-- <= 0
      )(40),
    );
    // An instance (re)started while the database is down starts, and serves.
    await cluster.instances[2]!.stop("SIGTERM");
    const restarted = await cluster.start(2);
    expect(restarted.readyMs).toBeLessThan(5000);
    const ready = (await (await fetch(`${restarted.baseUrl}/ready`)).json()) as {
      stores: { usage: { state: string } };
    };
    expect(ready.stores.usage.state).toBe("down");
    const usage = await fetch(`${cluster.url}/v1/usage`, {
      headers: { authorization: "Bearer sk-cluster-master" },
    });
    expect(usage.status).toBe(503);
    const after = await load(
      cluster,
      4,
      (
        (n) => () =>
          n-- <= 0
      )(40),
    );
    const all = [...during, ...after];
    expect(all.filter((r) => r.status !== 200)).toEqual([]);
    cluster.pg.resume();
    await expectOneRowEach(
      cluster,
      all.map((r) => r.id),
    );
  }, 40_000);

  test("Redis hung, then cut, then back: no request waits past limits.timeout for long; limits come back", async () => {
    cluster.redis.hang();
    const hung = await Promise.all(Array.from({ length: 30 }, () => call(cluster, LIMITED.key)));
    expect(hung.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    // The first few checks per instance wait limits.timeout; after that the breaker is open.
    const slowest = Math.max(...hung.map((r) => r.ms));
    expect(slowest).toBeLessThan(LIMITS_TIMEOUT_MS + 1000);
    const states = await Promise.all(cluster.instances.map((i) => limitsStateOf(i!.baseUrl)));
    expect(states).toContain("down");
    cluster.redis.cut();
    const cut = await Promise.all(Array.from({ length: 10 }, () => call(cluster, LIMITED.key)));
    expect(Math.max(...cut.map((r) => r.ms))).toBeLessThan(LIMITS_TIMEOUT_MS + 1000);
    cluster.redis.resume();
    await waitFor(
      async () => {
        const states = await Promise.all(cluster.instances.map((i) => limitsStateOf(i!.baseUrl)));
        return states.every((s) => s === "up");
      },
      10_000,
      "limits store back on every instance",
    );
  }, 40_000);
});
