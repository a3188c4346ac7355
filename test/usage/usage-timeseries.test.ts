// The console's read-only queries (overview time series, percentiles, top names, provider
// attempts) on SQLite, and on PostgreSQL when SWITCHBOARD_TEST_POSTGRES_URL is set.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { PostgresUsageStore } from "../../src/usage/postgres-store.ts";
import { queryProviderActivity } from "../../src/usage/provider-activity.ts";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import type { UsageReader } from "../../src/usage/usage-reader.ts";
import type { UsageStore } from "../../src/usage/usage-store.ts";
import { queryOverview } from "../../src/usage/usage-timeseries.ts";
import { makeRecord } from "./outcome-fixture.ts";

// Far from any other test's rows: the PostgreSQL database is shared with the store's own tests.
const NOW = Date.UTC(2031, 0, 1, 12, 30, 15);
const MIN = 60_000;
const PREFIX = "timeseries-test-";

const attempts = (...list: Array<[string, number, string, number]>) =>
  JSON.stringify(
    list.map(([provider, status, outcome, latencyMs]) => ({
      provider,
      model: "m",
      keyLabel: null,
      status,
      outcome,
      latencyMs,
    })),
  );

const RECORDS = [
  // A fallback: anthropic failed, openai answered.
  makeRecord({
    requestId: `${PREFIX}1`,
    ts: NOW - 5 * MIN,
    keyName: "a",
    provider: "openai",
    model: "gpt-4o-mini",
    latencyMs: 100,
    inputTokens: 1000,
    outputTokens: 500,
    cacheReadTokens: 100,
    costUsd: 0.01,
    attempts: 2,
    attemptsJson: attempts(["anthropic", 529, "http", 40], ["openai", 200, "ok", 60]),
  }),
  // Failed before any provider answered.
  makeRecord({
    requestId: `${PREFIX}2`,
    ts: NOW - 5 * MIN + 1000,
    keyName: "b",
    provider: null,
    model: null,
    modelRequested: "fast",
    status: 502,
    latencyMs: 300,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
    attemptsJson: attempts(["openai", 0, "timeout", 250]),
  }),
  makeRecord({
    requestId: `${PREFIX}3`,
    ts: NOW - 30 * MIN,
    keyName: "a",
    stream: true,
    latencyMs: 200,
    ttftMs: 50,
    inputTokens: 10,
    outputTokens: 20,
    costUsd: 0.002,
    attemptsJson: attempts(["openai", 200, "ok", 180]),
  }),
  // Outside the last hour, inside the last day.
  makeRecord({
    requestId: `${PREFIX}4`,
    ts: NOW - 120 * MIN,
    keyName: "c",
    latencyMs: 1000,
    costUsd: 0.5,
    attemptsJson: attempts(["openai", 200, "ok", 900]),
  }),
];

function describeQueries(name: string, open: () => Promise<UsageStore & UsageReader>, skip = false) {
  describe.skipIf(skip)(`console queries on ${name}`, () => {
    let store: UsageStore & UsageReader;
    beforeAll(async () => {
      store = await open();
      await store.insert(RECORDS);
    });
    afterAll(async () => {
      await store?.close();
    });

    test("the last hour: 60 minute buckets, each request in its minute, totals and percentiles", async () => {
      const overview = await queryOverview(store, "1h", NOW);
      expect(overview.buckets).toHaveLength(60);
      expect(overview.bucket_ms).toBe(MIN);
      expect(Date.parse(overview.to)).toBe(Math.floor(NOW / MIN) * MIN + MIN);
      const fiveMinutesAgo = overview.buckets.find((b) => b.t === Math.floor((NOW - 5 * MIN) / MIN) * MIN)!;
      expect(fiveMinutesAgo).toMatchObject({
        requests: 2,
        errors: 1,
        input_tokens: 1000,
        output_tokens: 500,
        cached_tokens: 100,
      });
      expect(overview.totals).toMatchObject({
        requests: 3,
        errors: 1,
        input_tokens: 1010,
        output_tokens: 520,
        cached_tokens: 100,
        cost_usd: 0.012,
        p50_latency_ms: 200,
        p95_latency_ms: 300,
        p50_ttft_ms: 50,
        p95_ttft_ms: 50,
      });
      expect(overview.top.models.map((m) => [m.name, m.requests])).toEqual([
        ["gpt-4o-mini", 2],
        ["fast", 1],
      ]);
      expect(overview.top.providers.map((p) => [p.name, p.requests, p.errors])).toEqual([
        ["openai", 2, 0],
        [null, 1, 1],
      ]);
      expect(overview.top.keys[0]).toMatchObject({ name: "a", requests: 2, tokens: 1630, cost_usd: 0.012 });
    });

    test("the last day in hour buckets and the last 30 days in day buckets include the older row", async () => {
      const day = await queryOverview(store, "24h", NOW);
      expect(day.buckets).toHaveLength(24);
      expect(day.totals.requests).toBe(4);
      expect(day.totals.p95_latency_ms).toBe(1000);
      const month = await queryOverview(store, "30d", NOW);
      expect(month.buckets).toHaveLength(30);
      expect(month.buckets.at(-1)!.requests).toBe(4);
      expect(month.totals.cost_usd).toBe(0.512);
    });

    test("an empty window: zero buckets, null percentiles, no top names", async () => {
      const overview = await queryOverview(store, "1h", NOW + 400 * 86_400_000);
      expect(overview.totals.requests).toBe(0);
      expect(overview.totals.p50_latency_ms).toBeNull();
      expect(overview.top.models).toEqual([]);
    });

    test("provider activity counts every attempt, a fallback's failed one against its own provider", async () => {
      const activity = await queryProviderActivity(store, NOW - 60 * MIN);
      const mine = (p: string) => activity.get(p)!;
      expect(mine("anthropic")).toMatchObject({ attempts: 1, failed: 1, error_rate: 1, p50_latency_ms: 40 });
      expect(mine("openai").attempts).toBeGreaterThanOrEqual(3);
      expect(mine("openai").failed).toBeGreaterThanOrEqual(1);
    });
  });
}

describeQueries("SQLite", async () => new SqliteUsageStore(":memory:"));

const pgUrl = process.env.SWITCHBOARD_TEST_POSTGRES_URL;
describeQueries(
  "PostgreSQL",
  async () => {
    await PostgresUsageStore.migrate(pgUrl!);
    const admin = new SQL(pgUrl!);
    const removeMine = () =>
      admin.unsafe("DELETE FROM usage_records WHERE request_id LIKE $1", [`${PREFIX}%`]);
    await removeMine();
    const store = await PostgresUsageStore.open(pgUrl!);
    const close = store.close.bind(store);
    // Leave the shared database as it was.
    store.close = async () => {
      await removeMine();
      await admin.close();
      await close();
    };
    return store;
  },
  !pgUrl,
);
