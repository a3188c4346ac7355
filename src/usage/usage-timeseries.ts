import { USAGE_TABLE } from "./summary-sql.ts";
import { placeholderFor, type SqlRow, type UsageReader } from "./usage-reader.ts";

/** The console's overview windows: how far back, and how wide each bucket is. */
export const OVERVIEW_RANGES = {
  "1h": { spanMs: 3_600_000, bucketMs: 60_000 },
  "24h": { spanMs: 86_400_000, bucketMs: 3_600_000 },
  "30d": { spanMs: 30 * 86_400_000, bucketMs: 86_400_000 },
} as const;
export type OverviewRange = keyof typeof OVERVIEW_RANGES;

export interface OverviewBucket {
  /** Bucket start, epoch ms. */
  t: number;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost_usd: number;
}

export interface OverviewTotals extends Omit<OverviewBucket, "t"> {
  p50_latency_ms: number | null;
  p95_latency_ms: number | null;
  p50_ttft_ms: number | null;
  p95_ttft_ms: number | null;
}

export interface OverviewTopEntry {
  name: string | null;
  requests: number;
  errors: number;
  tokens: number;
  cost_usd: number;
}

/** The JSON body of GET /admin/overview. */
export interface UsageOverview {
  object: "admin.overview";
  range: OverviewRange;
  bucket_ms: number;
  from: string;
  to: string;
  buckets: OverviewBucket[];
  totals: OverviewTotals;
  top: { models: OverviewTopEntry[]; providers: OverviewTopEntry[]; keys: OverviewTopEntry[] };
}

const TOP_COUNT = 5;

const TOP_EXPRESSIONS = {
  // The model that answered, or the one asked for when nothing answered (as in /v1/usage).
  models: "COALESCE(model, model_requested)",
  providers: "provider",
  keys: "key_name",
} as const;

/** Request counts, errors, tokens and cost per bucket, with totals, percentiles and the top names. */
export async function queryOverview(
  reader: UsageReader,
  range: OverviewRange,
  now = Date.now(),
): Promise<UsageOverview> {
  const { spanMs, bucketMs } = OVERVIEW_RANGES[range];
  // Buckets aligned to the bucket width (UTC), the last one holding `now`.
  const to = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  const from = to - spanMs;
  const window = { from, to };
  const [bucketRows, latency, ttft, models, providers, keys] = await Promise.all([
    reader.select(...bucketSql(reader, bucketMs, window)),
    queryPercentiles(reader, "latency_ms", window, [0.5, 0.95]),
    queryPercentiles(reader, "ttft_ms", window, [0.5, 0.95]),
    queryTop(reader, "models", window),
    queryTop(reader, "providers", window),
    queryTop(reader, "keys", window),
  ]);
  const byStart = new Map(bucketRows.map((row) => [Number(row.bucket), row]));
  const buckets: OverviewBucket[] = [];
  for (let t = from; t < to; t += bucketMs) buckets.push(toBucket(t, byStart.get(t)));
  const totals: OverviewTotals = {
    requests: 0,
    errors: 0,
    input_tokens: 0,
    output_tokens: 0,
    cached_tokens: 0,
    cost_usd: 0,
    p50_latency_ms: latency[0],
    p95_latency_ms: latency[1],
    p50_ttft_ms: ttft[0],
    p95_ttft_ms: ttft[1],
  };
  for (const bucket of buckets) {
    totals.requests += bucket.requests;
    totals.errors += bucket.errors;
    totals.input_tokens += bucket.input_tokens;
    totals.output_tokens += bucket.output_tokens;
    totals.cached_tokens += bucket.cached_tokens;
    totals.cost_usd += bucket.cost_usd;
  }
  totals.cost_usd = roundUsd(totals.cost_usd);
  return {
    object: "admin.overview",
    range,
    bucket_ms: bucketMs,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    buckets,
    totals,
    top: { models, providers, keys },
  };
}

interface Window {
  from: number;
  to: number;
}

/** `ts >= from AND ts < to`, its params pushed onto `params`. */
function windowWhere(reader: UsageReader, window: Window, params: number[]): string {
  params.push(window.from);
  const from = placeholderFor(reader.dialect, params);
  params.push(window.to);
  return `ts >= ${from} AND ts < ${placeholderFor(reader.dialect, params)}`;
}

const numeric = (reader: UsageReader) => (reader.dialect === "postgres" ? "::float8" : "");

function bucketSql(reader: UsageReader, bucketMs: number, window: Window): [string, number[]] {
  const params: number[] = [];
  const where = windowWhere(reader, window, params);
  const num = numeric(reader);
  // bucketMs is one of OVERVIEW_RANGES' constants, never client text: safe to inline.
  const width = Math.trunc(bucketMs);
  const sql =
    `SELECT ((ts / ${width}) * ${width})${num} AS bucket, COUNT(*)${num} AS requests,` +
    ` SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END)${num} AS errors,` +
    ` SUM(input_tokens)${num} AS input_tokens, SUM(output_tokens)${num} AS output_tokens,` +
    ` SUM(cache_read_tokens)${num} AS cached_tokens, SUM(COALESCE(cost_usd, 0))${num} AS cost_usd` +
    ` FROM ${USAGE_TABLE} WHERE ${where} GROUP BY 1 ORDER BY 1`;
  return [sql, params];
}

function toBucket(t: number, row: SqlRow | undefined): OverviewBucket {
  return {
    t,
    requests: Number(row?.requests ?? 0),
    errors: Number(row?.errors ?? 0),
    input_tokens: Number(row?.input_tokens ?? 0),
    output_tokens: Number(row?.output_tokens ?? 0),
    cached_tokens: Number(row?.cached_tokens ?? 0),
    cost_usd: roundUsd(Number(row?.cost_usd ?? 0)),
  };
}

async function queryTop(
  reader: UsageReader,
  dimension: keyof typeof TOP_EXPRESSIONS,
  window: Window,
): Promise<OverviewTopEntry[]> {
  const params: number[] = [];
  const where = windowWhere(reader, window, params);
  const num = numeric(reader);
  const sql =
    `SELECT ${TOP_EXPRESSIONS[dimension]} AS name, COUNT(*)${num} AS requests,` +
    ` SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END)${num} AS errors,` +
    ` SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens)${num} AS tokens,` +
    ` SUM(COALESCE(cost_usd, 0))${num} AS cost_usd` +
    ` FROM ${USAGE_TABLE} WHERE ${where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP_COUNT}`;
  const rows = await reader.select(sql, params);
  return rows.map((row) => ({
    name: row.name === null || row.name === undefined ? null : String(row.name),
    requests: Number(row.requests ?? 0),
    errors: Number(row.errors ?? 0),
    tokens: Number(row.tokens ?? 0),
    cost_usd: roundUsd(Number(row.cost_usd ?? 0)),
  }));
}

/**
 * Nearest-rank percentiles of a column over a window: one COUNT, then one ORDER BY … OFFSET per
 * percentile (the same SQL on both dialects; SQLite has no percentile function).
 */
export async function queryPercentiles(
  reader: UsageReader,
  column: "latency_ms" | "ttft_ms",
  window: Window,
  quantiles: readonly number[],
): Promise<Array<number | null>> {
  const params: number[] = [];
  const where = `${windowWhere(reader, window, params)} AND ${column} IS NOT NULL`;
  const [countRow] = await reader.select(
    `SELECT COUNT(*)${numeric(reader)} AS n FROM ${USAGE_TABLE} WHERE ${where}`,
    params,
  );
  const n = Number(countRow?.n ?? 0);
  if (n === 0) return quantiles.map(() => null);
  return Promise.all(
    quantiles.map(async (q) => {
      const offset = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
      const [row] = await reader.select(
        `SELECT ${column} AS v FROM ${USAGE_TABLE} WHERE ${where} ORDER BY ${column} LIMIT 1 OFFSET ${offset}`,
        params,
      );
      return row ? Number(row.v) : null;
    }),
  );
}

function roundUsd(n: number): number {
  return Math.round(n * 1e10) / 1e10;
}
