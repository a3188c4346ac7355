import { asNumber, asRecord } from "../../ir/guards.ts";
import type { IRUsage } from "../../ir/types.ts";

/**
 * Responses usage → IR. input_tokens INCLUDES cached tokens (and, since 2026, cache writes in
 * input_tokens_details.cache_write_tokens); IR inputTokens excludes both (see IRUsage), so they are
 * subtracted. output_tokens already includes reasoning tokens, as IR outputTokens does.
 */
export function fromResponsesUsage(usage: unknown): IRUsage | undefined {
  const u = asRecord(usage);
  if (!u) return undefined;
  const inputDetails = asRecord(u.input_tokens_details);
  const outputDetails = asRecord(u.output_tokens_details);
  const input = asNumber(u.input_tokens) ?? 0;
  const cacheRead = asNumber(inputDetails?.cached_tokens);
  const cacheWrite = asNumber(inputDetails?.cache_write_tokens);
  const result: IRUsage = {
    inputTokens: Math.max(0, input - (cacheRead ?? 0) - (cacheWrite ?? 0)),
    outputTokens: asNumber(u.output_tokens) ?? 0,
  };
  if (cacheRead !== undefined) result.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) result.cacheWriteTokens = cacheWrite;
  const reasoning = asNumber(outputDetails?.reasoning_tokens);
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  return result;
}
