import { asRecord, type JsonObject } from "../../ir/guards.ts";
import type { IRStopReason } from "../../ir/types.ts";

/**
 * A finished Response object's status → IR stop reason, before tool calls and refusals are taken
 * into account (callers pass it through deriveStopReason). `incomplete` is a cut-off answer: by the
 * output limit (max_output_tokens, and any reason not known yet) or by the content filter.
 */
export function fromResponsesStatus(response: JsonObject | undefined): IRStopReason {
  if (response?.status !== "incomplete") return "end_turn";
  return asRecord(response.incomplete_details)?.reason === "content_filter" ? "refusal" : "max_tokens";
}
