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

/**
 * The stop string that ended a choice, where an OpenAI-compatible server says it: vLLM
 * `stop_reason`, SGLang `matched_stop` (a number there is a stop token id, not a sequence).
 */
export function readMatchedStop(choice: Record<string, unknown>): string | undefined {
  if (choice.finish_reason !== "stop") return undefined;
  const matched = choice.stop_reason ?? choice.matched_stop;
  return typeof matched === "string" && matched.length > 0 ? matched : undefined;
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

/**
 * The stop reason OpenAI's finish_reason cannot say, as OpenRouter reports one beside it
 * (`choices[i].native_finish_reason`): `pause_turn`, a server-tool turn Anthropic paused, which the
 * client continues by sending the assistant message back as the conversation's last message.
 */
export function toOpenAINativeFinishReason(reason: IRStopReason): string | undefined {
  return reason === "pause_turn" ? "pause_turn" : undefined;
}
