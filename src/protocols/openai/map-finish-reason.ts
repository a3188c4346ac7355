import type { IRStopReason } from "../../ir/types.ts";

/** OpenAI finish_reason → IR. Unknown or missing values read as a normal end of turn. */
export function fromOpenAIFinishReason(reason: unknown): IRStopReason {
  switch (reason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

/** IR → OpenAI finish_reason. OpenAI has no stop_sequence (it says "stop") nor pause_turn. */
export function toOpenAIFinishReason(reason: IRStopReason): string {
  switch (reason) {
    case "max_tokens":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}
