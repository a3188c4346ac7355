import { describe, expect, test } from "bun:test";
import { isGatewayError } from "../../src/errors/gateway-error.ts";
import { anthropicClientCodec, anthropicProviderCodec } from "../../src/protocols/anthropic/codec.ts";
import { openAIClientCodec, openAIProviderCodec } from "../../src/protocols/openai/codec.ts";

/** Deterministic pseudo-random values of every JSON shape, to throw at the codecs. */
function makeRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const KEYS = [
  "type",
  "index",
  "delta",
  "content_block",
  "message",
  "usage",
  "choices",
  "tool_calls",
  "function",
  "arguments",
  "content",
  "text",
  "thinking",
  "signature",
  "partial_json",
  "finish_reason",
  "stop_reason",
  "id",
  "name",
  "role",
  "input",
  "reasoning_content",
  "reasoning_details",
  "error",
  "data",
  "prompt_tokens",
  "output_tokens",
];
const TYPES = [
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
  "text",
  "thinking",
  "tool_use",
  "text_delta",
  "input_json_delta",
  "signature_delta",
  "error",
  "ping",
  "reasoning.text",
];

function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth > 3 || r < 0.15) return [null, true, 0, -1, 1.5, "", "x", "[DONE]"][Math.floor(rand() * 8)];
  if (r < 0.3) return TYPES[Math.floor(rand() * TYPES.length)];
  if (r < 0.45) return Math.floor(rand() * 4);
  if (r < 0.6) return Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(rand, depth + 1));
  const obj: Record<string, unknown> = {};
  const n = 1 + Math.floor(rand() * 5);
  for (let i = 0; i < n; i++)
    obj[KEYS[Math.floor(rand() * KEYS.length)] ?? "x"] = randomValue(rand, depth + 1);
  return obj;
}

describe("codecs never crash on malformed input", () => {
  test("stream decoders + encoders: 300 random event sequences, no exception", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = makeRandom(seed);
      for (const [provider, client] of [
        [anthropicProviderCodec, openAIClientCodec],
        [openAIProviderCodec, anthropicClientCodec],
      ] as const) {
        const decoder = provider.createStreamDecoder();
        const encoder = client.createStreamEncoder({
          requestedModel: "m",
          includeUsage: true,
          inputTokenEstimate: 1,
        });
        for (let i = 0; i < 12; i++) {
          const value = randomValue(rand, 0);
          const data = rand() < 0.1 ? "{not json" : JSON.stringify(value);
          for (const event of decoder.push({ event: String(TYPES[Math.floor(rand() * TYPES.length)]), data }))
            encoder.push(event);
        }
        for (const event of decoder.end()) encoder.push(event);
        expect(typeof encoder.end()).toBe("string");
      }
    }
  });

  test("request decoders: random bodies either decode or throw a GatewayError (400), never a TypeError", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = makeRandom(seed);
      const messages = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => randomValue(rand, 1));
      for (const client of [openAIClientCodec, anthropicClientCodec]) {
        for (const provider of [anthropicProviderCodec, openAIProviderCodec]) {
          try {
            const ir = client.decodeRequest({
              model: "m",
              max_tokens: 10,
              messages,
              tools: rand() < 0.3 ? [randomValue(rand, 1)] : undefined,
            });
            provider.encodeRequest(ir, { providerName: "p", strict: false, dropped: [], adjusted: [] });
          } catch (error) {
            if (!isGatewayError(error)) throw error;
            expect(error.status).toBe(400);
          }
        }
      }
    }
  });

  test("response decoders: random JSON either decodes or throws a GatewayError (502)", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = makeRandom(seed);
      const json = randomValue(rand, 0);
      for (const provider of [anthropicProviderCodec, openAIProviderCodec]) {
        try {
          const ir = provider.decodeResponse(json);
          openAIClientCodec.encodeResponse(ir, "m");
          anthropicClientCodec.encodeResponse(ir, "m");
        } catch (error) {
          if (!isGatewayError(error)) throw error;
          expect(error.status).toBe(502);
        }
      }
    }
  });
});
