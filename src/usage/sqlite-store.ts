import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  outputItemIds,
  RESPONSE_ITEMS_TABLE,
  RESPONSES_TABLE,
  type ResponseStateRow,
  type ResponseStateStore,
  type StoredResponse,
  toStoredResponse,
} from "./response-state-store.ts";
import {
  type SqlValue,
  toSummarySql,
  toUsageRow,
  toUsageSummary,
  USAGE_COLUMNS,
  USAGE_TABLE,
} from "./summary-sql.ts";
import { USAGE_MIGRATIONS, USAGE_SCHEMA_VERSION } from "./usage-migrations.ts";
import type { UsageQuery, UsageSummary } from "./usage-query.ts";
import type { UsageRecord } from "./usage-record.ts";
import type { UsageStore } from "./usage-store.ts";

/** Embedded usage store: one SQLite file in WAL mode, created and migrated on open. */
export class SqliteUsageStore implements UsageStore, ResponseStateStore {
  private readonly db: Database;
  private readonly insertMany: (rows: SqlValue[][]) => void;

  /** `path` is a file path or `:memory:`; its folder is created when missing. */
  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { create: true, strict: true });
    this.db.run("PRAGMA journal_mode = WAL");
    // WAL + NORMAL: durable across process crashes, at most the last commit lost on power loss.
    this.db.run("PRAGMA synchronous = NORMAL");
    this.db.run("PRAGMA busy_timeout = 5000");
    migrateSqlite(this.db);
    const insert = this.db.prepare(
      `INSERT INTO ${USAGE_TABLE} (${USAGE_COLUMNS.join(", ")}) VALUES (${USAGE_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT (record_id) DO NOTHING`,
    );
    this.insertMany = this.db.transaction((rows: SqlValue[][]) => {
      for (const row of rows) insert.run(...row);
    });
  }

  async insert(rows: UsageRecord[]): Promise<void> {
    if (rows.length === 0) return;
    this.insertMany(rows.map(toUsageRow));
  }

  readonly dialect = "sqlite" as const;

  /** Read-only SELECTs for the console (UsageReader). */
  async select(sql: string, params: readonly number[]): Promise<Array<Record<string, unknown>>> {
    return this.db.query(sql).all(...params) as Array<Record<string, unknown>>;
  }

  async summarize(query: UsageQuery): Promise<UsageSummary> {
    const { sql, params } = toSummarySql(query, "sqlite");
    const result = this.db.query(sql).all(...params) as Array<Record<string, unknown>>;
    return toUsageSummary(query, result);
  }

  async deleteBefore(cutoff: Date): Promise<number> {
    return this.db.query(`DELETE FROM ${USAGE_TABLE} WHERE ts < ?`).run(cutoff.getTime()).changes;
  }

  async putResponse(stored: StoredResponse): Promise<void> {
    const indexItem = this.db.query(
      `INSERT OR REPLACE INTO ${RESPONSE_ITEMS_TABLE} (item_id, response_id) VALUES (?, ?)`,
    );
    for (const itemId of outputItemIds(stored.response)) indexItem.run(itemId, stored.id);
    this.db
      .query(
        `INSERT OR REPLACE INTO ${RESPONSES_TABLE} (id, key_name, created_at, expires_at, input_json, response_json) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        stored.id,
        stored.keyName,
        stored.createdAt,
        stored.expiresAt,
        JSON.stringify(stored.input),
        JSON.stringify(stored.response),
      );
  }

  async getResponse(id: string): Promise<StoredResponse | null> {
    const row = this.db
      .query(`SELECT * FROM ${RESPONSES_TABLE} WHERE id = ? AND expires_at > ?`)
      .get(id, Date.now()) as ResponseStateRow | null;
    return row ? toStoredResponse(row) : null;
  }

  async getResponseByItem(itemId: string): Promise<StoredResponse | null> {
    const row = this.db
      .query(`SELECT response_id FROM ${RESPONSE_ITEMS_TABLE} WHERE item_id = ?`)
      .get(itemId) as { response_id: string } | null;
    return row ? this.getResponse(row.response_id) : null;
  }

  async deleteResponse(id: string): Promise<boolean> {
    this.db.query(`DELETE FROM ${RESPONSE_ITEMS_TABLE} WHERE response_id = ?`).run(id);
    return this.db.query(`DELETE FROM ${RESPONSES_TABLE} WHERE id = ?`).run(id).changes > 0;
  }

  async deleteExpiredResponses(now: number): Promise<number> {
    this.db
      .query(
        `DELETE FROM ${RESPONSE_ITEMS_TABLE} WHERE response_id IN (SELECT id FROM ${RESPONSES_TABLE} WHERE expires_at <= ?)`,
      )
      .run(now);
    return this.db.query(`DELETE FROM ${RESPONSES_TABLE} WHERE expires_at <= ?`).run(now).changes;
  }

  releaseMemory(): void {
    if (!this.closed) this.db.run("PRAGMA shrink_memory");
  }

  private closed = false;

  /** Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

/** Creates or migrates the file's tables (a SQLite file is its process's own: `serve` does it too). */
export function migrateSqliteFile(path: string): { from: number; to: number } {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true, strict: true });
  try {
    return migrateSqlite(db);
  } finally {
    db.close();
  }
}

function migrateSqlite(db: Database): { from: number; to: number } {
  db.run("CREATE TABLE IF NOT EXISTS usage_schema_version (version INTEGER NOT NULL)");
  let from = 0;
  db.transaction(() => {
    const row = db.query("SELECT MAX(version) AS v FROM usage_schema_version").get() as { v: number | null };
    const current = row.v ?? 0;
    from = current;
    for (const step of USAGE_MIGRATIONS) {
      if (step.version <= current) continue;
      for (const statement of step.sqlite) db.run(statement);
      db.query("INSERT INTO usage_schema_version (version) VALUES (?)").run(step.version);
    }
  }).immediate();
  return { from, to: Math.max(from, USAGE_SCHEMA_VERSION) };
}
