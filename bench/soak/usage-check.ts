/**
 * After the gateway exited: its usage rows against what the clients were answered and what the
 * upstream saw. A 5xx is the gateway's own when its row shows no upstream failure in its attempts.
 */
import { Database } from "bun:sqlite";
import type { FiveXx } from "./load.ts";

export interface UsageCheck {
  rows: number;
  distinctIds: number;
  duplicates: number;
  /** Answered (non-fuzz) requests with no row, by path. */
  answeredWithoutRow: Map<string, number>;
  /** Soak requests the upstream saw with no row. */
  upstreamSeenWithoutRow: number;
  byErrorType: Map<string, number>;
  /** Upstream attempts by outcome and status (`network 0`, `http 503`, `breaker_open -1`, …). */
  attempts: Map<string, number>;
  /** 5xx answers with an upstream failure (status, timeout, network, open breaker) in their attempts. */
  upstreamCaused5xx: number;
  /** 5xx answers without one: the gateway's own (should be 0). */
  gatewayCaused5xx: Array<FiveXx & { errorType: string | null }>;
}

interface Row {
  request_id: string;
  status: number;
  attempts_json: string;
  error_type: string | null;
}

/** The message of the 500 the gateway answers for an error it did not expect (toGatewayError). */
const GATEWAY_CATCH_ALL = "Internal gateway error.";
const UPSTREAM_FAILURES = new Set(["http", "timeout", "network", "breaker_open", "stream_error"]);

export function checkUsage(
  dbPath: string,
  answeredIds: ReadonlyMap<string, string>,
  upstreamIds: ReadonlySet<string>,
  fiveXx: readonly FiveXx[],
): UsageCheck {
  const db = new Database(dbPath, { readonly: true });
  const rows = db
    .query("SELECT request_id, status, attempts_json, error_type FROM usage_records")
    .all() as Row[];
  db.close();
  const byId = new Map<string, Row[]>();
  for (const row of rows) byId.set(row.request_id, [...(byId.get(row.request_id) ?? []), row]);
  const byErrorType = new Map<string, number>();
  for (const row of rows) {
    const type = row.error_type ?? "none";
    byErrorType.set(type, (byErrorType.get(type) ?? 0) + 1);
  }
  const attempts = new Map<string, number>();
  for (const row of rows) {
    for (const attempt of parseAttempts(row)) {
      const key = `${attempt.outcome} ${attempt.status}`;
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
    }
  }
  const check: UsageCheck = {
    rows: rows.length,
    distinctIds: byId.size,
    duplicates: [...byId.values()].filter((list) => list.length > 1).length,
    answeredWithoutRow: countBy([...answeredIds].filter(([id]) => !byId.has(id)).map(([, path]) => path)),
    upstreamSeenWithoutRow: [...upstreamIds].filter((id) => !byId.has(id)).length,
    byErrorType,
    attempts,
    upstreamCaused5xx: 0,
    gatewayCaused5xx: [],
  };
  for (const answer of fiveXx) {
    const row = byId.get(answer.id)?.[0];
    // The catch-all 500 is always the gateway's; without a row (count_tokens keeps none) nothing else is.
    const upstreamCaused = answer.message !== GATEWAY_CATCH_ALL && (row ? upstreamFailed(row) : true);
    if (upstreamCaused) check.upstreamCaused5xx++;
    else check.gatewayCaused5xx.push({ ...answer, errorType: row?.error_type ?? null });
  }
  return check;
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function upstreamFailed(row: Row): boolean {
  return parseAttempts(row).some((attempt) => UPSTREAM_FAILURES.has(String(attempt.outcome)));
}

function parseAttempts(row: Row): Array<{ outcome?: string; status?: number }> {
  try {
    const attempts: unknown = JSON.parse(row.attempts_json);
    return Array.isArray(attempts) ? attempts : [];
  } catch {
    return [];
  }
}
