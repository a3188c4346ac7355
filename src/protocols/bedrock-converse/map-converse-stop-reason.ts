import type { IRStopReason, IRUsage } from "../../ir/types.ts";
import type { ConverseUsage } from "./converse-api.ts";

/** Converse stopReason → IR. Guardrails and content filters are refusals. */
export function mapConverseStopReason(reason: string | undefined): IRStopReason {
  switch (reason) {
    case "end_turn":
      return "end_turn";
    case "tool_use":
      return "tool_use";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "max_tokens";
    case "stop_sequence":
      return "stop_sequence";
    case "guardrail_intervened":
    case "content_filtered":
      return "refusal";
    default:
      return "end_turn";
  }
}

/** Converse usage → IR (Converse's inputTokens exclude cache reads and writes, as the IR's do). */
export function fromConverseUsage(usage: ConverseUsage | undefined): IRUsage {
  const out: IRUsage = { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
  if (usage?.cacheReadInputTokens) out.cacheReadTokens = usage.cacheReadInputTokens;
  if (usage?.cacheWriteInputTokens) out.cacheWriteTokens = usage.cacheWriteInputTokens;
  return out;
}
