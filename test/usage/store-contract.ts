import { beforeEach, expect, test } from "bun:test";
import type { UsageStore } from "../../src/usage/usage-store.ts";
import { makeRecord } from "./outcome-fixture.ts";

const DAY1 = Date.UTC(2025, 0, 15, 10, 0, 0);
const DAY2 = Date.UTC(2025, 0, 16, 23, 59, 59);

/** The behaviour every UsageStore must have; run against SQLite and PostgreSQL. */
export function describeStoreContract(getStore: () => UsageStore, reset: () => Promise<void>): void {
  beforeEach(reset);

  test("totals over every row, exact", async () => {
    const store = getStore();
    await store.insert([
      makeRecord({ requestId: "a", inputTokens: 10, outputTokens: 20, costUsd: 0.5 }),
      makeRecord({
        requestId: "b",
        inputTokens: 1,
        outputTokens: 2,
        cacheReadTokens: 3,
        cacheWriteTokens: 4,
        reasoningTokens: 5,
        costUsd: 0.25,
      }),
      makeRecord({
        requestId: "c",
        status: 502,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: null,
        errorType: "api_error",
      }),
    ]);
    const summary = await store.summarize({ groupBy: [] });
    expect(summary).toEqual({
      object: "usage.summary",
      from: null,
      to: null,
      group_by: [],
      rows: [],
      totals: {
        requests: 3,
        errors: 1,
        input_tokens: 11,
        output_tokens: 22,
        cache_read_tokens: 3,
        cache_write_tokens: 4,
        reasoning_tokens: 5,
        cost_usd: 0.75,
        unpriced_requests: 0,
      },
    });
  });

  test("grouped by key, model, provider and UTC day, sorted", async () => {
    const store = getStore();
    await store.insert([
      makeRecord({ ts: DAY1, keyName: "a", provider: "openai", model: "gpt-4o", inputTokens: 1, costUsd: 1 }),
      makeRecord({
        ts: DAY1 + 1000,
        keyName: "a",
        provider: "openai",
        model: "gpt-4o",
        inputTokens: 2,
        costUsd: 2,
      }),
      makeRecord({
        ts: DAY2,
        keyName: "a",
        provider: "openai",
        model: "gpt-4o",
        inputTokens: 4,
        costUsd: null,
      }),
      makeRecord({
        ts: DAY1,
        keyName: "b",
        provider: "anthropic",
        model: "claude-haiku-4-5",
        inputTokens: 8,
        costUsd: 0.5,
      }),
      // nothing answered: grouped under the model asked for, null provider
      makeRecord({
        ts: DAY1,
        keyName: "b",
        provider: null,
        model: null,
        modelRequested: "nope",
        status: 404,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: null,
      }),
    ]);
    const summary = await store.summarize({ groupBy: ["key", "model", "day"] });
    const rows = summary.rows.map((r) => [
      r.key,
      r.model,
      r.day,
      r.requests,
      r.errors,
      r.input_tokens,
      r.cost_usd,
      r.unpriced_requests,
    ]);
    expect(rows).toEqual([
      ["a", "gpt-4o", "2025-01-15", 2, 0, 3, 3, 0],
      ["a", "gpt-4o", "2025-01-16", 1, 0, 4, 0, 1],
      ["b", "claude-haiku-4-5", "2025-01-15", 1, 0, 8, 0.5, 0],
      ["b", "nope", "2025-01-15", 1, 1, 0, 0, 0],
    ]);
    expect(summary.totals.requests).toBe(5);
    expect(summary.totals.cost_usd).toBe(3.5);

    const byProvider = await store.summarize({ groupBy: ["provider"] });
    expect(byProvider.rows.map((r) => [r.provider, r.requests])).toEqual(
      // NULL sorts first in SQLite and last in PostgreSQL: compare as a set.
      expect.arrayContaining([
        [null, 1],
        ["anthropic", 1],
        ["openai", 3],
      ]),
    );
    expect(byProvider.rows).toHaveLength(3);
  });

  test("from is inclusive, to exclusive", async () => {
    const store = getStore();
    await store.insert([
      makeRecord({ ts: 1000, requestId: "early" }),
      makeRecord({ ts: 2000, requestId: "edge" }),
      makeRecord({ ts: 3000, requestId: "late" }),
    ]);
    const s = await store.summarize({ from: new Date(2000), to: new Date(3000), groupBy: [] });
    expect(s.totals.requests).toBe(1);
    expect(s.from).toBe(new Date(2000).toISOString());
  });

  test("an empty range sums to zeros", async () => {
    const s = await getStore().summarize({ groupBy: ["key"] });
    expect(s.rows).toEqual([]);
    expect(s.totals.requests).toBe(0);
    expect(s.totals.cost_usd).toBe(0);
  });

  test("large batches insert every row", async () => {
    const store = getStore();
    const rows = Array.from({ length: 2500 }, (_, i) => makeRecord({ requestId: `r${i}`, inputTokens: i }));
    await store.insert(rows);
    const s = await store.summarize({ groupBy: [] });
    expect(s.totals.requests).toBe(2500);
    expect(s.totals.input_tokens).toBe((2499 * 2500) / 2);
  });

  test("a batch written twice keeps one row per record (a retried write after a timeout)", async () => {
    const store = getStore();
    const batch = Array.from({ length: 10 }, (_, i) => makeRecord({ requestId: `dup${i}`, costUsd: 1 }));
    await store.insert(batch);
    await store.insert(batch);
    await store.insert([...batch.slice(0, 3), makeRecord({ requestId: "new", costUsd: 1 })]);
    const s = await store.summarize({ groupBy: [] });
    expect(s.totals.requests).toBe(11);
    expect(s.totals.cost_usd).toBe(11);
  });

  test("two records with the same client-given request id are both kept", async () => {
    const store = getStore();
    await store.insert([makeRecord({ requestId: "client-id" }), makeRecord({ requestId: "client-id" })]);
    expect((await store.summarize({ groupBy: [] })).totals.requests).toBe(2);
  });

  test("a model name with NUL or a lone surrogate is stored, not a failed batch", async () => {
    const store = getStore();
    await store.insert([
      makeRecord({ requestId: "nul", modelRequested: "x\u0000y" }),
      makeRecord({ requestId: "surrogate", modelRequested: "m\ud800" }),
      makeRecord({ requestId: "plain" }),
    ]);
    expect((await store.summarize({ groupBy: [] })).totals.requests).toBe(3);
  });

  test("deleteBefore removes old rows only (retention)", async () => {
    const store = getStore();
    await store.insert([makeRecord({ ts: 1000 }), makeRecord({ ts: 5000 })]);
    expect(await store.deleteBefore!(new Date(2000))).toBe(1);
    expect((await store.summarize({ groupBy: [] })).totals.requests).toBe(1);
  });
}
