/**
 * Gemini stream → IR → OpenAI chat.completion.chunk stream, end to end through the real decoder
 * and the real OpenAI stream encoder, asserting the exact chunk sequence a client receives.
 */
import { describe, expect, test } from "bun:test";
import type { IRStreamEvent } from "../../../src/ir/types.ts";
import { openAIClientCodec } from "../../../src/protocols/openai/codec.ts";
import { SSEParser } from "../../../src/sse/parser.ts";
import { readFixture, recordedInteractions } from "../../support/fixtures.ts";
import { decodeGeminiSSE } from "./decode-stream.ts";
import { sequentialIds } from "./helpers.ts";

type Chunk = Record<string, unknown> | "[DONE]";

function toOpenAIChunks(events: IRStreamEvent[], includeUsage = true): Chunk[] {
  const encoder = openAIClientCodec.createStreamEncoder({
    requestedModel: "gpt-4o",
    includeUsage,
    inputTokenEstimate: 0,
  });
  let text = "";
  for (const event of events) text += encoder.push(event);
  text += encoder.end();
  const parser = new SSEParser();
  return [...parser.push(text), ...parser.end()].map((e) => {
    if (e.data === "[DONE]") return "[DONE]";
    const { created: _c, id: _i, ...rest } = JSON.parse(e.data) as Record<string, unknown>;
    return rest;
  });
}

const base = { object: "chat.completion.chunk", model: "gpt-4o" };
const delta = (d: Record<string, unknown>, finish: string | null = null) => ({
  ...base,
  choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }],
});

describe("Gemini → OpenAI stream (golden)", () => {
  test("louter single chunk: role, content, stop, usage with reasoning tokens, [DONE]", () => {
    const events = decodeGeminiSSE(readFixture("gemini/louter-native-sse-single-chunk.txt"), sequentialIds());
    expect(toOpenAIChunks(events)).toEqual([
      delta({ role: "assistant", content: "" }),
      delta({ content: "1, 2, 3" }),
      delta({}, "stop"),
      {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: 8,
          completion_tokens: 30,
          total_tokens: 38,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 23 },
        },
      },
      "[DONE]",
    ]);
  });

  test("2.5-flash function call: tool_calls chunks, the signature on the call (extra_content) and in reasoning_details, finish tool_calls", () => {
    const name = "gemini/jsgenai-stream-function-call-thought-signature-2.5-flash.json";
    const sse = recordedInteractions(name)[0]!.bodyText;
    const signature = JSON.parse(sse.slice(6).trim()).candidates[0].content.parts[0]
      .thoughtSignature as string;
    const chunks = toOpenAIChunks(decodeGeminiSSE(sse, sequentialIds()), false);
    expect(chunks).toEqual([
      delta({ role: "assistant", content: "" }),
      delta({
        tool_calls: [
          {
            index: 0,
            id: "call_0",
            type: "function",
            function: { name: "customDivide", arguments: "" },
            // Where Google's own OpenAI-compatible endpoint puts it.
            extra_content: { google: { thought_signature: signature } },
          },
        ],
      }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"denominator":2,"numerator":10}' } }] }),
      delta({
        reasoning_details: [
          { type: "reasoning.text", text: "", signature: `gemini:call:call_0:${signature}`, index: 0 },
        ],
      }),
      delta({}, "tool_calls"),
      "[DONE]",
    ]);
  });

  test("MAX_TOKENS stream → finish_reason length, content reassembles exactly", () => {
    const sse = recordedInteractions("gemini/jsgenai-stream-thinking-budget-max-tokens.json")[0]!.bodyText;
    const chunks = toOpenAIChunks(decodeGeminiSSE(sse, sequentialIds()), false);
    const content = chunks
      .flatMap((c) => (c === "[DONE]" ? [] : ((c.choices as Array<{ delta: { content?: string } }>) ?? [])))
      .map((c) => c.delta.content ?? "")
      .join("");
    const expected = sse
      .split("\r\n\r\n")
      .filter((s) => s.startsWith("data: "))
      .map((s) => JSON.parse(s.slice(6)).candidates[0].content.parts[0].text)
      .join("");
    expect(content).toBe(expected);
    expect(chunks.at(-2)).toEqual(delta({}, "length"));
  });

  test("thoughts stream as reasoning_content, then content; a mid-stream error ends without [DONE]", () => {
    const data = (v: unknown) => `data: ${JSON.stringify(v)}\r\n\r\n`;
    const sse =
      data({ candidates: [{ content: { parts: [{ text: "Hmm.", thought: true }] } }] }) +
      data({ candidates: [{ content: { parts: [{ text: "Answer" }] } }] }) +
      data({ error: { code: 503, message: "overloaded", status: "UNAVAILABLE" } });
    expect(toOpenAIChunks(decodeGeminiSSE(sse, sequentialIds()))).toEqual([
      delta({ role: "assistant", content: "" }),
      delta({ reasoning_content: "Hmm." }),
      delta({ content: "Answer" }),
      { error: { message: "overloaded", type: "overloaded_error", param: null, code: null } },
    ]);
  });
});
