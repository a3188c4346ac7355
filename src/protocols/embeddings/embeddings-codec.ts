import type { ResolvedProvider } from "../../config/types.ts";
import { invalidRequest } from "../../errors/gateway-error.ts";

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

/** The inputs as texts; a 400 when any is token ids (`api` names the provider's API). */
export function textInputsOf(ask: EmbeddingsAsk, provider: ResolvedProvider, api: string): string[] {
  const texts = ask.input.filter((item): item is string => typeof item === "string");
  if (texts.length !== ask.input.length) {
    throw invalidRequest(
      `Provider '${provider.name}' (${api}) embeds text only: 'input' as token ids cannot be sent to it.`,
      "input",
      "unsupported_input",
    );
  }
  return texts;
}

/** Items in order, at most `size` a batch. */
export function inBatches<T>(items: T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** A running input-token total over the calls' answers: null once any answer reports none. */
export function addReportedTokens(total: number | null, reported: unknown): number | null {
  return typeof reported === "number" && total !== null ? total + reported : null;
}
