import type { ResolvedProvider } from "../../config/types.ts";
import { invalidRequest } from "../../errors/gateway-error.ts";
import { bedrockModelUrl } from "../../providers/bedrock/bedrock-kind.ts";
import {
  addReportedTokens,
  type EmbeddingsAsk,
  type EmbeddingsCall,
  type EmbeddingsCodec,
  type EmbeddingsResult,
  inBatches,
  textInputsOf,
} from "./embeddings-codec.ts";

/**
 * Bedrock InvokeModel (`/model/{id}/invoke`, SigV4 by the bedrock transport), with the body of
 * the model's family, told apart by the model id (a bare id, an inference profile such as
 * `us.cohere.embed-v4:0`, or an ARN ending in either):
 * - Amazon Titan text embeddings: one text a call, `{"inputText", "dimensions"?}` (dimensions on
 *   v2 only; `normalize` is left at its default, true, which is what OpenAI's vectors are);
 * - Cohere Embed v3 / v4: up to 96 texts a call, `{"texts", "input_type": "search_document"}`
 *   (v4 also `embedding_types: ["float"]` and `output_dimension`). `input_type` and other fields
 *   are set through `provider_options.bedrock`, which the pipeline merges into each call's body.
 * Any other model is a 400 naming it.
 */
export const bedrockEmbeddingsCodec: EmbeddingsCodec = {
  encodeRequest: toBedrockInvokeCalls,
  decodeResponses: fromBedrockInvokeResponses,
};

/** Cohere Embed on Bedrock takes at most this many texts a call. */
export const COHERE_EMBED_BATCH = 96;
const COHERE_DEFAULT_INPUT_TYPE = "search_document";
/** Bedrock's response header with the input tokens of an InvokeModel call. */
const BEDROCK_INPUT_TOKENS_HEADER = "x-amzn-bedrock-input-token-count";

type BedrockEmbeddingFamily =
  | { kind: "titan"; version: 1 | 2 }
  | { kind: "cohere"; version: 3 | 4 }
  | undefined;

/** The embedding family of a Bedrock model id; undefined: not an embedding model the gateway speaks. */
export function bedrockEmbeddingFamily(model: string): BedrockEmbeddingFamily {
  if (/(^|[.:/])amazon\.titan-embed-text-v2/.test(model)) return { kind: "titan", version: 2 };
  if (/(^|[.:/])amazon\.titan-embed-(text-v1|g1-text)/.test(model)) return { kind: "titan", version: 1 };
  if (/(^|[.:/])cohere\.embed-v4/.test(model)) return { kind: "cohere", version: 4 };
  if (/(^|[.:/])cohere\.embed-(english|multilingual)-v3/.test(model)) return { kind: "cohere", version: 3 };
  return undefined;
}

export function toBedrockInvokeCalls(ask: EmbeddingsAsk, provider: ResolvedProvider): EmbeddingsCall[] {
  const family = bedrockEmbeddingFamily(ask.model);
  if (!family) {
    throw invalidRequest(
      `The model '${ask.model}' cannot create embeddings through provider '${provider.name}' (type bedrock): the gateway embeds with Amazon Titan text embeddings (amazon.titan-embed-text-v1, amazon.titan-embed-text-v2:0) and Cohere Embed (cohere.embed-english-v3, cohere.embed-multilingual-v3, cohere.embed-v4:0) only.`,
      "model",
      "embeddings_not_supported",
    );
  }
  const texts = textInputsOf(ask, provider, "Bedrock");
  if (ask.dimensions !== undefined && family.version !== 2 && family.version !== 4) {
    throw invalidRequest(
      `The model '${ask.model}' has a fixed number of dimensions: 'dimensions' cannot be set for it.`,
      "dimensions",
      "unsupported_parameter",
    );
  }
  const url = bedrockModelUrl(provider, ask.model, "invoke");
  if (family.kind === "titan") {
    return texts.map((inputText) => ({
      url,
      body: { inputText, ...(ask.dimensions === undefined ? {} : { dimensions: ask.dimensions }) },
    }));
  }
  return inBatches(texts, COHERE_EMBED_BATCH).map((batch) => ({
    url,
    body: {
      texts: batch,
      input_type: COHERE_DEFAULT_INPUT_TYPE,
      ...(family.version === 4 ? { embedding_types: ["float"] } : {}),
      ...(ask.dimensions === undefined ? {} : { output_dimension: ask.dimensions }),
    },
  }));
}

interface TitanEmbedResponse {
  embedding?: unknown;
  inputTextTokenCount?: unknown;
}

interface CohereEmbedResponse {
  /** `embeddings_floats`: the vectors; `embeddings_by_type`: `{float: vectors, …}`. */
  embeddings?: unknown;
}

/**
 * Vectors in order, told apart by shape: Titan's `embedding` (one vector, tokens in
 * `inputTextTokenCount`) or Cohere's `embeddings` (a list, or `{float: list}`; tokens only in
 * Bedrock's `X-Amzn-Bedrock-Input-Token-Count` header). Tokens are null when a call reports none.
 */
export function fromBedrockInvokeResponses(
  answers: unknown[],
  headers: readonly Headers[],
): EmbeddingsResult {
  const vectors: number[][] = [];
  let inputTokens: number | null = 0;
  for (const [index, answer] of answers.entries()) {
    const titan = (answer ?? {}) as TitanEmbedResponse;
    let reported: unknown;
    if (Array.isArray(titan.embedding)) {
      vectors.push(titan.embedding as number[]);
      reported = titan.inputTextTokenCount ?? readTokenHeader(headers[index]);
    } else {
      const list = readCohereVectors((answer ?? {}) as CohereEmbedResponse);
      if (!list) throw new Error("InvokeModel answer without embedding(s)");
      for (const vector of list) {
        if (!Array.isArray(vector)) throw new Error("Cohere embedding that is not a list");
        vectors.push(vector as number[]);
      }
      reported = readTokenHeader(headers[index]);
    }
    inputTokens = addReportedTokens(inputTokens, reported);
  }
  return { vectors, inputTokens };
}

function readCohereVectors({ embeddings }: CohereEmbedResponse): unknown[] | undefined {
  if (Array.isArray(embeddings)) return embeddings;
  const float = (embeddings as { float?: unknown } | null | undefined)?.float;
  return Array.isArray(float) ? float : undefined;
}

function readTokenHeader(headers: Headers | undefined): number | undefined {
  const value = headers?.get(BEDROCK_INPUT_TOKENS_HEADER);
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}
