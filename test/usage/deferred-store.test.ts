// A PostgreSQL store down at start: the gateway starts anyway; the store is opened in the
// background until it opens, and calls made before fail at once with the reason.
import { expect, test } from "bun:test";
import { DeferredUsageStore } from "../../src/usage/deferred-store.ts";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { SchemaBehindError } from "../../src/usage/usage-migrations.ts";
import { makeRecord } from "./outcome-fixture.ts";

test("opened again until it opens; before that, calls fail with the last reason", async () => {
  let attempts = 0;
  const events: string[] = [];
  const store = new DeferredUsageStore(
    async () => {
      attempts++;
      if (attempts < 3) throw new Error(`ECONNREFUSED (attempt ${attempts})`);
      return new SqliteUsageStore(":memory:");
    },
    { retryMs: 20, onOpen: () => events.push("open"), onOpenFailure: () => events.push("failed") },
  );
  await store.firstAttempt;
  await expect(store.insert([makeRecord()])).rejects.toThrow("ECONNREFUSED (attempt 1)");
  expect(store.schemaBehind).toBe(false);
  while (attempts < 3) await Bun.sleep(10);
  await Bun.sleep(5);
  await store.insert([makeRecord()]);
  expect((await store.summarize({ groupBy: [] })).totals.requests).toBe(1);
  expect(store.failure).toBeNull();
  expect(events).toEqual(["failed", "failed", "open"]);
  await store.close();
});

test("a schema behind is told apart (serve stops and names `switchboard migrate`)", async () => {
  const store = new DeferredUsageStore(
    async () => {
      throw new SchemaBehindError("postgres", 2);
    },
    { retryMs: 60_000 },
  );
  await store.firstAttempt;
  expect(store.schemaBehind).toBe(true);
  expect(String(store.failure)).toContain("switchboard migrate");
  await store.close();
});
