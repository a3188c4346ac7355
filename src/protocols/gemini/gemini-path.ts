/**
 * Path under the provider's base_url. The model id is URL-encoded (ids such as tuned models may
 * contain characters that matter in a path) and a leading `models/`, as Gemini's own model list
 * prints ids, is accepted.
 */
export function toGeminiPath(model: string, stream: boolean): string {
  // A lone surrogate (legal in a JSON string) would make encodeURIComponent throw: it becomes U+FFFD.
  const id = encodeURIComponent(model.replace(/^models\//, "").toWellFormed());
  return stream
    ? `/v1beta/models/${id}:streamGenerateContent?alt=sse`
    : `/v1beta/models/${id}:generateContent`;
}
