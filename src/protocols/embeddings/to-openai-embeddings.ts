import { toBase64Float32 } from "./encode-embedding.ts";

/** The OpenAI embeddings answer for vectors a translated provider returned. */
export function toOpenAIEmbeddingsResponse(
  vectors: number[][],
  options: { model: string; inputTokens: number; encoding: "float" | "base64" },
): Record<string, unknown> {
  return {
    object: "list",
    data: vectors.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: options.encoding === "base64" ? toBase64Float32(vector) : vector,
    })),
    model: options.model,
    usage: { prompt_tokens: options.inputTokens, total_tokens: options.inputTokens },
  };
}

/** `usage.prompt_tokens` of an OpenAI embeddings answer; null when absent. */
export function readOpenAIEmbeddingsUsage(json: unknown): number | null {
  const usage = (json as { usage?: { prompt_tokens?: unknown; total_tokens?: unknown } } | null)?.usage;
  const tokens = usage?.prompt_tokens ?? usage?.total_tokens;
  return typeof tokens === "number" && Number.isFinite(tokens) ? tokens : null;
}
