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
    await admin.unsafe("DROP TABLE IF EXISTS response_state_items");
    // open() never creates tables: `switchboard migrate` does.
    await expect(PostgresUsageStore.open(url!)).rejects.toThrow("switchboard migrate");
    // Two migrations at once: the advisory lock makes them run one after the other.
    const results = await Promise.all([PostgresUsageStore.migrate(url!), PostgresUsageStore.migrate(url!)]);
    expect(results.map((r) => r.to)).toEqual([USAGE_SCHEMA_VERSION, USAGE_SCHEMA_VERSION]);
    expect(results.map((r) => r.from).sort()).toEqual([0, USAGE_SCHEMA_VERSION]);
    store = await PostgresUsageStore.open(url!);
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

const appUrl = process.env.SWITCHBOARD_TEST_POSTGRES_APP_URL;

// Issue 17 item 6: `serve` works with the documented grants and nothing more.
describe.skipIf(!url || !appUrl)("PostgresUsageStore as a role with only the documented grants", () => {
  let admin: SQL;
  beforeAll(async () => {
    admin = new SQL(url!);
    await PostgresUsageStore.migrate(url!);
    const app = new URL(appUrl!).username;
    await admin.unsafe(
      `REVOKE ALL ON usage_records, usage_schema_version, response_states, response_state_items FROM ${app}`,
    );
    // docs/operations.md, "Running several instances": the grants of the app role.
    await admin.unsafe(`GRANT SELECT ON usage_schema_version TO ${app}`);
    await admin.unsafe(`GRANT SELECT, INSERT ON usage_records TO ${app}`);
    await admin.unsafe(`GRANT SELECT, INSERT, DELETE ON response_states, response_state_items TO ${app}`);
  });
  afterAll(() => admin?.close());

  test("opens, inserts idempotently, summarizes and keeps Responses state; cannot change the schema", async () => {
    const store = await PostgresUsageStore.open(appUrl!);
    const row = makeRecord({ requestId: `app-${Date.now()}` });
    await store.insert([row]);
    await store.insert([row]);
    const [count] = await admin.unsafe("SELECT count(*)::int AS n FROM usage_records WHERE request_id = $1", [
      row.requestId,
    ]);
    expect(count).toEqual({ n: 1 });
    expect((await store.summarize({ groupBy: [] })).totals.requests).toBeGreaterThanOrEqual(1);
    const now = Date.now();
    const id = `resp_app_${now}`;
    await store.putResponse({
      id,
      keyName: null,
      createdAt: now,
      expiresAt: now + 1000,
      input: [],
      response: { id },
    });
    expect(await store.deleteResponse(id)).toBe(true);
    await store.close();
    // The app role may not migrate: that is the owner's job, and says so.
    await expect(PostgresUsageStore.migrate(appUrl!)).rejects.toThrow(/permission denied|must be owner/);
  });
});

// A database without the tables: serve refuses it and names the command; migrate fixes it.
describe.skipIf(!url)("a PostgreSQL database behind this build", () => {
  const dbName = `switchboard_test_behind_${process.pid}`;
  let admin: SQL;
  let behindUrl: string;
  beforeAll(async () => {
    admin = new SQL(url!);
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    const u = new URL(url!);
    u.pathname = `/${dbName}`;
    behindUrl = u.toString();
  });
  afterAll(async () => {
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin?.close();
  });

  test("open() names `switchboard migrate`; after it, open() works; a second migrate does nothing", async () => {
    await expect(PostgresUsageStore.open(behindUrl)).rejects.toThrow(
      /no switchboard tables yet: run `switchboard migrate`/,
    );
    expect(await PostgresUsageStore.schemaVersion(behindUrl)).toBe(0);
    expect(await PostgresUsageStore.migrate(behindUrl)).toEqual({ from: 0, to: USAGE_SCHEMA_VERSION });
    expect(await PostgresUsageStore.migrate(behindUrl)).toEqual({
      from: USAGE_SCHEMA_VERSION,
      to: USAGE_SCHEMA_VERSION,
    });
    const store = await PostgresUsageStore.open(behindUrl);
    await store.close();
    // One step behind: the message says which versions.
    const db = new SQL(behindUrl);
    await db.unsafe("DELETE FROM usage_schema_version WHERE version = $1", [USAGE_SCHEMA_VERSION]);
    await db.close();
    await expect(PostgresUsageStore.open(behindUrl)).rejects.toThrow(
      `schema version ${USAGE_SCHEMA_VERSION - 1}, this build needs ${USAGE_SCHEMA_VERSION}: run \`switchboard migrate\``,
    );
  });
});
