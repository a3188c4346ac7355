import type { IRUsage } from "../../ir/types.ts";

/**
 * IR → Responses usage. input_tokens is the whole prompt (uncached + cache reads + cache writes),
 * cached_tokens the cache reads; cache writes appear (as cache_write_tokens, OpenAI's own name
 * since 2026) only when there were some, as OpenAI reports them. output_tokens includes reasoning.
 */
export function toResponsesUsage(usage: Partial<IRUsage>): Record<string, unknown> {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const input = (usage.inputTokens ?? 0) + cacheRead + cacheWrite;
  const output = usage.outputTokens ?? 0;
  const inputDetails: Record<string, number> = { cached_tokens: cacheRead };
  if (cacheWrite > 0) inputDetails.cache_write_tokens = cacheWrite;
  return {
    input_tokens: input,
    input_tokens_details: inputDetails,
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}
