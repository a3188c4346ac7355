import type { ModelPrice } from "../config/types.ts";
import type { IRUsage } from "../ir/types.ts";
import { BUILT_IN_PRICES } from "./price-table.ts";

/**
 * Cost in USD of one request, or null when the model has no known price.
 *
 * IR usage follows Anthropic's convention: `inputTokens` are the uncached input tokens only;
 * cache reads and writes are counted apart and priced at their own rates (input price when the
 * table has none). Reasoning tokens are part of `outputTokens` (both OpenAI and Anthropic bill
 * them as output), so they are not charged again.
 *
 * `prices` (from config) override the built-in table, entry by entry.
 */
export function costOf(model: string, usage: IRUsage, prices: Record<string, ModelPrice>): number | null {
  const price = findPrice(model, prices);
  if (!price) return null;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const micro =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    cacheRead * (price.cacheRead ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input);
  // Round to 1e-10 USD so sums of floats don't print as 0.30000000000000004.
  return Math.round(micro / 1e-4) / 1e10;
}

/**
 * The price of a model id: exact match (config first, then built-in), then with the provider
 * prefix removed (`openrouter/anthropic/claude-…` → `anthropic/claude-…` → `claude-…`), then
 * with a date/`-latest` suffix removed, then ignoring case and `.` vs `-` (`claude-sonnet-4.5`).
 */
export function findPrice(model: string, prices: Record<string, ModelPrice>): ModelPrice | null {
  // Called once per request with the same few models: remember the answer per price table.
  let cache = priceCache.get(prices);
  if (!cache) {
    cache = new Map();
    priceCache.set(prices, cache);
  }
  let price = cache.get(model);
  if (price === undefined) {
    price = lookUpPrice(model, prices);
    if (cache.size < 10_000) cache.set(model, price);
  }
  return price;
}

const priceCache = new WeakMap<Record<string, ModelPrice>, Map<string, ModelPrice | null>>();

function lookUpPrice(model: string, prices: Record<string, ModelPrice>): ModelPrice | null {
  for (const candidate of listPriceCandidates(model)) {
    const hit = prices[candidate] ?? BUILT_IN_PRICES[candidate];
    if (hit) return hit;
  }
  const wanted = new Set(listPriceCandidates(model).map(normalizeModelId));
  for (const table of [prices, BUILT_IN_PRICES]) {
    for (const [id, price] of Object.entries(table)) {
      if (wanted.has(normalizeModelId(id))) return price;
    }
  }
  return null;
}

const DATE_SUFFIX = /(?:[-@]\d{4}-?\d{2}-?\d{2}|-latest)$/;

/** Ids to try, most specific first. */
export function listPriceCandidates(model: string): string[] {
  const out: string[] = [];
  let id = model;
  for (;;) {
    out.push(id);
    const undated = id.replace(DATE_SUFFIX, "");
    if (undated !== id && undated.length > 0) out.push(undated);
    const slash = id.indexOf("/");
    if (slash < 0) break;
    id = id.slice(slash + 1);
  }
  return out;
}

function normalizeModelId(id: string): string {
  return id.toLowerCase().replaceAll(".", "-");
}
