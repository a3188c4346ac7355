import type { SqlDialect } from "./summary-sql.ts";
import { USAGE_TABLE } from "./summary-sql.ts";
import type { UsageReader } from "./usage-reader.ts";

/** One provider's upstream attempts over a recent window, from the usage rows' attempt lists. */
export interface ProviderActivity {
  provider: string;
  attempts: number;
  /** Attempts that did not succeed (HTTP error, timeout, network, broken stream, breaker open). */
  failed: number;
  error_rate: number;
  p50_latency_ms: number | null;
  p95_latency_ms: number | null;
}

// Every attempt of a request, not only the answering one: a fallback's failed first try counts
// against the provider that failed, which the row's own provider column would hide.
const ATTEMPT_SQL: Record<SqlDialect, string> = {
  sqlite: `SELECT json_extract(a.value, '$.provider') AS provider, json_extract(a.value, '$.outcome') AS outcome,
    json_extract(a.value, '$.latencyMs') AS latency_ms
    FROM ${USAGE_TABLE}, json_each(${USAGE_TABLE}.attempts_json) AS a WHERE ts >= ? LIMIT ?`,
  postgres: `SELECT a->>'provider' AS provider, a->>'outcome' AS outcome, (a->>'latencyMs')::float8 AS latency_ms
    FROM ${USAGE_TABLE}, json_array_elements(${USAGE_TABLE}.attempts_json::json) AS a WHERE ts >= $1 LIMIT $2`,
};

/** Bounds the work of one call whatever the traffic: the newest window is a sample past this. */
const MAX_ATTEMPTS = 100_000;

export async function queryProviderActivity(
  reader: UsageReader,
  since: number,
): Promise<Map<string, ProviderActivity>> {
  const rows = await reader.select(ATTEMPT_SQL[reader.dialect], [since, MAX_ATTEMPTS]);
  const latencies = new Map<string, number[]>();
  const activity = new Map<string, ProviderActivity>();
  for (const row of rows) {
    if (typeof row.provider !== "string") continue;
    let entry = activity.get(row.provider);
    if (!entry) {
      entry = {
        provider: row.provider,
        attempts: 0,
        failed: 0,
        error_rate: 0,
        p50_latency_ms: null,
        p95_latency_ms: null,
      };
      activity.set(row.provider, entry);
      latencies.set(row.provider, []);
    }
    entry.attempts++;
    if (row.outcome !== "ok") entry.failed++;
    const latency = Number(row.latency_ms);
    // A breaker-open skip made no call: it has no latency worth counting.
    if (row.outcome !== "breaker_open" && Number.isFinite(latency))
      latencies.get(row.provider)!.push(latency);
  }
  for (const entry of activity.values()) {
    entry.error_rate = entry.attempts ? entry.failed / entry.attempts : 0;
    const sorted = latencies.get(entry.provider)!.sort((a, b) => a - b);
    entry.p50_latency_ms = nearestRank(sorted, 0.5);
    entry.p95_latency_ms = nearestRank(sorted, 0.95);
  }
  return activity;
}

export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[index] * 100) / 100;
}
