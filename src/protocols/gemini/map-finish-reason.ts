import type { IRStopReason } from "../../ir/types.ts";

/** Output withheld by a filter: the client protocols call this a refusal / content_filter. */
const FILTERED = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "LANGUAGE",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
]);

/** The model produced something unusable (e.g. a function call that does not parse). */
const FAILED = new Set([
  "MALFORMED_FUNCTION_CALL",
  "UNEXPECTED_TOOL_CALL",
  "TOO_MANY_TOOL_CALLS",
  "MALFORMED_RESPONSE",
  "MISSING_THOUGHT_SIGNATURE",
]);

/**
 * Gemini says STOP both for a natural end and for a matched stop sequence (and does not say which
 * sequence), and STOP again when it emitted function calls: `hasToolCalls` decides tool_use.
 */
export function mapGeminiFinishReason(reason: string | undefined, hasToolCalls: boolean): IRStopReason {
  if (reason === "MAX_TOKENS") return "max_tokens";
  if (reason !== undefined && FILTERED.has(reason)) return "refusal";
  if (reason !== undefined && FAILED.has(reason)) return "error";
  return hasToolCalls ? "tool_use" : "end_turn";
}

/** Anthropic-style error type for a Google RPC status, for IR `error` stream events. */
export function mapGeminiErrorStatus(status: string | undefined, code: number | undefined): string {
  switch (status) {
    case "INVALID_ARGUMENT":
    case "FAILED_PRECONDITION":
    case "OUT_OF_RANGE":
      return "invalid_request_error";
    case "UNAUTHENTICATED":
      return "authentication_error";
    case "PERMISSION_DENIED":
      return "permission_error";
    case "NOT_FOUND":
      return "not_found_error";
    case "RESOURCE_EXHAUSTED":
      return "rate_limit_error";
    case "UNAVAILABLE":
      return "overloaded_error";
    default:
      if (code === 429) return "rate_limit_error";
      if (code === 503) return "overloaded_error";
      return "api_error";
  }
}
