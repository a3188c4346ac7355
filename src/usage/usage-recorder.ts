import type { UsageRecord } from "./usage-record.ts";
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
}

export interface UsageRecorderStats {
  buffered: number;
  dropped: number;
  written: number;
  failedWrites: number;
}

/**
 * Takes usage rows from the request path and writes them to the store in batches, off that
 * path. record() never awaits, never throws; a store that fails or hangs only grows the bounded
 * buffer (rows past maxBuffer are dropped and counted) and is retried on the next tick.
 */
export class UsageRecorder {
  private buffer: UsageRecord[] = [];
  private dropped = 0;
  private written = 0;
  private failedWrites = 0;
  private readonly maxBuffer: number;
  private readonly batchSize: number;
  private readonly writeTimeoutMs: number;
  private readonly timer: ReturnType<typeof setInterval> | null = null;
  private inFlight: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly store: UsageStore | null,
    options: UsageRecorderOptions = {},
  ) {
    this.maxBuffer = options.maxBuffer ?? 10_000;
    this.batchSize = options.batchSize ?? 500;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    if (store) {
      // A tick while a write is still running (a hanging store) is skipped, not queued.
      this.timer = setInterval(() => {
        if (!this.inFlight && this.buffer.length > 0) void this.flush();
      }, options.flushIntervalMs ?? 1000);
      // The timer must not keep the process alive on its own (close() does the final flush).
      this.timer.unref?.();
    }
  }

  record(row: UsageRecord): void {
    if (!this.store || this.closed) return;
    if (this.buffer.length >= this.maxBuffer) {
      this.dropped++;
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
    await this.flush();
    if (this.buffer.length > 0) {
      // The store refused the final write: these rows are lost; say so in the counters.
      this.dropped += this.buffer.length;
      this.buffer = [];
    }
  }

  stats(): UsageRecorderStats {
    return {
      buffered: this.buffer.length,
      dropped: this.dropped,
      written: this.written,
      failedWrites: this.failedWrites,
    };
  }

  private async drain(): Promise<void> {
    const store = this.store!;
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.batchSize);
      try {
        await withTimeout(store.insert(batch), this.writeTimeoutMs);
        this.written += batch.length;
      } catch {
        this.failedWrites++;
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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`usage store write timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
