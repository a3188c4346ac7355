// Reached as `Bun.SQL` where used: a value import from "bun" is hoisted to the top of the compiled
// bundle and loads bun:sql (~10 ms of start-up) even when no PostgreSQL store is configured.
import type { SQL } from "bun";
import {
  outputItemIds,
  RESPONSE_ITEMS_TABLE,
  RESPONSES_TABLE,
  type ResponseStateRow,
  type ResponseStateStore,
  type StoredResponse,
  toStoredResponse,
} from "./response-state-store.ts";
import { toSummarySql, toUsageRow, toUsageSummary, USAGE_COLUMNS, USAGE_TABLE } from "./summary-sql.ts";
import { SchemaBehindError, USAGE_MIGRATIONS, USAGE_SCHEMA_VERSION } from "./usage-migrations.ts";
import type { UsageQuery, UsageSummary } from "./usage-query.ts";
import type { UsageRecord } from "./usage-record.ts";
import type { UsageStore } from "./usage-store.ts";

// Arbitrary constant: instances starting together take turns migrating.
const MIGRATION_LOCK_ID = 7_263_114_901;
// Stay well under PostgreSQL's 65535 bind parameters per statement.
const ROWS_PER_STATEMENT = 1000;

/**
 * Shared usage store for several instances, via Bun.sql. `switchboard migrate` (an owner role)
 * creates and migrates the tables; open() only checks their version, so `serve` needs no more
 * than the grants docs/operations.md lists.
 */
export class PostgresUsageStore implements UsageStore, ResponseStateStore {
  private constructor(private readonly sql: SQL) {}

  /** Connects and checks the schema version; a schema behind this build throws SchemaBehindError. */
  static async open(url: string): Promise<PostgresUsageStore> {
    const sql = new Bun.SQL(url, { max: 4, connectionTimeout: 10, idleTimeout: 60 });
    try {
      const version = await readPostgresSchemaVersion(sql);
      if (version < USAGE_SCHEMA_VERSION) throw new SchemaBehindError("postgres", version);
    } catch (error) {
      await sql.close({ timeout: 0 }).catch(() => {});
      throw error;
    }
    return new PostgresUsageStore(sql);
  }

  /** Creates or migrates the tables to this build's version; run by `switchboard migrate`. */
  static async migrate(url: string): Promise<{ from: number; to: number }> {
    const sql = new Bun.SQL(url, { max: 1, connectionTimeout: 10 });
    try {
      return await migratePostgres(sql);
    } finally {
      await sql.close({ timeout: 5 }).catch(() => {});
    }
  }

  /** The schema version of the database at `url` (0: no tables yet); for `check --probe`. */
  static async schemaVersion(url: string): Promise<number> {
    const sql = new Bun.SQL(url, { max: 1, connectionTimeout: 5 });
    try {
      return await readPostgresSchemaVersion(sql);
    } finally {
      await sql.close({ timeout: 0 }).catch(() => {});
    }
  }

  async insert(rows: UsageRecord[]): Promise<void> {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      const params: unknown[] = [];
      const tuples = chunk.map((record) => {
        const values = toUsageRow(record);
        const refs = values.map((v) => {
          params.push(v);
          return `$${params.length}`;
        });
        return `(${refs.join(", ")})`;
      });
      await this.sql.unsafe(
        `INSERT INTO ${USAGE_TABLE} (${USAGE_COLUMNS.join(", ")}) VALUES ${tuples.join(", ")} ON CONFLICT (record_id) DO NOTHING`,
        params,
      );
    }
  }

  readonly dialect = "postgres" as const;

  /** Read-only SELECTs for the console (UsageReader). */
  async select(sql: string, params: readonly number[]): Promise<Array<Record<string, unknown>>> {
    return [...((await this.sql.unsafe(sql, [...params])) as Array<Record<string, unknown>>)];
  }

  async summarize(query: UsageQuery): Promise<UsageSummary> {
    const { sql, params } = toSummarySql(query, "postgres");
    const result = (await this.sql.unsafe(sql, params)) as Array<Record<string, unknown>>;
    return toUsageSummary(query, [...result]);
  }

  async deleteBefore(cutoff: Date): Promise<number> {
    const result = await this.sql.unsafe(`DELETE FROM ${USAGE_TABLE} WHERE ts < $1`, [cutoff.getTime()]);
    return Number((result as { count?: number }).count ?? 0);
  }

  async putResponse(stored: StoredResponse): Promise<void> {
    for (const itemId of outputItemIds(stored.response)) {
      await this.sql.unsafe(
        `INSERT INTO ${RESPONSE_ITEMS_TABLE} (item_id, response_id) VALUES ($1, $2) ON CONFLICT (item_id) DO NOTHING`,
        [itemId, stored.id],
      );
    }
    await this.sql.unsafe(
      `INSERT INTO ${RESPONSES_TABLE} (id, key_name, created_at, expires_at, input_json, response_json)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [
        stored.id,
        stored.keyName,
        stored.createdAt,
        stored.expiresAt,
        JSON.stringify(stored.input),
        JSON.stringify(stored.response),
      ],
    );
  }

  async getResponse(id: string): Promise<StoredResponse | null> {
    const rows = (await this.sql.unsafe(
      `SELECT * FROM ${RESPONSES_TABLE} WHERE id = $1 AND expires_at > $2`,
      [id, Date.now()],
    )) as ResponseStateRow[];
    return rows[0] ? toStoredResponse(rows[0]) : null;
  }

  async getResponseByItem(itemId: string): Promise<StoredResponse | null> {
    const rows = (await this.sql.unsafe(
      `SELECT response_id FROM ${RESPONSE_ITEMS_TABLE} WHERE item_id = $1`,
      [itemId],
    )) as Array<{ response_id: string }>;
    return rows[0] ? this.getResponse(rows[0].response_id) : null;
  }

  async deleteResponse(id: string): Promise<boolean> {
    await this.sql.unsafe(`DELETE FROM ${RESPONSE_ITEMS_TABLE} WHERE response_id = $1`, [id]);
    const result = await this.sql.unsafe(`DELETE FROM ${RESPONSES_TABLE} WHERE id = $1`, [id]);
    return Number((result as { count?: number }).count ?? 0) > 0;
  }

  async deleteExpiredResponses(now: number): Promise<number> {
    await this.sql.unsafe(
      `DELETE FROM ${RESPONSE_ITEMS_TABLE} WHERE response_id IN (SELECT id FROM ${RESPONSES_TABLE} WHERE expires_at <= $1)`,
      [now],
    );
    const result = await this.sql.unsafe(`DELETE FROM ${RESPONSES_TABLE} WHERE expires_at <= $1`, [now]);
    return Number((result as { count?: number }).count ?? 0);
  }

  private closing: Promise<void> | null = null;

  /** Idempotent; waits up to 5 s for running queries. */
  close(): Promise<void> {
    this.closing ??= this.sql.close({ timeout: 5 });
    return this.closing;
  }
}

async function readPostgresSchemaVersion(sql: SQL): Promise<number> {
  const [table] = (await sql.unsafe("SELECT to_regclass('usage_schema_version') AS t")) as Array<{
    t: string | null;
  }>;
  if (!table?.t) return 0;
  const [row] = (await sql.unsafe("SELECT MAX(version) AS v FROM usage_schema_version")) as Array<{
    v: number | null;
  }>;
  return Number(row?.v ?? 0);
}

async function migratePostgres(sql: SQL): Promise<{ from: number; to: number }> {
  return sql.begin(async (tx) => {
    await tx.unsafe(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.unsafe("CREATE TABLE IF NOT EXISTS usage_schema_version (version INTEGER NOT NULL)");
    const [row] = (await tx.unsafe("SELECT MAX(version) AS v FROM usage_schema_version")) as Array<{
      v: number | null;
    }>;
    const current = Number(row?.v ?? 0);
    for (const step of USAGE_MIGRATIONS) {
      if (step.version <= current) continue;
      for (const statement of step.postgres) await tx.unsafe(statement);
      await tx.unsafe("INSERT INTO usage_schema_version (version) VALUES ($1)", [step.version]);
    }
    return { from: current, to: Math.max(current, USAGE_SCHEMA_VERSION) };
  });
}
