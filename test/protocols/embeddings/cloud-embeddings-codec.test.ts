import { describe, expect, test } from "bun:test";
import type { ResolvedProvider } from "../../../src/config/types.ts";
import {
  bedrockEmbeddingFamily,
  COHERE_EMBED_BATCH,
  fromBedrockInvokeResponses,
  toBedrockInvokeCalls,
} from "../../../src/protocols/embeddings/bedrock-embeddings.ts";
import {
  fromVertexPredictResponses,
  toVertexPredictCalls,
  VERTEX_EMBED_BATCH,
  vertexEmbedBatchSize,
} from "../../../src/protocols/embeddings/vertex-embeddings.ts";
import { bedrockBaseUrl } from "../../../src/providers/bedrock/bedrock-kind.ts";
import { vertexBaseUrl } from "../../../src/providers/vertex/vertex-kind.ts";

const vertexAt = (location: string, baseUrl = vertexBaseUrl(location)) =>
  ({ name: "vertex", type: "vertex", baseUrl, vertex: { project: "my-proj", location } }) as ResolvedProvider;
const bedrock = {
  name: "bedrock",
  type: "bedrock",
  baseUrl: bedrockBaseUrl("us-east-1"),
} as ResolvedProvider;

describe("Vertex :predict codec", () => {
  test("the location's host (global has none), or the configured base_url", () => {
    const ask = { model: "text-embedding-005", input: ["a"] };
    expect(toVertexPredictCalls(ask, vertexAt("global"))[0]!.url).toBe(
      "https://aiplatform.googleapis.com/v1/projects/my-proj/locations/global/publishers/google/models/text-embedding-005:predict",
    );
    expect(toVertexPredictCalls(ask, vertexAt("europe-west4"))[0]!.url).toBe(
      "https://europe-west4-aiplatform.googleapis.com/v1/projects/my-proj/locations/europe-west4/publishers/google/models/text-embedding-005:predict",
    );
    expect(toVertexPredictCalls(ask, vertexAt("us-central1", "http://proxy.local"))[0]!.url).toStartWith(
      "http://proxy.local/v1/projects/my-proj/locations/us-central1/",
    );
  });

  test("batch size by model: gemini-embedding 1, the others 250; dimensions only when asked", () => {
    expect(vertexEmbedBatchSize("gemini-embedding-001")).toBe(1);
    expect(vertexEmbedBatchSize("text-multilingual-embedding-002")).toBe(VERTEX_EMBED_BATCH);
    const calls = toVertexPredictCalls(
      { model: "text-embedding-005", input: Array.from({ length: 251 }, () => "t"), dimensions: 64 },
      vertexAt("global"),
    );
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toEqual({
      instances: [{ content: "t" }],
      parameters: { outputDimensionality: 64 },
    });
    const gemini = toVertexPredictCalls(
      { model: "gemini-embedding-001", input: ["a", "b"] },
      vertexAt("global"),
    );
    expect(gemini.map((call) => call.body)).toEqual([
      { instances: [{ content: "a" }] },
      { instances: [{ content: "b" }] },
    ]);
    expect(() => toVertexPredictCalls({ model: "m", input: [[1]] }, vertexAt("global"))).toThrow("token ids");
    // ~20,000 tokens a call too (4 characters a token): 3 texts of 30,000 characters go 2 + 1;
    // one text over the budget goes alone.
    const long = "x".repeat(30_000);
    const byTokens = toVertexPredictCalls(
      { model: "text-embedding-005", input: [long, long, long, "x".repeat(100_000), "y"] },
      vertexAt("global"),
    );
    expect(byTokens.map((call) => (call.body.instances as unknown[]).length)).toEqual([2, 1, 1, 1]);
  });

  test("answers: vectors in order, token_count summed; null when one is missing; no vectors throws", () => {
    const prediction = (values: number[], tokens?: number) => ({
      embeddings: {
        values,
        ...(tokens === undefined ? {} : { statistics: { token_count: tokens, truncated: false } }),
      },
    });
    expect(
      fromVertexPredictResponses([
        { predictions: [prediction([1], 2), prediction([2], 3)] },
        { predictions: [prediction([3], 1)] },
      ]),
    ).toEqual({ vectors: [[1], [2], [3]], inputTokens: 6 });
    expect(fromVertexPredictResponses([{ predictions: [prediction([1])] }]).inputTokens).toBeNull();
    expect(() => fromVertexPredictResponses([{ error: {} }])).toThrow();
  });
});

describe("Bedrock InvokeModel codec", () => {
  test("the family from bare ids, inference profiles and ARNs; anything else is a 400 naming the model", () => {
    expect(bedrockEmbeddingFamily("amazon.titan-embed-text-v2:0")).toEqual({ kind: "titan", version: 2 });
    expect(bedrockEmbeddingFamily("amazon.titan-embed-text-v1")).toEqual({ kind: "titan", version: 1 });
    expect(bedrockEmbeddingFamily("global.cohere.embed-v4:0")).toEqual({ kind: "cohere", version: 4 });
    expect(
      bedrockEmbeddingFamily("arn:aws:bedrock:us-east-1::foundation-model/cohere.embed-multilingual-v3"),
    ).toEqual({ kind: "cohere", version: 3 });
    expect(bedrockEmbeddingFamily("amazon.titan-embed-image-v1")).toBeUndefined();
    expect(() =>
      toBedrockInvokeCalls({ model: "meta.llama3-8b-instruct-v1:0", input: ["x"] }, bedrock),
    ).toThrow("'meta.llama3-8b-instruct-v1:0'");
  });

  test("Titan: one call per text on the encoded id; Cohere: batches of 96", () => {
    const titan = toBedrockInvokeCalls({ model: "amazon.titan-embed-text-v2:0", input: ["a", "b"] }, bedrock);
    expect(titan).toEqual([
      {
        url: "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke",
        body: { inputText: "a" },
      },
      {
        url: "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke",
        body: { inputText: "b" },
      },
    ]);
    const cohere = toBedrockInvokeCalls(
      { model: "cohere.embed-english-v3", input: Array.from({ length: COHERE_EMBED_BATCH + 1 }, () => "t") },
      bedrock,
    );
    expect(cohere.map((call) => (call.body.texts as string[]).length)).toEqual([96, 1]);
    expect(cohere[1]!.body).toEqual({ texts: ["t"], input_type: "search_document" });
    expect(() =>
      toBedrockInvokeCalls({ model: "amazon.titan-embed-text-v1", input: ["x"], dimensions: 256 }, bedrock),
    ).toThrow("dimensions");
  });

  test("answers by shape: Titan's tokens from the body, Cohere's from the header, else null", () => {
    const header = (tokens: string) => new Headers({ "x-amzn-bedrock-input-token-count": tokens });
    expect(
      fromBedrockInvokeResponses(
        [
          { embedding: [1], inputTextTokenCount: 2 },
          { embedding: [2], inputTextTokenCount: 5 },
        ],
        [new Headers(), new Headers()],
      ),
    ).toEqual({ vectors: [[1], [2]], inputTokens: 7 });
    expect(
      fromBedrockInvokeResponses(
        [
          { id: "a", embeddings: [[1], [2]], response_type: "embeddings_floats", texts: ["x", "y"] },
          { id: "b", embeddings: { float: [[3]] }, response_type: "embeddings_by_type", texts: ["z"] },
        ],
        [header("4"), header("1")],
      ),
    ).toEqual({ vectors: [[1], [2], [3]], inputTokens: 5 });
    expect(fromBedrockInvokeResponses([{ embeddings: [[1]] }], [new Headers()]).inputTokens).toBeNull();
    expect(() => fromBedrockInvokeResponses([{ message: "x" }], [new Headers()])).toThrow();
  });
});
