import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { USAGE_MIGRATIONS, USAGE_SCHEMA_VERSION } from "../../src/usage/usage-migrations.ts";
import { openUsageStore } from "../../src/usage/usage-store.ts";
import { makeRecord } from "./outcome-fixture.ts";
import { describeStoreContract } from "./store-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "switchboard-usage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SqliteUsageStore", () => {
  let store: SqliteUsageStore;
  let n = 0;
  describeStoreContract(
    () => store,
    async () => {
      await store?.close();
      store = new SqliteUsageStore(join(dir, `contract-${n++}.db`));
    },
  );

  test("creates the folder and file, in WAL mode, at the current schema version", async () => {
    const path = join(dir, "nested", "deeper", "usage.db");
    const s = await openUsageStore({ kind: "sqlite", path });
    await s!.insert([makeRecord()]);
    await s!.close();
    const db = new Database(path, { readonly: true });
    expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(db.query("SELECT MAX(version) AS v FROM usage_schema_version").get()).toEqual({
      v: USAGE_SCHEMA_VERSION,
    });
    db.close();
  });

  test("round-trips a row column for column", async () => {
    const path = join(dir, "roundtrip.db");
    const s = new SqliteUsageStore(path);
    await s.insert([
      makeRecord({
        recordId: "rec_1",
        stream: true,
        ttftMs: 12,
        attemptsJson: '[{"x":1}]',
        errorType: "api_error",
        bytesUp: 10,
        bytesDown: 20,
      }),
    ]);
    await s.close();
    const db = new Database(path, { readonly: true });
    const { id: _id, ...row } = db.query("SELECT * FROM usage_records").get() as Record<string, unknown>;
    expect(row).toEqual({
      ts: Date.UTC(2025, 0, 15, 10, 30, 0),
      request_id: "req_1",
      key_name: "ci-bot",
      endpoint: "chat_completions",
      model_requested: "fast",
      provider: "openai",
      model: "gpt-4o-mini",
      attempts: 1,
      attempts_json: '[{"x":1}]',
      status: 200,
      stream: 1,
      latency_ms: 150,
      ttft_ms: 12,
      input_tokens: 1000,
      output_tokens: 500,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      cost_usd: 0.00045,
      error_type: "api_error",
      record_id: "rec_1",
      bytes_up: 10,
      bytes_down: 20,
    });
    db.close();
  });

  test("reopening an existing database keeps its rows and does not re-run migrations", async () => {
    const path = join(dir, "reopen.db");
    const a = new SqliteUsageStore(path);
    await a.insert([makeRecord()]);
    await a.close();
    const b = new SqliteUsageStore(path);
    expect((await b.summarize({ groupBy: [] })).totals.requests).toBe(1);
    await b.close();
    const db = new Database(path, { readonly: true });
    // One row per migration step, each applied once.
    expect(db.query("SELECT COUNT(*) AS n FROM usage_schema_version").get()).toEqual({
      n: USAGE_MIGRATIONS.length,
    });
    db.close();
  });

  test("a database of schema 2 gains record_id; its old rows stay and new inserts are idempotent", async () => {
    const path = join(dir, "v2.db");
    const old = new Database(path, { create: true });
    old.run("CREATE TABLE usage_schema_version (version INTEGER NOT NULL)");
    for (const step of USAGE_MIGRATIONS.filter((m) => m.version <= 2)) {
      for (const statement of step.sqlite) old.run(statement);
      old.query("INSERT INTO usage_schema_version (version) VALUES (?)").run(step.version);
    }
    const oldRow =
      "INSERT INTO usage_records (ts, request_id, endpoint, attempts, attempts_json, status, stream, latency_ms, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens) VALUES (1, 'old', 'chat_completions', 1, '[]', 200, 0, 1, 0, 0, 0, 0, 0)";
    old.run(oldRow);
    old.run(oldRow);
    old.close();
    const s = new SqliteUsageStore(path);
    const row = makeRecord();
    await s.insert([row]);
    await s.insert([row]);
    expect((await s.summarize({ groupBy: [] })).totals.requests).toBe(3);
    await s.close();
  });

  test("keeps Responses state: put, get, expiry, delete", async () => {
    const states = new SqliteUsageStore(":memory:");
    const now = Date.now();
    const stored = {
      id: "resp_1",
      keyName: "alice",
      createdAt: now,
      expiresAt: now + 60_000,
      input: [{ role: "user", content: "hi" }],
      response: { id: "resp_1", output: [] },
    };
    await states.putResponse(stored);
    expect(await states.getResponse("resp_1")).toEqual(stored);
    await states.putResponse({ ...stored, id: "resp_old", expiresAt: now - 1 });
    expect(await states.getResponse("resp_old")).toBeNull();
    expect(await states.deleteExpiredResponses(now)).toBe(1);
    expect(await states.deleteResponse("resp_1")).toBe(true);
    expect(await states.getResponse("resp_1")).toBeNull();
    await states.close();
  });

  test("off means no store", async () => {
    expect(await openUsageStore({ kind: "off" })).toBeNull();
  });
});

test("close() twice is harmless (recorder drain and runtime both close)", async () => {
  const s = new SqliteUsageStore(":memory:");
  await s.close();
  await s.close();
});
