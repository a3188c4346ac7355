import { asRecord, asString } from "../../ir/guards.ts";
import type { IRRequest } from "../../ir/types.ts";

/**
 * The request options Chat Completions and Responses bodies share, by the same wire names:
 * `metadata`, `prompt_cache_key`, `prompt_cache_retention`, `service_tier`.
 */
export function readOpenAIRequestOptions(body: Record<string, unknown>, request: IRRequest): void {
  const metadata = asRecord(body.metadata);
  if (metadata) request.metadata = metadata;
  const cacheKey = asString(body.prompt_cache_key);
  if (cacheKey !== undefined) request.promptCacheKey = cacheKey;
  const retention = asString(body.prompt_cache_retention);
  if (retention !== undefined) request.promptCacheRetention = retention;
  const tier = asString(body.service_tier);
  if (tier !== undefined) request.serviceTier = tier;
}
