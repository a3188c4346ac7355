import type { IRStopReason } from "../../ir/types.ts";

/** Anthropic stop_reason → IR. A context-window stop is a length stop for every other protocol. */
export function fromAnthropicStopReason(reason: unknown): IRStopReason {
  switch (reason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "max_tokens";
    case "tool_use":
      return "tool_use";
    case "stop_sequence":
      return "stop_sequence";
    case "refusal":
      return "refusal";
    case "pause_turn":
      return "pause_turn";
    default:
      return "end_turn";
  }
}

/** IR → Anthropic stop_reason (an `error` stop, never sent normally, reads as end_turn). */
export function toAnthropicStopReason(reason: IRStopReason): string {
  return reason === "error" ? "end_turn" : reason;
}
