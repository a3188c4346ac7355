import type { ResponseStateStore, StoredResponse } from "./response-state-store.ts";
import { SchemaBehindError } from "./usage-migrations.ts";
import type { UsageQuery, UsageSummary } from "./usage-query.ts";
import type { UsageReader } from "./usage-reader.ts";
import type { UsageRecord } from "./usage-record.ts";
import type { UsageStore } from "./usage-store.ts";

type OpenedStore = UsageStore & ResponseStateStore & UsageReader;

/**
 * A store that is opened in the background and again until it opens: the gateway starts and
 * serves while the database is down (rows wait in the spool), and every call made before it is
 * open fails at once with the reason, as a store that is down does.
 */
export class DeferredUsageStore implements UsageStore, ResponseStateStore, UsageReader {
  /** The console's queries (UsageReader): the only kind opened this way is PostgreSQL. */
  readonly dialect = "postgres" as const;
  private store: OpenedStore | null = null;
  private lastError: unknown = new Error("not connected yet");
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** Settles with the first attempt's outcome (the caller may wait for it, bounded). */
  readonly firstAttempt: Promise<void>;

  constructor(
    private readonly open: () => Promise<OpenedStore>,
    private readonly events: {
      retryMs?: number;
      onOpen?: () => void;
      onOpenFailure?: (error: unknown) => void;
    } = {},
  ) {
    this.firstAttempt = this.attempt();
  }

  /** The error of the last failed attempt, when not open. */
  get failure(): unknown {
    return this.store ? null : this.lastError;
  }

  /** True when the last attempt found the database but its schema behind (needs `migrate`). */
  get schemaBehind(): boolean {
    return !this.store && this.lastError instanceof SchemaBehindError;
  }

  async insert(rows: UsageRecord[]): Promise<void> {
    return this.opened().insert(rows);
  }
  async summarize(query: UsageQuery): Promise<UsageSummary> {
    return this.opened().summarize(query);
  }
  async select(sql: string, params: readonly number[]): Promise<Array<Record<string, unknown>>> {
    return this.opened().select(sql, params);
  }
  async putResponse(response: StoredResponse): Promise<void> {
    return this.opened().putResponse(response);
  }
  async getResponse(id: string): Promise<StoredResponse | null> {
    return this.opened().getResponse(id);
  }
  async getResponseByItem(itemId: string): Promise<StoredResponse | null> {
    return this.opened().getResponseByItem(itemId);
  }
  async deleteResponse(id: string): Promise<boolean> {
    return this.opened().deleteResponse(id);
  }
  async deleteExpiredResponses(now: number): Promise<number> {
    return this.opened().deleteExpiredResponses(now);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.store?.close();
  }

  private opened(): OpenedStore {
    if (this.store) return this.store;
    throw this.lastError instanceof Error ? this.lastError : new Error(String(this.lastError));
  }

  private async attempt(): Promise<void> {
    try {
      const store = await this.open();
      if (this.closed) {
        await store.close();
        return;
      }
      this.store = store;
      this.events.onOpen?.();
    } catch (error) {
      this.lastError = error;
      this.events.onOpenFailure?.(error);
      if (this.closed) return;
      this.timer = setTimeout(() => void this.attempt(), this.events.retryMs ?? 2000);
      this.timer.unref?.();
    }
  }
}
