/**
 * How a Responses stream that fails mid-way says so, the same on the translated path (the stream
 * encoder) and on the pipe (the pass-through, when the upstream breaks): an `error` event carrying
 * OpenAI's nested `error` object (what the API sends) and the flat fields of the published
 * ResponseErrorEvent schema, so clients reading either find them; then `response.failed` whose
 * `error.code` is the same code.
 */

/** A gateway or provider error type → the `code` OpenAI uses for it in a failed response. */
export function toResponsesErrorCode(errorType: string): string {
  if (errorType === "rate_limit_error" || errorType === "rate_limit_exceeded") return "rate_limit_exceeded";
  // Anthropic-style and gateway types (api_error, overloaded_error, …) name no OpenAI code.
  return errorType.endsWith("_error") ? "server_error" : errorType;
}

/** The fields of the `error` event (besides `type` and `sequence_number`). */
export function errorEventFields(errorType: string, message: string): Record<string, unknown> {
  const code = toResponsesErrorCode(errorType);
  return { error: { type: errorType, code, message, param: null }, code, message, param: null };
}
