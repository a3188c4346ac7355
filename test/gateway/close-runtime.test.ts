// The drain closes the usage recorder only after the last answered request's row is in
// (issue 17 item 4: a same-protocol JSON answer records in a setImmediate after its response).
import { expect, test } from "bun:test";
import { loadConfigFromText } from "../../src/config/load-config.ts";
import { RequestContext } from "../../src/gateway/request-context.ts";
import { closeRuntime, createRuntime } from "../../src/gateway/runtime.ts";
import { createLogger } from "../../src/log/logger.ts";
import type { UsageRecord } from "../../src/usage/usage-record.ts";
import type { UsageStore } from "../../src/usage/usage-store.ts";

class MemoryStore implements UsageStore {
  rows: UsageRecord[] = [];
  async insert(rows: UsageRecord[]): Promise<void> {
    this.rows.push(...rows);
  }
  async summarize(): Promise<never> {
    throw new Error("unused");
  }
  async close(): Promise<void> {}
}

async function runtimeWith(store: MemoryStore) {
  const config = loadConfigFromText("", "/tmp/switchboard-test/switchboard.yaml", {});
  return createRuntime(config, { version: "test", logger: createLogger(() => {}), usageStore: store });
}

test("a row made just after the drain began is written before the recorder closes", async () => {
  const store = new MemoryStore();
  const runtime = await runtimeWith(store);
  const ctx = new RequestContext(runtime, "req_late", "chat_completions");
  ctx.modelRequested = "m";
  const closing = closeRuntime(runtime);
  setTimeout(() => ctx.finish(200), 20);
  await closing;
  expect(store.rows.map((r) => [r.requestId, r.status])).toEqual([["req_late", 200]]);
  expect(runtime.usage.stats().dropped).toBe(0);
});

test("a request that never ends is recorded as at the drain deadline once the wait is over", async () => {
  const store = new MemoryStore();
  const runtime = await runtimeWith(store);
  const ctx = new RequestContext(runtime, "req_stuck", "chat_completions");
  ctx.modelRequested = "m";
  const started = performance.now();
  await closeRuntime(runtime, 50);
  expect(performance.now() - started).toBeLessThan(1000);
  expect(store.rows.map((r) => [r.requestId, r.errorType])).toEqual([["req_stuck", "drain_timeout"]]);
});

test("a row offered after the recorder closed counts as dropped", async () => {
  const store = new MemoryStore();
  const runtime = await runtimeWith(store);
  await closeRuntime(runtime);
  const ctx = new RequestContext(runtime, "req_after", "chat_completions");
  ctx.modelRequested = "m";
  ctx.finish(200);
  expect(store.rows).toEqual([]);
  expect(runtime.usage.stats().dropped).toBe(1);
});
