import { emptyUsageTotals, type UsageGroup, type UsageQuery, type UsageSummary } from "./usage-query.ts";
import type { UsageRecord } from "./usage-record.ts";

/** The two SQL dialects the stores speak; they differ only in placeholders and the day expression. */
export type SqlDialect = "sqlite" | "postgres";

export const USAGE_TABLE = "usage_records";

/** Column names, in insert order; `toUsageRow` produces values in the same order. */
export const USAGE_COLUMNS = [
  "ts",
  "request_id",
  "key_name",
  "endpoint",
  "model_requested",
  "provider",
  "model",
  "attempts",
  "attempts_json",
  "status",
  "stream",
  "latency_ms",
  "ttft_ms",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_usd",
  "error_type",
  "record_id",
  "bytes_up",
  "bytes_down",
] as const;

export type UsageColumn = (typeof USAGE_COLUMNS)[number];
export type SqlValue = string | number | null;

/** A record as column values, in USAGE_COLUMNS order (stream as 0/1 so both dialects agree). */
/**
 * Text a store accepts whatever the client sent: PostgreSQL refuses NUL in TEXT (one such value
 * would fail its whole batch, again on every retry), and lone surrogates are not valid UTF-8.
 */
export function storableText<T extends string | null>(value: T): T {
  if (value === null) return value;
  const wellFormed = value.toWellFormed();
  return (wellFormed.includes("\u0000") ? wellFormed.replaceAll("\u0000", "\uFFFD") : wellFormed) as T;
}

export function toUsageRow(r: UsageRecord): SqlValue[] {
  return [
    r.ts,
    storableText(r.requestId),
    storableText(r.keyName),
    r.endpoint,
    storableText(r.modelRequested),
    r.provider,
    storableText(r.model),
    r.attempts,
    storableText(r.attemptsJson),
    r.status,
    r.stream ? 1 : 0,
    r.latencyMs,
    r.ttftMs,
    r.inputTokens,
    r.outputTokens,
    r.cacheReadTokens,
    r.cacheWriteTokens,
    r.reasoningTokens,
    r.costUsd,
    r.errorType,
    r.recordId,
    r.bytesUp ?? null,
    r.bytesDown ?? null,
  ];
}

const GROUP_EXPRESSIONS: Record<SqlDialect, Record<UsageGroup, string>> = {
  sqlite: {
    key: "key_name",
    // The model that answered, or the one asked for when nothing answered.
    model: "COALESCE(model, model_requested)",
    provider: "provider",
    day: "strftime('%Y-%m-%d', ts / 1000, 'unixepoch')",
  },
  postgres: {
    key: "key_name",
    model: "COALESCE(model, model_requested)",
    provider: "provider",
    day: "to_char(to_timestamp(ts / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
  },
};

/** SELECT for a summary: one row per group (or one row in all when groupBy is empty). */
export function toSummarySql(query: UsageQuery, dialect: SqlDialect): { sql: string; params: number[] } {
  const params: number[] = [];
  const placeholder = () => (dialect === "postgres" ? `$${params.length}` : "?");
  const where: string[] = [];
  if (query.from) {
    params.push(query.from.getTime());
    where.push(`ts >= ${placeholder()}`);
  }
  if (query.to) {
    params.push(query.to.getTime());
    where.push(`ts < ${placeholder()}`);
  }
  const groups = query.groupBy.map((g) => `${GROUP_EXPRESSIONS[dialect][g]} AS g_${g}`);
  const groupRefs = query.groupBy.map((_, i) => String(i + 1));
  const num = dialect === "postgres" ? "::float8" : "";
  const select = [
    ...groups,
    `COUNT(*)${num} AS requests`,
    `SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END)${num} AS errors`,
    `SUM(input_tokens)${num} AS input_tokens`,
    `SUM(output_tokens)${num} AS output_tokens`,
    `SUM(cache_read_tokens)${num} AS cache_read_tokens`,
    `SUM(cache_write_tokens)${num} AS cache_write_tokens`,
    `SUM(reasoning_tokens)${num} AS reasoning_tokens`,
    `SUM(COALESCE(cost_usd, 0))${num} AS cost_usd`,
    `SUM(CASE WHEN cost_usd IS NULL AND input_tokens + output_tokens + cache_read_tokens + cache_write_tokens > 0 THEN 1 ELSE 0 END)${num} AS unpriced_requests`,
  ];
  let sql = `SELECT ${select.join(", ")} FROM ${USAGE_TABLE}`;
  if (where.length) sql += ` WHERE ${where.join(" AND ")}`;
  if (groupRefs.length) sql += ` GROUP BY ${groupRefs.join(", ")} ORDER BY ${groupRefs.join(", ")}`;
  return { sql, params };
}

/** Turns the SELECT's result rows into the /v1/usage JSON. */
export function toUsageSummary(query: UsageQuery, result: Array<Record<string, unknown>>): UsageSummary {
  const totals = emptyUsageTotals();
  const rows: UsageSummary["rows"] = [];
  for (const raw of result) {
    const row: UsageSummary["rows"][number] = { ...emptyUsageTotals() };
    for (const g of query.groupBy) {
      const value = raw[`g_${g}`];
      if (g === "day") row.day = String(value);
      else row[g] = value === null || value === undefined ? null : String(value);
    }
    for (const field of Object.keys(totals) as Array<keyof typeof totals>) {
      const n = Number(raw[field] ?? 0);
      row[field] = field === "cost_usd" ? roundUsd(n) : n;
      totals[field] += n;
    }
    if (row.requests === 0) continue; // aggregate with no GROUP BY over no rows
    rows.push(row);
  }
  totals.cost_usd = roundUsd(totals.cost_usd);
  return {
    object: "usage.summary",
    from: query.from ? query.from.toISOString() : null,
    to: query.to ? query.to.toISOString() : null,
    group_by: [...query.groupBy],
    rows: query.groupBy.length ? rows : [],
    totals,
  };
}

function roundUsd(n: number): number {
  return Math.round(n * 1e10) / 1e10;
}
