import type { ResolvedProvider } from "../../config/types.ts";
import {
  addReportedTokens,
  type EmbeddingsAsk,
  type EmbeddingsCall,
  type EmbeddingsCodec,
  type EmbeddingsResult,
  inBatches,
  textInputsOf,
} from "./embeddings-codec.ts";

/** Gemini's `batchEmbedContents` takes at most this many requests per call. */
export const GEMINI_EMBED_BATCH = 100;

/** Gemini API `models/{model}:batchEmbedContents`: texts in batches, `dimensions` as outputDimensionality. */
export const geminiEmbeddingsCodec: EmbeddingsCodec = {
  encodeRequest: toGeminiBatchEmbedCalls,
  decodeResponses: fromGeminiBatchEmbedResponses,
};

export function toGeminiBatchEmbedCalls(ask: EmbeddingsAsk, provider: ResolvedProvider): EmbeddingsCall[] {
  const texts = textInputsOf(ask, provider, "Gemini");
  const id = ask.model.replace(/^models\//, "").toWellFormed();
  const url = `${provider.baseUrl}/v1beta/models/${encodeURIComponent(id)}:batchEmbedContents`;
  return inBatches(texts, GEMINI_EMBED_BATCH).map((batch) => ({
    url,
    body: {
      requests: batch.map((text) => ({
        model: `models/${id}`,
        content: { parts: [{ text }] },
        ...(ask.dimensions === undefined ? {} : { outputDimensionality: ask.dimensions }),
      })),
    },
  }));
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
    inputTokens = addReportedTokens(inputTokens, usageMetadata?.promptTokenCount);
  }
  return { vectors, inputTokens };
}
