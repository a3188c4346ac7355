import type { ResolvedProvider } from "../../config/types.ts";
import { vertexModelUrl } from "../../providers/vertex/vertex-kind.ts";
import {
  addReportedTokens,
  type EmbeddingsAsk,
  type EmbeddingsCall,
  type EmbeddingsCodec,
  type EmbeddingsResult,
  textInputsOf,
} from "./embeddings-codec.ts";

/**
 * Vertex AI text embeddings: `publishers/google/models/{model}:predict` on the provider's Vertex
 * URL (its location's host, or `base_url`), `{"instances":[{"content"}], "parameters"}`. Credentials
 * are the vertex transport's (OAuth token or API key), added by callUpstream.
 */
export const vertexEmbeddingsCodec: EmbeddingsCodec = {
  encodeRequest: toVertexPredictCalls,
  decodeResponses: fromVertexPredictResponses,
};

/** text-embedding-005 and text-multilingual-embedding-002 take up to 250 instances a call. */
export const VERTEX_EMBED_BATCH = 250;

/** gemini-embedding-001 (and its successors) take one instance a call on `:predict`. */
export function vertexEmbedBatchSize(model: string): number {
  return /^(?:models\/)?gemini-embedding/.test(model) ? 1 : VERTEX_EMBED_BATCH;
}

export function toVertexPredictCalls(ask: EmbeddingsAsk, provider: ResolvedProvider): EmbeddingsCall[] {
  const texts = textInputsOf(ask, provider, "Vertex AI");
  const url = vertexModelUrl(provider, "google", ask.model, "predict");
  const parameters =
    ask.dimensions === undefined ? {} : { parameters: { outputDimensionality: ask.dimensions } };
  return toBatches(texts, vertexEmbedBatchSize(ask.model)).map((batch) => ({
    url,
    body: { instances: batch.map((content) => ({ content })), ...parameters },
  }));
}

/**
 * A call also carries at most ~20,000 input tokens (Vertex refuses more), counted as the gateway
 * estimates them (4 characters a token); a single longer text goes alone (Vertex truncates it).
 */
const VERTEX_EMBED_TOKENS_PER_CALL = 20_000;

/** Texts in order, cut into batches of at most `size` texts and the token budget. */
function toBatches(texts: string[], size: number): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let tokens = 0;
  for (const text of texts) {
    const estimate = Math.ceil(text.length / 4);
    if (batch.length > 0 && (batch.length === size || tokens + estimate > VERTEX_EMBED_TOKENS_PER_CALL)) {
      batches.push(batch);
      batch = [];
      tokens = 0;
    }
    batch.push(text);
    tokens += estimate;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

interface VertexPredictResponse {
  predictions?: Array<{ embeddings?: { values?: unknown; statistics?: { token_count?: unknown } } }>;
}

/** Vectors in order; input tokens are the sum of every prediction's `statistics.token_count`. */
export function fromVertexPredictResponses(answers: unknown[]): EmbeddingsResult {
  const vectors: number[][] = [];
  let inputTokens: number | null = 0;
  for (const answer of answers) {
    const { predictions } = (answer ?? {}) as VertexPredictResponse;
    if (!Array.isArray(predictions)) throw new Error(":predict answer without predictions");
    for (const prediction of predictions) {
      const values = prediction?.embeddings?.values;
      if (!Array.isArray(values)) throw new Error(":predict prediction without embeddings.values");
      vectors.push(values as number[]);
      inputTokens = addReportedTokens(inputTokens, prediction.embeddings?.statistics?.token_count);
    }
  }
  return { vectors, inputTokens };
}
