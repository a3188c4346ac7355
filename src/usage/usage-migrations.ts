import { RESPONSE_ITEMS_TABLE, RESPONSES_TABLE } from "./response-state-store.ts";
import { USAGE_TABLE } from "./summary-sql.ts";

/**
 * Schema versions, applied in order on start; the version reached is kept in
 * `usage_schema_version`. Append new steps, never edit old ones. The DDL is the same text for
 * SQLite and PostgreSQL except where a step says otherwise.
 */
export const USAGE_MIGRATIONS: ReadonlyArray<{ version: number; sqlite: string[]; postgres: string[] }> = [
  {
    version: 1,
    sqlite: [
      `CREATE TABLE IF NOT EXISTS ${USAGE_TABLE} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        request_id TEXT NOT NULL,
        key_name TEXT,
        endpoint TEXT NOT NULL,
        model_requested TEXT,
        provider TEXT,
        model TEXT,
        attempts INTEGER NOT NULL,
        attempts_json TEXT NOT NULL,
        status INTEGER NOT NULL,
        stream INTEGER NOT NULL,
        latency_ms INTEGER NOT NULL,
        ttft_ms INTEGER,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cache_read_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cost_usd REAL,
        error_type TEXT
      )`,
      `CREATE INDEX IF NOT EXISTS ${USAGE_TABLE}_ts ON ${USAGE_TABLE} (ts)`,
      `CREATE INDEX IF NOT EXISTS ${USAGE_TABLE}_key_ts ON ${USAGE_TABLE} (key_name, ts)`,
    ],
    postgres: [
      `CREATE TABLE IF NOT EXISTS ${USAGE_TABLE} (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ts BIGINT NOT NULL,
        request_id TEXT NOT NULL,
        key_name TEXT,
        endpoint TEXT NOT NULL,
        model_requested TEXT,
        provider TEXT,
        model TEXT,
        attempts INTEGER NOT NULL,
        attempts_json TEXT NOT NULL,
        status INTEGER NOT NULL,
        stream SMALLINT NOT NULL,
        latency_ms INTEGER NOT NULL,
        ttft_ms INTEGER,
        input_tokens BIGINT NOT NULL,
        output_tokens BIGINT NOT NULL,
        cache_read_tokens BIGINT NOT NULL,
        cache_write_tokens BIGINT NOT NULL,
        reasoning_tokens BIGINT NOT NULL,
        cost_usd DOUBLE PRECISION,
        error_type TEXT
      )`,
      `CREATE INDEX IF NOT EXISTS ${USAGE_TABLE}_ts ON ${USAGE_TABLE} (ts)`,
      `CREATE INDEX IF NOT EXISTS ${USAGE_TABLE}_key_ts ON ${USAGE_TABLE} (key_name, ts)`,
    ],
  },
  {
    // Responses API state (store / previous_response_id on translated providers).
    version: 2,
    sqlite: [
      `CREATE TABLE IF NOT EXISTS ${RESPONSES_TABLE} (
        id TEXT PRIMARY KEY,
        key_name TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        input_json TEXT NOT NULL,
        response_json TEXT NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${RESPONSES_TABLE}_expires ON ${RESPONSES_TABLE} (expires_at)`,
      `CREATE TABLE IF NOT EXISTS ${RESPONSE_ITEMS_TABLE} (
        item_id TEXT PRIMARY KEY,
        response_id TEXT NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${RESPONSE_ITEMS_TABLE}_response ON ${RESPONSE_ITEMS_TABLE} (response_id)`,
    ],
    postgres: [
      `CREATE TABLE IF NOT EXISTS ${RESPONSES_TABLE} (
        id TEXT PRIMARY KEY,
        key_name TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        input_json TEXT NOT NULL,
        response_json TEXT NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${RESPONSES_TABLE}_expires ON ${RESPONSES_TABLE} (expires_at)`,
      `CREATE TABLE IF NOT EXISTS ${RESPONSE_ITEMS_TABLE} (
        item_id TEXT PRIMARY KEY,
        response_id TEXT NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS ${RESPONSE_ITEMS_TABLE}_response ON ${RESPONSE_ITEMS_TABLE} (response_id)`,
    ],
  },
  {
    // One row per record however often its batch is written (inserts skip a known record_id).
    // Older rows keep NULL, which a unique index allows any number of times.
    version: 3,
    sqlite: [
      `ALTER TABLE ${USAGE_TABLE} ADD COLUMN record_id TEXT`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${USAGE_TABLE}_record_id ON ${USAGE_TABLE} (record_id)`,
    ],
    postgres: [
      `ALTER TABLE ${USAGE_TABLE} ADD COLUMN IF NOT EXISTS record_id TEXT`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${USAGE_TABLE}_record_id ON ${USAGE_TABLE} (record_id)`,
    ],
  },
  {
    // The provider pass-through (`/p/{provider}/…`): body bytes each way; NULL on other rows.
    version: 4,
    sqlite: [
      `ALTER TABLE ${USAGE_TABLE} ADD COLUMN bytes_up INTEGER`,
      `ALTER TABLE ${USAGE_TABLE} ADD COLUMN bytes_down INTEGER`,
    ],
    postgres: [
      `ALTER TABLE ${USAGE_TABLE} ADD COLUMN IF NOT EXISTS bytes_up BIGINT`,
      `ALTER TABLE ${USAGE_TABLE} ADD COLUMN IF NOT EXISTS bytes_down BIGINT`,
    ],
  },
];

export const USAGE_SCHEMA_VERSION = USAGE_MIGRATIONS[USAGE_MIGRATIONS.length - 1]!.version;

/** The database's schema is older than this build: `serve` refuses it and names the command. */
export class SchemaBehindError extends Error {
  constructor(
    readonly store: "postgres" | "sqlite",
    readonly found: number,
  ) {
    super(
      found === 0
        ? `the usage store (${store}) has no switchboard tables yet: run \`switchboard migrate\` (with the same config, as a role that may create tables) before \`serve\``
        : `the usage store (${store}) is at schema version ${found}, this build needs ${USAGE_SCHEMA_VERSION}: run \`switchboard migrate\` (with the same config, as a role that may alter the tables)`,
    );
    this.name = "SchemaBehindError";
  }
}
