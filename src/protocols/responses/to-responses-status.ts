import type { IRStopReason } from "../../ir/types.ts";

export type ResponsesStatus =
  | { status: "completed" }
  | { status: "incomplete"; reason: "max_output_tokens" | "content_filter" };

/**
 * IR stop reason → the Responses status: a turn cut by the token limit or by a content filter
 * (a refusal) is `incomplete` with its reason; every other end of turn, tool calls included, is
 * `completed` (the Responses API says tool calls by its output items, not by a stop reason).
 */
export function toResponsesStatus(reason: IRStopReason): ResponsesStatus {
  switch (reason) {
    case "max_tokens":
      return { status: "incomplete", reason: "max_output_tokens" };
    case "refusal":
      return { status: "incomplete", reason: "content_filter" };
    default:
      return { status: "completed" };
  }
}
