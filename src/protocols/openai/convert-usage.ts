import { asArray, asNumber, asRecord, isRecord } from "../../ir/guards.ts";
import type { IRUsage } from "../../ir/types.ts";

/**
 * The usage object of a chat.completion or chunk, wherever the provider put it: top level (OpenAI
 * and most), `x_groq.usage` (Groq streams), or inside a choice (Moonshot/Kimi streams put it in
 * `choices[0].usage`). Undefined when none.
 */
export function findOpenAIUsage(body: Record<string, unknown>): unknown {
  if (isRecord(body.usage)) return body.usage;
  const groq = asRecord(body.x_groq)?.usage;
  if (isRecord(groq)) return groq;
  for (const choice of asArray(body.choices)) {
    const usage = asRecord(choice)?.usage;
    if (isRecord(usage)) return usage;
  }
  return undefined;
}

/**
 * OpenAI usage → IR. OpenAI's prompt_tokens INCLUDES cached tokens; IR inputTokens excludes them
 * (see IRUsage), so cached (and, where a provider reports them, cache-write) tokens are
 * subtracted. Kimi puts cached_tokens at the top level; Groq streams usage in x_groq.usage.
 */
export function fromOpenAIUsage(usage: unknown): IRUsage | undefined {
  const u = asRecord(usage);
  if (!u) return undefined;
  const promptDetails = asRecord(u.prompt_tokens_details);
  const completionDetails = asRecord(u.completion_tokens_details);
  const prompt = asNumber(u.prompt_tokens) ?? 0;
  const cacheRead = asNumber(promptDetails?.cached_tokens) ?? asNumber(u.cached_tokens);
  const cacheWrite = asNumber(promptDetails?.cache_write_tokens);
  const result: IRUsage = {
    inputTokens: Math.max(0, prompt - (cacheRead ?? 0) - (cacheWrite ?? 0)),
    outputTokens: asNumber(u.completion_tokens) ?? 0,
  };
  if (cacheRead !== undefined) result.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) result.cacheWriteTokens = cacheWrite;
  const reasoning = asNumber(completionDetails?.reasoning_tokens);
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  return result;
}

/**
 * IR → OpenAI usage: prompt_tokens is the whole prompt (uncached + cache reads + cache writes),
 * cached_tokens the cache reads; cache writes, which OpenAI never reports, go in
 * prompt_tokens_details.cache_write_tokens (OpenRouter's name).
 */
export function toOpenAIUsage(usage: Partial<IRUsage>): Record<string, unknown> {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const prompt = (usage.inputTokens ?? 0) + cacheRead + cacheWrite;
  const completion = usage.outputTokens ?? 0;
  const promptDetails: Record<string, number> = { cached_tokens: cacheRead };
  if (cacheWrite > 0) promptDetails.cache_write_tokens = cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: promptDetails,
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}
