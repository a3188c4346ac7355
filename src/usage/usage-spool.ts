import { Database } from "bun:sqlite";
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import type { UsageRecord } from "./usage-record.ts";

/**
 * A local, bounded, append-only queue of usage rows on their way to the shared store: one SQLite
 * file in WAL mode. Rows are appended as they are made and removed only once the store has them,
 * so a crash, a store outage or a start without the store loses none. Rows are shipped again
 * after a crash between the store's commit and their removal; the store's unique record_id keeps
 * one copy. Several processes may share one file (SQLite locks it; the store drops repeats).
 *
 * Before a row joins the SQLite file (once per event-loop turn, in one transaction) it is written
 * to this process's journal, `<path>.pending-<host>-<pid>`, with one write(2) at the moment it is made:
 * before the client has the end of its answer. A SIGKILL cannot take back a write the kernel has,
 * so no answered request's row is lost with the process; the next start (of any process using the
 * spool) moves a dead process's journal into the file. A transaction per row would cost ~25 µs of
 * CPU each; the journal write costs a few (docs/operations.md).
 */
export class UsageSpool {
  private readonly db: Database;
  private readonly appendMany: (lines: string[]) => void;
  private rowCount: number;
  private readonly pageSize: number;
  /** This process's journal: null for an in-memory spool (nothing outlives the process anyway). */
  private readonly journalPath: string | null;
  private journalFd: number | null = null;
  private journalDirty = false;

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
    this.appendMany = this.db.transaction((lines: string[]) => {
      for (const line of lines) insert.run(line);
    });
    this.pageSize = (this.db.query("PRAGMA page_size").get() as { page_size: number }).page_size;
    this.journalPath = path === ":memory:" ? null : spoolJournalPath(path);
    if (this.journalPath) this.recoverJournals(path);
    this.rowCount = this.countRows();
  }

  /**
   * Writes the row to the journal now (one write(2)) and returns it serialized, for append. Throws
   * when the journal cannot be written (the row is still appended at the turn's end).
   */
  journal(row: UsageRecord): string {
    const line = JSON.stringify(row);
    if (!this.journalPath) return line;
    this.journalFd ??= openSync(this.journalPath, "a");
    writeSync(this.journalFd, `${line}\n`);
    this.journalDirty = true;
    return line;
  }

  /** Rows waiting (this process's view; other processes sharing the file may add or ship some). */
  get size(): number {
    return this.rowCount;
  }

  /** Appends rows in one transaction; false (nothing kept) when the file is at its size bound. */
  append(rows: UsageRecord[]): boolean {
    return this.appendSerialized(rows.map((row) => JSON.stringify(row)));
  }

  /**
   * Appends serialized rows (from journal()) in one transaction, then empties the journal: every
   * journaled row is now in the file, or was refused (false: the file is at its size bound).
   */
  appendSerialized(lines: string[]): boolean {
    if (lines.length === 0) return true;
    const kept = this.bytes() < this.maxBytes;
    if (kept) {
      this.appendMany(lines);
      this.rowCount += lines.length;
    }
    this.emptyJournal();
    return kept;
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
    if (this.journalFd !== null) {
      closeSync(this.journalFd);
      this.journalFd = null;
      // Empty unless rows were journaled after the last append: then the next start takes them.
      if (!this.journalDirty && this.journalPath) removeFile(this.journalPath);
    }
    this.db.close();
  }

  private emptyJournal(): void {
    if (this.journalFd === null || !this.journalDirty) return;
    ftruncateSync(this.journalFd, 0);
    this.journalDirty = false;
  }

  /**
   * Moves the journals of processes that are gone into the file. On this host (the same hostname:
   * one pid namespace, as a rule) a journal is taken when its pid no longer runs, or is this very
   * pid (left by an earlier process that had it: a container's pid 1). Another host's journal (a
   * spool on a shared volume) cannot be checked that way: it is taken only once it has held rows
   * for STALE_JOURNAL_MS, which a running process never lets happen (it empties its journal every
   * event-loop turn). A line the crash cut is skipped. A crash between the insert and the unlink
   * ships those rows twice; the store keeps one (record_id). A journal that cannot be read is left.
   */
  private recoverJournals(path: string): void {
    const prefix = `${basename(path)}.pending-`;
    const dir = dirname(path);
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix)) continue;
      const file = join(dir, name);
      try {
        if (!this.isAbandoned(name.slice(prefix.length), file)) continue;
        const lines = readFileSync(file, "utf8")
          .split("\n")
          .filter((line) => line !== "" && isJson(line));
        if (lines.length > 0) this.appendMany(lines);
        removeFile(file);
      } catch {
        // Unreadable (another user's), or gone meanwhile: left to whoever can take it.
      }
    }
  }

  /** Whether the journal named `<host>-<pid>` (or `<pid>`, before hosts were named) has no live owner. */
  private isAbandoned(owner: string, file: string): boolean {
    const dash = owner.lastIndexOf("-");
    const host = dash === -1 ? JOURNAL_HOST : owner.slice(0, dash);
    const pid = Number(owner.slice(dash + 1));
    if (!Number.isInteger(pid)) return false;
    if (host === JOURNAL_HOST) return pid === process.pid || !isAlive(pid);
    const stat = statSync(file);
    return stat.size > 0 && Date.now() - stat.mtimeMs > STALE_JOURNAL_MS;
  }

  private countRows(): number {
    return (this.db.query("SELECT COUNT(*) AS n FROM usage_spool").get() as { n: number }).n;
  }
}

/** The journal of the process `pid` on this host, for the spool at `path`. */
export function spoolJournalPath(path: string, pid = process.pid): string {
  return `${path}.pending-${JOURNAL_HOST}-${pid}`;
}

/** This host's name as it appears in journal names (filename-safe). */
const JOURNAL_HOST =
  hostname()
    .replace(/[^A-Za-z0-9_.]/g, "_")
    .slice(0, 64) || "host";
/** Another host's journal that has held rows this long has no running owner. */
const STALE_JOURNAL_MS = 10_000;

function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as { code?: string }).code === "EPERM";
  }
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
