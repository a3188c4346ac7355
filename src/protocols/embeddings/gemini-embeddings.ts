import type { ResolvedProvider } from "../../config/types.ts";
import { invalidRequest } from "../../errors/gateway-error.ts";
import type { EmbeddingsAsk, EmbeddingsCall, EmbeddingsCodec, EmbeddingsResult } from "./embeddings-codec.ts";

/** Gemini's `batchEmbedContents` takes at most this many requests per call. */
export const GEMINI_EMBED_BATCH = 100;

/** Gemini API `models/{model}:batchEmbedContents`: texts in batches, `dimensions` as outputDimensionality. */
export const geminiEmbeddingsCodec: EmbeddingsCodec = {
  encodeRequest: toGeminiBatchEmbedCalls,
  decodeResponses: fromGeminiBatchEmbedResponses,
};

export function toGeminiBatchEmbedCalls(ask: EmbeddingsAsk, provider: ResolvedProvider): EmbeddingsCall[] {
  const texts = ask.input.filter((item): item is string => typeof item === "string");
  if (texts.length !== ask.input.length) {
    throw invalidRequest(
      `Provider '${provider.name}' (Gemini) embeds text only: 'input' as token ids cannot be sent to it.`,
      "input",
      "unsupported_input",
    );
  }
  const id = ask.model.replace(/^models\//, "").toWellFormed();
  const url = `${provider.baseUrl}/v1beta/models/${encodeURIComponent(id)}:batchEmbedContents`;
  const calls: EmbeddingsCall[] = [];
  for (let start = 0; start < texts.length; start += GEMINI_EMBED_BATCH) {
    const requests = texts.slice(start, start + GEMINI_EMBED_BATCH).map((text) => ({
      model: `models/${id}`,
      content: { parts: [{ text }] },
      ...(ask.dimensions === undefined ? {} : { outputDimensionality: ask.dimensions }),
    }));
    calls.push({ url, body: { requests } });
  }
  return calls;
}

interface GeminiBatchEmbedResponse {
  embeddings?: Array<{ values?: unknown }>;
  usageMetadata?: { promptTokenCount?: unknown };
}

export function fromGeminiBatchEmbedResponses(answers: unknown[]): EmbeddingsResult {
  const vectors: number[][] = [];
  let inputTokens: number | null = 0;
  for (const answer of answers) {
    const { embeddings, usageMetadata } = (answer ?? {}) as GeminiBatchEmbedResponse;
    if (!Array.isArray(embeddings)) throw new Error("batchEmbedContents answer without embeddings");
    for (const embedding of embeddings) {
      if (!Array.isArray(embedding?.values)) throw new Error("batchEmbedContents embedding without values");
      vectors.push(embedding.values as number[]);
    }
    const reported = usageMetadata?.promptTokenCount;
    inputTokens = typeof reported === "number" && inputTokens !== null ? inputTokens + reported : null;
  }
  return { vectors, inputTokens };
}
