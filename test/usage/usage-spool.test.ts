// Issue 17 item 5: rows go through a local spool file, so a crash, an outage or a start without
// the store loses none; the spool is bounded on disk and says when it is used and when it drains.
import { afterAll, describe, expect, test } from "bun:test";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import type { UsageRecord } from "../../src/usage/usage-record.ts";
import { UsageRecorder } from "../../src/usage/usage-recorder.ts";
import { spoolJournalPath, UsageSpool } from "../../src/usage/usage-spool.ts";
import type { UsageStore } from "../../src/usage/usage-store.ts";
import { makeRecord } from "./outcome-fixture.ts";

const dir = mkdtempSync(join(tmpdir(), "switchboard-spool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const spoolPath = () => join(dir, `spool-${n++}.db`);

/** A store that can be down; `commitThenFail`: it keeps the rows but its answer is lost. */
class SwitchableStore implements UsageStore {
  rows: UsageRecord[] = [];
  mode: "ok" | "down" | "commitThenFail" = "ok";
  async insert(rows: UsageRecord[]): Promise<void> {
    if (this.mode === "down") throw new Error("ECONNREFUSED");
    this.rows.push(...rows);
    if (this.mode === "commitThenFail") throw new Error("connection reset after commit");
  }
  async summarize(): Promise<never> {
    throw new Error("unused");
  }
  async close(): Promise<void> {}
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("UsageSpool", () => {
  test("keeps rows in order across a reopen; removes only what was shipped", () => {
    const path = spoolPath();
    const spool = new UsageSpool(path, 1 << 30);
    expect(spool.append([makeRecord({ requestId: "a" }), makeRecord({ requestId: "b" })])).toBe(true);
    expect(spool.append([makeRecord({ requestId: "c" })])).toBe(true);
    spool.close();
    const again = new UsageSpool(path, 1 << 30);
    expect(again.size).toBe(3);
    const { rows, lastSeq } = again.peek(2);
    expect(rows.map((r) => r.requestId)).toEqual(["a", "b"]);
    again.remove(lastSeq);
    expect(again.peek(10).rows.map((r) => r.requestId)).toEqual(["c"]);
    expect(again.size).toBe(1);
    again.close();
  });

  test("bounded on disk: past the limit append keeps nothing and says so", () => {
    const spool = new UsageSpool(spoolPath(), 64 * 1024);
    let refused = 0;
    for (let i = 0; i < 200 && refused === 0; i++) {
      if (!spool.append(Array.from({ length: 20 }, () => makeRecord({ attemptsJson: "x".repeat(200) }))))
        refused++;
    }
    expect(refused).toBe(1);
    expect(spool.bytes()).toBeLessThan(64 * 1024 + 32 * 1024);
    spool.close();
  });
});

describe("the spool's journal (a crash after the answer)", () => {
  test("rows recorded in the turn the process is SIGKILLed in are in the spool at the next start", async () => {
    const path = spoolPath();
    // A process that records 3 rows and dies in the same turn: the turn's end never comes.
    const script = `
      const { UsageRecorder } = await import(${JSON.stringify(join(import.meta.dir, "../../src/usage/usage-recorder.ts"))});
      const { UsageSpool } = await import(${JSON.stringify(join(import.meta.dir, "../../src/usage/usage-spool.ts"))});
      const { makeRecord } = await import(${JSON.stringify(join(import.meta.dir, "outcome-fixture.ts"))});
      const store = { insert: async () => {}, summarize: async () => { throw new Error(); }, close: async () => {} };
      const recorder = new UsageRecorder(store, { spool: new UsageSpool(${JSON.stringify(path)}, 1 << 30) });
      for (const id of ["k1", "k2", "k3"]) recorder.record(makeRecord({ requestId: id }));
      process.kill(process.pid, "SIGKILL");
    `;
    const child = Bun.spawn([process.execPath, "-e", script], { stderr: "pipe" });
    expect(await child.exited).not.toBe(0);
    expect(child.signalCode).toBe("SIGKILL");
    const journals = readdirSync(dir).filter((name) => name.startsWith(`${basename(path)}.pending-`));
    expect(journals).toEqual([basename(spoolJournalPath(path, child.pid))]);

    const again = new UsageSpool(path, 1 << 30);
    expect(again.peek(10).rows.map((r) => r.requestId)).toEqual(["k1", "k2", "k3"]);
    expect(readdirSync(dir).filter((name) => name.startsWith(`${basename(path)}.pending-`))).toEqual([]);
    again.close();
  });

  test("a live process's journal is left to it; a line cut by a crash is skipped", async () => {
    const path = spoolPath();
    const alive = Bun.spawn(["sleep", "30"]);
    const line = (id: string) => JSON.stringify(makeRecord({ requestId: id }));
    writeFileSync(`${path}.pending-${alive.pid}`, `${line("live")}\n`);
    const first = new UsageSpool(path, 1 << 30);
    expect(first.size).toBe(0);
    first.close();
    alive.kill("SIGKILL");
    await alive.exited;
    appendFileSync(`${path}.pending-${alive.pid}`, line("cut").slice(0, 40));
    const second = new UsageSpool(path, 1 << 30);
    expect(second.peek(10).rows.map((r) => r.requestId)).toEqual(["live"]);
    second.close();
  });

  test("another host's journal (a shared volume): taken only once it has held rows for 10 s", () => {
    const path = spoolPath();
    const line = (id: string) => JSON.stringify(makeRecord({ requestId: id }));
    const stale = `${path}.pending-other-host-1`;
    const fresh = `${path}.pending-third-host-1`;
    const idle = `${path}.pending-fourth-host-1`;
    writeFileSync(stale, `${line("stale")}\n`);
    writeFileSync(fresh, `${line("fresh")}\n`);
    writeFileSync(idle, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(stale, old, old);
    utimesSync(idle, old, old);
    const spool = new UsageSpool(path, 1 << 30);
    expect(spool.peek(10).rows.map((r) => r.requestId)).toEqual(["stale"]);
    expect([existsSync(stale), existsSync(fresh), existsSync(idle)]).toEqual([false, true, true]);
    spool.close();
  });

  test("a clean run leaves no journal behind", async () => {
    const path = spoolPath();
    const recorder = new UsageRecorder(new SwitchableStore(), { spool: new UsageSpool(path, 1 << 30) });
    recorder.record(makeRecord({ requestId: "j1" }));
    expect(readFileSync(spoolJournalPath(path), "utf8")).toContain('"j1"');
    await tick();
    expect(readFileSync(spoolJournalPath(path), "utf8")).toBe("");
    await recorder.close();
    expect(existsSync(spoolJournalPath(path))).toBe(false);
  });
});

describe("UsageRecorder with a spool", () => {
  test("store down: rows are held in the spool (told once), shipped when it is back (told once)", async () => {
    const store = new SwitchableStore();
    store.mode = "down";
    const logs: string[] = [];
    const spool = new UsageSpool(spoolPath(), 1 << 30);
    const recorder = new UsageRecorder(store, {
      spool,
      flushIntervalMs: 60_000,
      log: (msg) => logs.push(msg),
    });
    for (let i = 0; i < 30; i++) recorder.record(makeRecord({ requestId: `r${i}` }));
    await tick();
    expect(spool.size).toBe(30); // on disk by the end of the turn they were made in
    await recorder.flush();
    await recorder.flush();
    expect(recorder.stats()).toMatchObject({ buffered: 30, spooled: 30, written: 0, dropped: 0 });
    expect(logs).toEqual(["usage rows held in the spool until the store answers"]);
    store.mode = "ok";
    await recorder.flush();
    expect(store.rows.map((r) => r.requestId)).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`));
    expect(recorder.stats()).toMatchObject({ buffered: 0, spooled: 0, written: 30, dropped: 0 });
    expect(logs).toEqual(["usage rows held in the spool until the store answers", "usage spool drained"]);
    await recorder.close();
  });

  test("stopped while the store is down: nothing is dropped; the next start ships the rows", async () => {
    const path = spoolPath();
    const store = new SwitchableStore();
    store.mode = "down";
    const first = new UsageRecorder(store, { spool: new UsageSpool(path, 1 << 30), writeTimeoutMs: 100 });
    for (let i = 0; i < 5; i++) first.record(makeRecord({ requestId: `s${i}` }));
    await first.close();
    expect(first.stats().dropped).toBe(0);

    store.mode = "ok";
    const logs: string[] = [];
    const second = new UsageRecorder(store, {
      spool: new UsageSpool(path, 1 << 30),
      log: (msg) => logs.push(msg),
    });
    expect(logs).toEqual(["usage spool has rows from an earlier run; shipping them"]);
    await second.flush();
    expect(store.rows).toHaveLength(5);
    await second.close();
  });

  test("a batch the store committed but did not confirm is shipped again and kept once", async () => {
    const sqlite = new SqliteUsageStore(join(dir, "store.db"));
    let fail = true;
    const flaky: UsageStore = {
      insert: async (rows) => {
        await sqlite.insert(rows);
        if (fail) throw new Error("timeout after commit");
      },
      summarize: (q) => sqlite.summarize(q),
      close: async () => {},
    };
    const recorder = new UsageRecorder(flaky, { spool: new UsageSpool(spoolPath(), 1 << 30) });
    for (let i = 0; i < 10; i++) recorder.record(makeRecord({ requestId: `d${i}` }));
    await tick();
    await recorder.flush();
    fail = false;
    await recorder.flush();
    expect((await sqlite.summarize({ groupBy: [] })).totals.requests).toBe(10);
    await recorder.close();
    await sqlite.close();
  });

  test("a full spool drops new rows, counted and told once", async () => {
    const store = new SwitchableStore();
    store.mode = "down";
    const logs: string[] = [];
    const recorder = new UsageRecorder(store, {
      spool: new UsageSpool(spoolPath(), 32 * 1024),
      flushIntervalMs: 60_000,
      log: (msg) => logs.push(msg),
    });
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 20; i++) recorder.record(makeRecord({ attemptsJson: "y".repeat(300) }));
      await tick();
    }
    expect(recorder.stats().dropped).toBeGreaterThan(0);
    expect(logs.filter((l) => l.startsWith("usage spool full"))).toHaveLength(1);
    await recorder.close();
  });
});
