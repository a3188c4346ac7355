import type { UsageStoreConfig } from "../config/types.ts";
import type { UsageQuery, UsageSummary } from "./usage-query.ts";
import type { UsageRecord } from "./usage-record.ts";

export type { UsageGroup, UsageQuery, UsageSummary, UsageSummaryRow } from "./usage-query.ts";
export { parseUsageQuery, UsageSummarySchema } from "./usage-query.ts";

/** Where usage rows go. Writes come batched from UsageRecorder, never from the request path. */
export interface UsageStore {
  insert(rows: UsageRecord[]): Promise<void>;
  summarize(query: UsageQuery): Promise<UsageSummary>;
  /** Retention: deletes rows older than `cutoff`, returns how many. */
  deleteBefore?(cutoff: Date): Promise<number>;
  close(): Promise<void>;
  /** Drops caches the store can rebuild (SQLite's page cache) when the gateway goes idle. */
  releaseMemory?(): void;
}

/**
 * Opens the configured store; null when usage recording is off. SQLite is created and migrated
 * here; PostgreSQL only has its schema version checked (`switchboard migrate` changes it). Each
 * back end is loaded only when configured: a gateway with `usage.store: off` never loads either.
 */
export async function openUsageStore(config: UsageStoreConfig): Promise<UsageStore | null> {
  switch (config.kind) {
    case "off":
      return null;
    case "sqlite": {
      const { SqliteUsageStore } = await import("./sqlite-store.ts");
      return new SqliteUsageStore(config.path);
    }
    case "postgres": {
      const { PostgresUsageStore } = await import("./postgres-store.ts");
      return PostgresUsageStore.open(config.url);
    }
  }
}

/** `switchboard migrate`: creates or migrates the configured store's tables; null when it is off. */
export async function migrateUsageStore(
  config: UsageStoreConfig,
): Promise<{ from: number; to: number } | null> {
  switch (config.kind) {
    case "off":
      return null;
    case "sqlite": {
      const { migrateSqliteFile } = await import("./sqlite-store.ts");
      return migrateSqliteFile(config.path);
    }
    case "postgres": {
      const { PostgresUsageStore } = await import("./postgres-store.ts");
      return PostgresUsageStore.migrate(config.url);
    }
  }
}
