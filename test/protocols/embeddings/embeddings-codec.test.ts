import { describe, expect, test } from "bun:test";
import type { ResolvedProvider } from "../../../src/config/types.ts";
import { fromBase64Float32, toBase64Float32 } from "../../../src/protocols/embeddings/encode-embedding.ts";
import {
  fromGeminiBatchEmbedResponses,
  GEMINI_EMBED_BATCH,
  toGeminiBatchEmbedCalls,
} from "../../../src/protocols/embeddings/gemini-embeddings.ts";
import { readOpenAIEmbeddingsUsage } from "../../../src/protocols/embeddings/to-openai-embeddings.ts";
import { validateEmbeddingsRequest } from "../../../src/protocols/embeddings/validate-embeddings.ts";

const gemini = { name: "gemini", baseUrl: "https://generativelanguage.googleapis.com" } as ResolvedProvider;

describe("embeddings codecs", () => {
  test("base64 is little-endian float32, as OpenAI sends it", () => {
    expect(toBase64Float32([1, -2.5])).toBe(
      Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0]).toString("base64"),
    );
    expect(fromBase64Float32(toBase64Float32([0.5, 3, -0.25]))).toEqual([0.5, 3, -0.25]);
  });

  test("Gemini: batches of 100, a `models/` prefix accepted, the id encoded in the path", () => {
    const calls = toGeminiBatchEmbedCalls(
      {
        model: "models/tuned/x y",
        input: Array.from({ length: GEMINI_EMBED_BATCH + 1 }, () => "t"),
        dimensions: 8,
      },
      gemini,
    );
    expect(calls).toHaveLength(2);
    expect(calls[0]!.url).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models/tuned%2Fx%20y:batchEmbedContents",
    );
    expect(calls[1]!.body).toEqual({
      requests: [{ model: "models/tuned/x y", content: { parts: [{ text: "t" }] }, outputDimensionality: 8 }],
    });
    expect(() => toGeminiBatchEmbedCalls({ model: "m", input: [[1, 2]] }, gemini)).toThrow("token ids");
  });

  test("Gemini answers: vectors in order; tokens only when every answer reports them", () => {
    const a = { embeddings: [{ values: [1] }, { values: [2] }], usageMetadata: { promptTokenCount: 4 } };
    const b = { embeddings: [{ values: [3] }], usageMetadata: { promptTokenCount: 1 } };
    expect(fromGeminiBatchEmbedResponses([a, b])).toEqual({ vectors: [[1], [2], [3]], inputTokens: 5 });
    expect(fromGeminiBatchEmbedResponses([a, { embeddings: [] }]).inputTokens).toBeNull();
    expect(() => fromGeminiBatchEmbedResponses([{ error: {} }])).toThrow();
  });

  test("OpenAI usage: prompt_tokens, else total_tokens, else null", () => {
    expect(readOpenAIEmbeddingsUsage({ usage: { prompt_tokens: 7, total_tokens: 7 } })).toBe(7);
    expect(readOpenAIEmbeddingsUsage({ usage: { total_tokens: 3 } })).toBe(3);
    expect(readOpenAIEmbeddingsUsage({ data: [] })).toBeNull();
  });

  test("the schema takes a text, texts, token ids and lists of them; names the field otherwise", () => {
    for (const input of ["x", ["x", "y"], [1, 2], [[1], [2, 3]]])
      expect(() => validateEmbeddingsRequest({ model: "m", input })).not.toThrow();
    expect(() => validateEmbeddingsRequest({ model: "m", input: [] })).toThrow("input");
    expect(() => validateEmbeddingsRequest({ model: "m", input: "x", encoding_format: "int8" })).toThrow(
      "encoding_format",
    );
    expect(() => validateEmbeddingsRequest({ input: "x" })).toThrow("model");
  });
});
