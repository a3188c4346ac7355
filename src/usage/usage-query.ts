import { type Static, Type } from "@sinclair/typebox";
import { invalidRequest } from "../errors/gateway-error.ts";

export const USAGE_GROUPS = ["key", "model", "provider", "day"] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** What GET /v1/usage asks for: a time range (from inclusive, to exclusive) and grouping. */
export interface UsageQuery {
  from?: Date;
  to?: Date;
  groupBy: UsageGroup[];
}

const UsageTotals = {
  requests: Type.Integer(),
  /** Requests answered with status >= 400. */
  errors: Type.Integer(),
  input_tokens: Type.Integer(),
  output_tokens: Type.Integer(),
  cache_read_tokens: Type.Integer(),
  cache_write_tokens: Type.Integer(),
  reasoning_tokens: Type.Integer(),
  /** Sum of priced requests, USD. */
  cost_usd: Type.Number(),
  /** Requests with usage but no known price: their cost is missing from cost_usd. */
  unpriced_requests: Type.Integer(),
};

export const UsageSummaryRowSchema = Type.Object({
  key: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  model: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  provider: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** UTC day, YYYY-MM-DD. */
  day: Type.Optional(Type.String()),
  ...UsageTotals,
});

/** The JSON body of GET /v1/usage. */
export const UsageSummarySchema = Type.Object({
  object: Type.Literal("usage.summary"),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  group_by: Type.Array(Type.Union(USAGE_GROUPS.map((g) => Type.Literal(g)))),
  rows: Type.Array(UsageSummaryRowSchema),
  totals: Type.Object(UsageTotals),
});

export type UsageSummaryRow = Static<typeof UsageSummaryRowSchema>;
export type UsageSummary = Static<typeof UsageSummarySchema>;

const KNOWN_PARAMS = new Set(["from", "to", "group_by"]);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * Reads `?from=&to=&group_by=key,model` (group_by may also repeat). Dates are ISO 8601 (a bare
 * date is UTC midnight) or Unix seconds; a bare-date `to` includes that whole day. Throws a 400
 * GatewayError naming the offending parameter.
 */
export function parseUsageQuery(searchParams: URLSearchParams): UsageQuery {
  for (const name of searchParams.keys()) {
    if (!KNOWN_PARAMS.has(name)) {
      throw invalidRequest(`Unknown query parameter '${name}'; expected from, to, group_by.`, name);
    }
  }
  const query: UsageQuery = { groupBy: [] };
  const from = searchParams.get("from");
  if (from !== null) query.from = parseInstant(from, "from", false);
  const to = searchParams.get("to");
  if (to !== null) query.to = parseInstant(to, "to", true);
  if (query.from && query.to && query.from.getTime() > query.to.getTime()) {
    throw invalidRequest("'from' must not be after 'to'.", "from");
  }
  for (const value of searchParams.getAll("group_by")) {
    for (const raw of value.split(",")) {
      const group = raw.trim();
      if (group === "") continue;
      if (!(USAGE_GROUPS as readonly string[]).includes(group)) {
        throw invalidRequest(
          `Invalid group_by value '${group}'; expected any of ${USAGE_GROUPS.join(", ")}.`,
          "group_by",
        );
      }
      if (!query.groupBy.includes(group as UsageGroup)) query.groupBy.push(group as UsageGroup);
    }
  }
  return query;
}

function parseInstant(raw: string, param: string, endOfDay: boolean): Date {
  const value = raw.trim();
  let ms: number;
  if (/^\d{9,11}$/.test(value)) ms = Number(value) * 1000;
  else if (DATE_ONLY.test(value)) ms = Date.parse(`${value}T00:00:00Z`) + (endOfDay ? DAY_MS : 0);
  else ms = /T.*(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw invalidRequest(
      `Invalid '${param}': '${raw}' is not an ISO 8601 date/time with offset (e.g. 2025-01-31 or 2025-01-31T12:00:00Z) or Unix seconds.`,
      param,
    );
  }
  return new Date(ms);
}

/** An empty totals object, for stores to fill. */
export function emptyUsageTotals(): UsageSummary["totals"] {
  return {
    requests: 0,
    errors: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: 0,
    unpriced_requests: 0,
  };
}
