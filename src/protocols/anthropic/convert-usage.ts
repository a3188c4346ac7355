import { asNumber, asRecord } from "../../ir/guards.ts";
import type { IRUsage } from "../../ir/types.ts";

/**
 * Anthropic usage → IR (partial: message_delta often carries output_tokens only). Anthropic's
 * input_tokens already excludes cache reads and writes, which is IR's convention. Thinking tokens
 * are reported (newer API) in output_tokens_details.thinking_tokens.
 */
export function fromAnthropicUsage(usage: unknown): Partial<IRUsage> | undefined {
  const u = asRecord(usage);
  if (!u) return undefined;
  const out: Partial<IRUsage> = {};
  const input = asNumber(u.input_tokens);
  if (input !== undefined) out.inputTokens = input;
  const output = asNumber(u.output_tokens);
  if (output !== undefined) out.outputTokens = output;
  const read = asNumber(u.cache_read_input_tokens);
  if (read !== undefined) out.cacheReadTokens = read;
  const write = asNumber(u.cache_creation_input_tokens);
  if (write !== undefined) out.cacheWriteTokens = write;
  const thinking = asNumber(asRecord(u.output_tokens_details)?.thinking_tokens);
  if (thinking !== undefined) out.reasoningTokens = thinking;
  return out;
}

/** IR → Anthropic usage. */
export function toAnthropicUsage(usage: Partial<IRUsage>): Record<string, number> {
  return {
    input_tokens: usage.inputTokens ?? 0,
    cache_creation_input_tokens: usage.cacheWriteTokens ?? 0,
    cache_read_input_tokens: usage.cacheReadTokens ?? 0,
    output_tokens: usage.outputTokens ?? 0,
  };
}
