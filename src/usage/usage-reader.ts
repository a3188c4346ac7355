import type { SqlDialect } from "./summary-sql.ts";

export type SqlRow = Record<string, unknown>;

/**
 * Read-only access to the usage table for the console's queries (usage-timeseries.ts,
 * provider-activity.ts): the store says which dialect it speaks and runs a SELECT.
 */
export interface UsageReader {
  readonly dialect: SqlDialect;
  select(sql: string, params: readonly number[]): Promise<SqlRow[]>;
}

export function isUsageReader(store: unknown): store is UsageReader {
  return (
    typeof store === "object" &&
    store !== null &&
    "select" in store &&
    typeof store.select === "function" &&
    "dialect" in store
  );
}

/** `$1, $2…` for PostgreSQL, `?` for SQLite: returns the placeholder for the param just pushed. */
export function placeholderFor(dialect: SqlDialect, params: readonly unknown[]): string {
  return dialect === "postgres" ? `$${params.length}` : "?";
}
