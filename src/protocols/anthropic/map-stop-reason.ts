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

/**
 * The stop reason and sequence an Anthropic client sees. A provider that ends a natural turn and
 * a matched stop sequence alike (Gemini's STOP, `unknown`) cannot say which: when the request had
 * stop sequences, the turn is reported as `stop_sequence`, with the sequence when there was only
 * one (null when several: which one matched is not known). docs/gemini.md, "Finish reasons".
 */
export function resolveStopSequence(
  reason: IRStopReason,
  sequence: string | undefined,
  unknown: boolean,
  requested: string[] | undefined,
): { reason: IRStopReason; sequence: string | null } {
  if (reason === "stop_sequence") return { reason, sequence: sequence ?? null };
  if (reason === "end_turn" && unknown && requested && requested.length > 0)
    return { reason: "stop_sequence", sequence: requested.length === 1 ? (requested[0] ?? null) : null };
  return { reason, sequence: null };
}
