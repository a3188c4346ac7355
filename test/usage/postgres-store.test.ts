import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { PostgresUsageStore } from "../../src/usage/postgres-store.ts";
import { USAGE_MIGRATIONS, USAGE_SCHEMA_VERSION } from "../../src/usage/usage-migrations.ts";
import { makeRecord } from "./outcome-fixture.ts";
import { describeStoreContract } from "./store-contract.ts";

const url = process.env.SWITCHBOARD_TEST_POSTGRES_URL;
if (!url) {
  console.warn(
    "postgres-store.test.ts: SWITCHBOARD_TEST_POSTGRES_URL is unset; PostgreSQL tests skipped (see .ci/services.sh)",
  );
}

describe.skipIf(!url)("PostgresUsageStore", () => {
  let store: PostgresUsageStore;
  let admin: SQL;

  beforeAll(async () => {
    admin = new SQL(url!);
    await admin.unsafe("DROP TABLE IF EXISTS usage_records");
    await admin.unsafe("DROP TABLE IF EXISTS usage_schema_version");
    await admin.unsafe("DROP TABLE IF EXISTS response_states");
    // Two instances starting at once: the advisory lock makes them migrate one after the other.
    const [a, b] = await Promise.all([PostgresUsageStore.open(url!), PostgresUsageStore.open(url!)]);
    await b.close();
    store = a;
  });
  afterAll(async () => {
    await store?.close();
    await admin?.close();
  });

  describeStoreContract(
    () => store,
    async () => {
      await admin.unsafe("TRUNCATE usage_records");
    },
  );

  test("migrated once, to the current version", async () => {
    const rows = await admin.unsafe("SELECT version FROM usage_schema_version ORDER BY version");
    expect([...rows]).toEqual(USAGE_MIGRATIONS.map((step) => ({ version: step.version })));
    expect(USAGE_MIGRATIONS.at(-1)?.version).toBe(USAGE_SCHEMA_VERSION);
  });

  test("keeps Responses state: put, get, expiry, delete", async () => {
    const now = Date.now();
    const stored = {
      id: "resp_pg_1",
      keyName: "alice",
      createdAt: now,
      expiresAt: now + 60_000,
      input: [{ role: "user", content: "hi" }],
      response: { id: "resp_pg_1", output: [] },
    };
    await store.putResponse(stored);
    await store.putResponse(stored); // idempotent
    expect(await store.getResponse("resp_pg_1")).toEqual(stored);
    await store.putResponse({ ...stored, id: "resp_pg_old", expiresAt: now - 1 });
    expect(await store.getResponse("resp_pg_old")).toBeNull();
    expect(await store.deleteExpiredResponses(now)).toBe(1);
    expect(await store.deleteResponse("resp_pg_1")).toBe(true);
    expect(await store.getResponse("resp_pg_1")).toBeNull();
  });

  test("round-trips a row column for column", async () => {
    await admin.unsafe("TRUNCATE usage_records");
    await store.insert([makeRecord({ stream: true, ttftMs: 12, errorType: "api_error", keyName: null })]);
    const [row] = await admin.unsafe(
      "SELECT ts::float8 AS ts, key_name, stream, ttft_ms, input_tokens::float8 AS input_tokens, cost_usd, error_type FROM usage_records",
    );
    expect(row).toEqual({
      ts: Date.UTC(2025, 0, 15, 10, 30, 0),
      key_name: null,
      stream: 1,
      ttft_ms: 12,
      input_tokens: 1000,
      cost_usd: 0.00045,
      error_type: "api_error",
    });
  });

  test("an unreachable server fails open() with an error, not a hang", async () => {
    const started = Date.now();
    await expect(PostgresUsageStore.open("postgres://nobody:x@127.0.0.1:1/none")).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
