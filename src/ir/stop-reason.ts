import type { IRStopReason } from "./types.ts";

/**
 * The stop reason a client sees is derived from what was actually emitted: tool calls emitted →
 * tool_use even when the upstream said "stop" (Gemini does; some OpenAI-compatible servers do);
 * no tool call emitted → never tool_use.
 */
export function deriveStopReason(reported: IRStopReason, emittedToolCalls: boolean): IRStopReason {
  if (emittedToolCalls && (reported === "end_turn" || reported === "stop_sequence")) return "tool_use";
  if (!emittedToolCalls && reported === "tool_use") return "end_turn";
  return reported;
}
