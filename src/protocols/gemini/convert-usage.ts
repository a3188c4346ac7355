import type { IRUsage } from "../../ir/types.ts";
import type { GeminiUsageMetadata } from "./gemini-api.ts";

/**
 * Gemini → IR usage. Gemini's promptTokenCount INCLUDES cachedContentTokenCount, and its
 * candidatesTokenCount EXCLUDES thoughtsTokenCount. IR follows Anthropic for input (inputTokens
 * excludes cache reads, see IRUsage) and counts reasoning inside outputTokens, so:
 * inputTokens = promptTokenCount − cachedContentTokenCount (+ toolUsePromptTokenCount, input the
 * model read for server-side tools); outputTokens = candidatesTokenCount + thoughtsTokenCount.
 */
export function convertGeminiUsage(usage: GeminiUsageMetadata | undefined): IRUsage {
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  const result: IRUsage = {
    inputTokens: Math.max(
      0,
      (usage?.promptTokenCount ?? 0) -
        (usage?.cachedContentTokenCount ?? 0) +
        (usage?.toolUsePromptTokenCount ?? 0),
    ),
    outputTokens: (usage?.candidatesTokenCount ?? 0) + thoughts,
  };
  if (usage?.cachedContentTokenCount !== undefined) result.cacheReadTokens = usage.cachedContentTokenCount;
  if (usage?.thoughtsTokenCount !== undefined) result.reasoningTokens = thoughts;
  return result;
}
