import { describe, expect, test } from "bun:test";
import type { UsageRecord } from "../../src/usage/usage-record.ts";
import { UsageRecorder } from "../../src/usage/usage-recorder.ts";
import type { UsageStore } from "../../src/usage/usage-store.ts";
import { makeRecord } from "./outcome-fixture.ts";

/** A store whose behaviour a test switches: working, failing, or hanging until released. */
class FakeStore implements UsageStore {
  rows: UsageRecord[] = [];
  inserts: number[] = [];
  mode: "ok" | "fail" | "hang" = "ok";
  closed = false;
  private hung: Array<() => void> = [];

  async insert(rows: UsageRecord[]): Promise<void> {
    this.inserts.push(rows.length);
    if (this.mode === "fail") throw new Error("database is down");
    if (this.mode === "hang") await new Promise<void>((resolve) => this.hung.push(resolve));
    this.rows.push(...rows);
  }
  async summarize(): Promise<never> {
    throw new Error("unused");
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  unhang(): void {
    for (const resolve of this.hung.splice(0)) resolve();
  }
}

const rec = (i: number) => makeRecord({ requestId: `r${i}` });

describe("UsageRecorder", () => {
  test("writes in batches off the request path and flushes on close", async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store, { batchSize: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 7; i++) recorder.record(rec(i));
    await recorder.close();
    expect(store.rows.map((r) => r.requestId)).toEqual(["r0", "r1", "r2", "r3", "r4", "r5", "r6"]);
    expect(store.inserts.every((n) => n <= 3)).toBe(true);
    expect(recorder.stats()).toEqual({ buffered: 0, dropped: 0, written: 7, failedWrites: 0 });
    expect(store.closed).toBe(false); // the store's owner closes it
  });

  test("the timer flushes without being asked", async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store, { flushIntervalMs: 20 });
    recorder.record(rec(1));
    expect(store.rows).toHaveLength(0); // never written synchronously
    await Bun.sleep(80);
    expect(store.rows).toHaveLength(1);
    await recorder.close();
  });

  test("a failing store never throws into record(); rows are kept and retried", async () => {
    const store = new FakeStore();
    store.mode = "fail";
    const recorder = new UsageRecorder(store, { flushIntervalMs: 60_000 });
    recorder.record(rec(1));
    recorder.record(rec(2));
    await recorder.flush();
    expect(recorder.stats()).toEqual({ buffered: 2, dropped: 0, written: 0, failedWrites: 1 });
    store.mode = "ok";
    recorder.record(rec(3));
    await recorder.flush();
    expect(store.rows.map((r) => r.requestId)).toEqual(["r1", "r2", "r3"]);
    expect(recorder.stats()).toEqual({ buffered: 0, dropped: 0, written: 3, failedWrites: 1 });
    await recorder.close();
  });

  test("a hanging store: record() returns at once, the buffer is bounded, drops are counted", async () => {
    const store = new FakeStore();
    store.mode = "hang";
    const recorder = new UsageRecorder(store, {
      maxBuffer: 5,
      batchSize: 2,
      flushIntervalMs: 5,
      writeTimeoutMs: 60_000,
    });
    const started = performance.now();
    for (let i = 0; i < 20; i++) recorder.record(rec(i));
    expect(performance.now() - started).toBeLessThan(50);
    await Bun.sleep(30);
    // 5 rows fit (maxBuffer), 15 are dropped; the first batch of 2 is now stuck in the store.
    expect(recorder.stats()).toEqual({ buffered: 3, dropped: 15, written: 0, failedWrites: 0 });
    expect(store.inserts).toEqual([2]); // timer ticks during the hang don't pile up writes
    store.mode = "ok";
    store.unhang();
    await recorder.close();
    expect(store.rows.map((r) => r.requestId)).toEqual(["r0", "r1", "r2", "r3", "r4"]);
    expect(recorder.stats()).toEqual({ buffered: 0, dropped: 15, written: 5, failedWrites: 0 });
  });

  test("a write that outlives the timeout counts as failed; none starts until it settles; then the rows are retried", async () => {
    const store = new FakeStore();
    store.mode = "hang";
    const recorder = new UsageRecorder(store, { flushIntervalMs: 60_000, writeTimeoutMs: 20 });
    recorder.record(rec(1));
    await recorder.flush();
    expect(recorder.stats()).toMatchObject({ buffered: 1, failedWrites: 1 });
    // A table lock: the timed-out insert still waits in the store; the same batch is not sent again.
    await recorder.flush();
    await recorder.flush();
    expect(store.inserts).toEqual([1]);
    store.mode = "ok";
    store.unhang();
    await Bun.sleep(1);
    await recorder.flush();
    expect(store.inserts).toEqual([1, 1]);
    expect(recorder.stats()).toMatchObject({ buffered: 0, written: 1 });
    await recorder.close();
  });

  test("a timed-out write that never settles is given up on after six write timeouts", async () => {
    const store = new FakeStore();
    store.mode = "hang";
    const recorder = new UsageRecorder(store, { flushIntervalMs: 60_000, writeTimeoutMs: 20 });
    recorder.record(rec(1));
    await recorder.flush();
    await recorder.flush();
    expect(store.inserts).toEqual([1]);
    await Bun.sleep(130);
    store.mode = "ok";
    await recorder.flush();
    expect(store.inserts).toEqual([1, 1]);
    expect(recorder.stats()).toMatchObject({ buffered: 0, written: 1 });
    store.unhang();
    await recorder.close();
  });

  test("close() against a dead store ends (bounded by the write timeout) and counts the loss", async () => {
    const store = new FakeStore();
    store.mode = "fail";
    const recorder = new UsageRecorder(store, { flushIntervalMs: 60_000 });
    recorder.record(rec(1));
    recorder.record(rec(2));
    await recorder.close();
    expect(recorder.stats()).toEqual({ buffered: 0, dropped: 2, written: 0, failedWrites: 1 });
    recorder.record(rec(3)); // after close: ignored, not buffered
    expect(recorder.stats().buffered).toBe(0);
  });

  test("failed batches go back in front, keeping order", async () => {
    const store = new FakeStore();
    const recorder = new UsageRecorder(store, { batchSize: 2, flushIntervalMs: 60_000 });
    store.mode = "fail";
    for (let i = 0; i < 4; i++) recorder.record(rec(i));
    await recorder.flush();
    store.mode = "ok";
    await recorder.close();
    expect(store.rows.map((r) => r.requestId)).toEqual(["r0", "r1", "r2", "r3"]);
  });

  test("a null store (usage off) accepts and ignores records", async () => {
    const recorder = new UsageRecorder(null);
    recorder.record(rec(1));
    await recorder.flush();
    await recorder.close();
    expect(recorder.stats()).toEqual({ buffered: 0, dropped: 0, written: 0, failedWrites: 0 });
  });
});
