import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { UsageRecord } from "./usage-record.ts";

/**
 * A local, bounded, append-only queue of usage rows on their way to the shared store: one SQLite
 * file in WAL mode. Rows are appended as they are made and removed only once the store has them,
 * so a crash, a store outage or a start without the store loses none. Rows are shipped again
 * after a crash between the store's commit and their removal; the store's unique record_id keeps
 * one copy. Several processes may share one file (SQLite locks it; the store drops repeats).
 */
export class UsageSpool {
  private readonly db: Database;
  private readonly appendMany: (rows: UsageRecord[]) => void;
  private rowCount: number;
  private readonly pageSize: number;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
  ) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { create: true, strict: true });
    this.db.run("PRAGMA journal_mode = WAL");
    // NORMAL: a committed row survives a process crash (SIGKILL); only power loss may lose the last.
    this.db.run("PRAGMA synchronous = NORMAL");
    this.db.run("PRAGMA busy_timeout = 5000");
    this.db.run(
      "CREATE TABLE IF NOT EXISTS usage_spool (seq INTEGER PRIMARY KEY AUTOINCREMENT, row TEXT NOT NULL)",
    );
    const insert = this.db.prepare("INSERT INTO usage_spool (row) VALUES (?)");
    this.appendMany = this.db.transaction((rows: UsageRecord[]) => {
      for (const row of rows) insert.run(JSON.stringify(row));
    });
    this.pageSize = (this.db.query("PRAGMA page_size").get() as { page_size: number }).page_size;
    this.rowCount = this.countRows();
  }

  /** Rows waiting (this process's view; other processes sharing the file may add or ship some). */
  get size(): number {
    return this.rowCount;
  }

  /** Appends rows in one transaction; false (nothing kept) when the file is at its size bound. */
  append(rows: UsageRecord[]): boolean {
    if (rows.length === 0) return true;
    if (this.bytes() >= this.maxBytes) return false;
    this.appendMany(rows);
    this.rowCount += rows.length;
    return true;
  }

  /** The oldest rows, up to `limit`, and the sequence number to remove them by once shipped. */
  peek(limit: number): { rows: UsageRecord[]; lastSeq: number } {
    const found = this.db.query("SELECT seq, row FROM usage_spool ORDER BY seq LIMIT ?").all(limit) as Array<{
      seq: number;
      row: string;
    }>;
    return {
      rows: found.map((r) => JSON.parse(r.row) as UsageRecord),
      lastSeq: found.length > 0 ? found[found.length - 1]!.seq : 0,
    };
  }

  /** Removes the rows up to `lastSeq` (the store has them). */
  remove(lastSeq: number): void {
    this.db.query("DELETE FROM usage_spool WHERE seq <= ?").run(lastSeq);
    this.rowCount = this.countRows();
  }

  /** Bytes in use: pages in use (free pages are reused before the file grows) plus the WAL. */
  bytes(): number {
    const pages = (this.db.query("PRAGMA page_count").get() as { page_count: number }).page_count;
    const free = (this.db.query("PRAGMA freelist_count").get() as { freelist_count: number }).freelist_count;
    return (pages - free) * this.pageSize;
  }

  close(): void {
    this.db.close();
  }

  private countRows(): number {
    return (this.db.query("SELECT COUNT(*) AS n FROM usage_spool").get() as { n: number }).n;
  }
}
