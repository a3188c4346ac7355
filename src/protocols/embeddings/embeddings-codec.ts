import type { ResolvedProvider } from "../../config/types.ts";

/**
 * The contract of a translated embeddings provider (Gemini, Vertex `:predict`, Bedrock Titan and
 * Cohere): an OpenAI request becomes one or more upstream calls, their answers become vectors.
 */

/** What the client asked for, with the target's upstream model id. */
export interface EmbeddingsAsk {
  /** Upstream model id. */
  model: string;
  /** Texts, or token-id arrays (only OpenAI-type providers take those). */
  input: string[] | number[][];
  dimensions?: number;
}

/** One upstream call: full URL (the provider's layout) and JSON body. */
export interface EmbeddingsCall {
  url: string;
  body: Record<string, unknown>;
}

export interface EmbeddingsResult {
  /** One vector per input, in input order. */
  vectors: number[][];
  /** Input tokens when the provider reports them; null: the gateway estimates. */
  inputTokens: number | null;
}

export interface EmbeddingsCodec {
  /**
   * The calls for one request, sent in order (a provider with a batch limit gets several; one
   * embedding a text per call, like Titan, gets one per input). Throws a 400 GatewayError for
   * input the provider cannot take (token ids to a text-only provider).
   */
  encodeRequest(ask: EmbeddingsAsk, provider: ResolvedProvider): EmbeddingsCall[];
  /**
   * The calls' JSON answers and their response headers, in call order (Bedrock reports Cohere's
   * token count only in a header). Throws when an answer has no vectors.
   */
  decodeResponses(answers: unknown[], headers: readonly Headers[]): EmbeddingsResult;
}
