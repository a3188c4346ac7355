import type { IRUsage } from "../../ir/types.ts";
import type { GeminiUsageMetadata } from "./gemini-api.ts";

/**
 * Gemini → IR usage. Gemini's promptTokenCount already includes cachedContentTokenCount (like
 * OpenAI's prompt_tokens includes cached_tokens), and its candidatesTokenCount excludes
 * thoughtsTokenCount (unlike OpenAI completion_tokens / Anthropic output_tokens, which include
 * thinking). IR follows OpenAI: inputTokens includes cache reads, outputTokens includes reasoning.
 * Tool-use prompt tokens (server-side tools) are input the model read, so they count as input.
 */
export function convertGeminiUsage(usage: GeminiUsageMetadata | undefined): IRUsage {
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  const result: IRUsage = {
    inputTokens: (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0),
    outputTokens: (usage?.candidatesTokenCount ?? 0) + thoughts,
  };
  if (usage?.cachedContentTokenCount !== undefined) result.cacheReadTokens = usage.cachedContentTokenCount;
  if (usage?.thoughtsTokenCount !== undefined) result.reasoningTokens = thoughts;
  return result;
}
