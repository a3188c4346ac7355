import { waitAtMost, withTimeout } from "../async/with-timeout.ts";
import { reasonOf, type StoreHealth } from "../observe/store-health.ts";
import type { UsageRecord } from "./usage-record.ts";
import type { UsageSpool } from "./usage-spool.ts";
import type { UsageStore } from "./usage-store.ts";

export interface UsageRecorderOptions {
  /** Rows kept in memory while the store is slow or down; beyond it new rows are dropped. */
  maxBuffer?: number;
  /** How often buffered rows are written. */
  flushIntervalMs?: number;
  /** Rows per store.insert call; a full batch is written at once, without waiting for the timer. */
  batchSize?: number;
  /** A store write taking longer than this counts as failed (its rows are retried). */
  writeTimeoutMs?: number;
  /** Told when writes start failing and when they work again. */
  health?: StoreHealth;
  /**
   * Rows go to this local file (at the end of the event-loop turn they were made in) and from it
   * to the store, instead of to the memory buffer: they survive a crash, an outage and a restart.
   */
  spool?: UsageSpool;
  /** Where the spool's use is told: rows held while the store is down, drained, full. */
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

export interface UsageRecorderStats {
  /** Rows not yet in the store (memory and spool). */
  buffered: number;
  dropped: number;
  written: number;
  failedWrites: number;
  /** Of `buffered`, the rows in the spool file; absent without a spool. */
  spooled?: number;
}

/**
 * Takes usage rows from the request path and writes them to the store in batches, off that
 * path. record() never awaits, never throws; a store that fails or hangs only grows the bounded
 * buffer (rows past maxBuffer are dropped and counted) and is retried on the next tick. With a
 * spool, the buffer is the spool file (bounded on disk) and rows outlive the process.
 */
export class UsageRecorder {
  private buffer: UsageRecord[] = [];
  private dropped = 0;
  private written = 0;
  private failedWrites = 0;
  private readonly maxBuffer: number;
  private readonly batchSize: number;
  private readonly writeTimeoutMs: number;
  private readonly writeTimedOut = () =>
    new Error(`usage store write timed out after ${this.writeTimeoutMs} ms`);
  private readonly timer: ReturnType<typeof setInterval> | null = null;
  private inFlight: Promise<void> | null = null;
  private closed = false;
  private readonly health: StoreHealth | undefined;
  private readonly spool: UsageSpool | undefined;
  private readonly log: (msg: string, fields: Record<string, unknown>) => void;
  /** Rows of this event-loop turn (journaled, serialized), spooled together at its end. */
  private pending: string[] = [];
  private spoolScheduled = false;
  /** Told once per episode: rows held while the store fails, a full spool. */
  private holding = false;
  private full = false;
  private spoolClosed = false;
  private journalFailed = false;
  /** A write that timed out and has not settled yet. */
  private unsettled: { since: number } | null = null;

  constructor(
    private readonly store: UsageStore | null,
    options: UsageRecorderOptions = {},
  ) {
    this.maxBuffer = options.maxBuffer ?? 10_000;
    this.batchSize = options.batchSize ?? 500;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.health = options.health;
    this.spool = store ? options.spool : undefined;
    this.log = options.log ?? (() => {});
    if (this.spool && this.spool.size > 0) {
      this.log("usage spool has rows from an earlier run; shipping them", {
        path: this.spool.path,
        rows: this.spool.size,
      });
      this.holding = true;
    }
    if (store) {
      // A tick while a write is still running (a hanging store) is skipped, not queued.
      this.timer = setInterval(() => {
        if (!this.inFlight && this.waiting() > 0) void this.flush();
      }, options.flushIntervalMs ?? 1000);
      // The timer must not keep the process alive on its own (close() does the final flush).
      this.timer.unref?.();
    }
  }

  record(row: UsageRecord): void {
    if (!this.store) return;
    // A row after close() is lost: count it, so a drain that closed too early shows.
    if (this.closed || this.buffer.length >= this.maxBuffer) {
      this.dropped++;
      return;
    }
    if (this.spool) {
      this.pending.push(this.journaled(this.spool, row));
      if (!this.spoolScheduled) {
        this.spoolScheduled = true;
        setImmediate(() => this.spoolPending());
      }
      return;
    }
    this.buffer.push(row);
    if (this.buffer.length >= this.batchSize && !this.inFlight) void this.flush();
  }

  /** Writes what is buffered now; resolves when done or when a write fails (rows kept for later). */
  flush(): Promise<void> {
    if (!this.store) return Promise.resolve();
    // One writer at a time; a flush asked for during a write runs right after it.
    const previous = this.inFlight ?? Promise.resolve();
    const next = previous.then(() => this.drain());
    this.inFlight = next;
    void next.finally(() => {
      if (this.inFlight === next) this.inFlight = null;
    });
    return next;
  }

  /**
   * Stops taking rows and writes everything buffered (for SIGTERM drain). The store stays open:
   * whoever opened it closes it.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (!this.store) return;
    if (this.spool) {
      // Rows on disk are safe: wait a little for the store, not the whole write timeout.
      await waitAtMost(this.flush(), SPOOL_CLOSE_WAIT_MS);
      this.spoolPending();
      this.spoolClosed = true;
      // Kept on disk, not lost: the next start ships them.
      if (this.spool.size > 0) {
        this.log("usage rows left in the spool at stop; the next start ships them", {
          path: this.spool.path,
          rows: this.spool.size,
        });
      }
      this.spool.close();
      return;
    }
    await this.flush();
    if (this.buffer.length > 0) {
      // The store refused the final write: these rows are lost; say so in the counters.
      this.dropped += this.buffer.length;
      this.buffer = [];
    }
  }

  stats(): UsageRecorderStats {
    const stats: UsageRecorderStats = {
      buffered: this.waiting(),
      dropped: this.dropped,
      written: this.written,
      failedWrites: this.failedWrites,
    };
    if (this.spool) stats.spooled = this.closed ? 0 : this.spool.size;
    return stats;
  }

  private waiting(): number {
    if (!this.spool) return this.buffer.length;
    return this.pending.length + (this.closed ? 0 : this.spool.size);
  }

  /** The row written to the spool's journal now (so a crash after the answer keeps it), serialized. */
  private journaled(spool: UsageSpool, row: UsageRecord): string {
    try {
      return spool.journal(row);
    } catch (error) {
      if (!this.journalFailed) {
        this.journalFailed = true;
        this.log("usage spool journal write failed; rows wait in memory until the turn ends", {
          path: spool.path,
          error: reasonOf(error),
        });
      }
      return JSON.stringify(row);
    }
  }

  /** Appends this turn's rows to the spool in one transaction; a full spool drops them, counted. */
  private spoolPending(): void {
    this.spoolScheduled = false;
    const spool = this.spool;
    if (!spool || this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    let kept = false;
    try {
      kept = spool.appendSerialized(rows);
    } catch (error) {
      this.log("usage spool write failed; rows dropped", { rows: rows.length, error: reasonOf(error) });
    }
    if (!kept) {
      this.dropped += rows.length;
      if (!this.full) {
        this.full = true;
        this.log("usage spool full; new rows are dropped until the store takes some", {
          path: spool.path,
          rows: spool.size,
        });
      }
      return;
    }
    this.full = false;
    if (spool.size >= this.batchSize && !this.inFlight) void this.flush();
  }

  /** Ships the spool to the store, oldest first; a row leaves the spool only once the store has it. */
  private async drainSpool(spool: UsageSpool): Promise<void> {
    const store = this.store!;
    this.spoolPending();
    let shipped = 0;
    for (;;) {
      if (this.spoolClosed) return;
      const { rows, lastSeq } = spool.peek(this.batchSize);
      if (rows.length === 0) break;
      try {
        await this.insert(store, rows);
      } catch (error) {
        if (this.spoolClosed) return;
        this.failedWrites++;
        this.health?.markDown(reasonOf(error));
        this.health?.countFallback();
        if (!this.holding) {
          this.holding = true;
          this.log("usage rows held in the spool until the store answers", {
            path: spool.path,
            rows: spool.size,
          });
        }
        return;
      }
      // Closed meanwhile (a stop that did not wait): the next start ships them again, kept once.
      if (this.spoolClosed) return;
      spool.remove(lastSeq);
      this.written += rows.length;
      shipped += rows.length;
      this.health?.markUp();
    }
    if (this.holding && spool.size === 0) {
      this.holding = false;
      this.log("usage spool drained", { path: spool.path, shipped });
    }
  }

  /**
   * One store write under the write timeout. A write that timed out may still be running (a table
   * lock): until it settles no other starts, so a long lock does not pile the same batch up in
   * the store's connection pool once a tick; after STUCK_WRITES_AFTER timeouts' worth of waiting
   * (a connection that will never answer) writes start again.
   */
  private async insert(store: UsageStore, rows: UsageRecord[]): Promise<void> {
    const write = store.insert(rows);
    try {
      await withTimeout(write, this.writeTimeoutMs, this.writeTimedOut);
    } catch (error) {
      const unsettled = { since: Date.now() };
      this.unsettled = unsettled;
      const settle = () => {
        if (this.unsettled === unsettled) this.unsettled = null;
      };
      write.then(settle, settle);
      throw error;
    }
  }

  /** Whether an earlier write that timed out is still running (and not yet given up on). */
  private waitingForUnsettledWrite(): boolean {
    if (!this.unsettled) return false;
    if (Date.now() - this.unsettled.since < this.writeTimeoutMs * STUCK_WRITES_AFTER) return true;
    this.unsettled = null;
    return false;
  }

  private async drain(): Promise<void> {
    // At close the last write is tried regardless (the recorder is about to let go of its rows).
    if (!this.closed && this.waitingForUnsettledWrite()) return;
    if (this.spool) return this.drainSpool(this.spool);
    const store = this.store!;
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.batchSize);
      try {
        await this.insert(store, batch);
        this.written += batch.length;
        this.health?.markUp();
      } catch (error) {
        this.failedWrites++;
        this.health?.markDown(reasonOf(error));
        this.health?.countFallback();
        // Put the batch back in front; rows that no longer fit are dropped, oldest kept.
        const room = Math.max(0, this.maxBuffer - this.buffer.length);
        const kept = batch.slice(0, room);
        this.dropped += batch.length - kept.length;
        this.buffer = kept.concat(this.buffer);
        return;
      }
    }
  }
}

const SPOOL_CLOSE_WAIT_MS = 2000;
/** A timed-out write still running after this many write timeouts is given up on. */
const STUCK_WRITES_AFTER = 6;
