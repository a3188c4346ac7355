import { describe, expect, test } from "bun:test";
import type { IRStreamEvent } from "../../../src/ir/types.ts";
import { openAIClientCodec } from "../../../src/protocols/openai/codec.ts";
import { encodeStream, parseSSE, summarizeOpenAI } from "../../ir/translate-stream.ts";

const encode = (events: IRStreamEvent[], includeUsage = true) =>
  summarizeOpenAI(parseSSE(encodeStream(openAIClientCodec, events, { includeUsage })));

describe("OpenAI stream encoder (IR events → chat.completion.chunk SSE)", () => {
  test("two thinking blocks with signatures around a tool call: one reasoning_details delta with both, before the finish", () => {
    const out = encode([
      { type: "message_start", id: "msg_1", model: "claude" },
      { type: "reasoning_delta", text: "first" },
      { type: "reasoning_signature", signature: "S1" },
      { type: "tool_call_start", toolIndex: 0, id: "toolu_1", name: "f" },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: "{}" },
      { type: "reasoning_delta", text: "second" },
      { type: "reasoning_signature", signature: "S2" },
      { type: "finish", reason: "tool_use" },
    ]);
    expect(out).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ reasoning_content: "first" }, null],
      [
        {
          tool_calls: [{ index: 0, id: "toolu_1", type: "function", function: { name: "f", arguments: "" } }],
        },
        null,
      ],
      [{ tool_calls: [{ index: 0, function: { arguments: "{}" } }] }, null],
      [{ reasoning_content: "second" }, null],
      [
        {
          reasoning_details: [
            { type: "reasoning.text", text: "first", signature: "S1", index: 0 },
            { type: "reasoning.text", text: "second", signature: "S2", index: 1 },
          ],
        },
        null,
      ],
      [{}, "tool_calls"],
      ["usage", expect.anything()],
      "[DONE]",
    ]);
  });

  test("unsigned reasoning (DeepSeek-style upstream) streams as reasoning_content with no reasoning_details", () => {
    const out = encode(
      [
        { type: "reasoning_delta", text: "r" },
        { type: "text_delta", text: "a" },
        { type: "finish", reason: "end_turn" },
      ],
      false,
    );
    expect(out).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ reasoning_content: "r" }, null],
      [{ content: "a" }, null],
      [{}, "stop"],
      "[DONE]",
    ]);
  });

  test("tool indices are allocated 0, 1, … whatever the IR toolIndex values", () => {
    const out = encode(
      [
        { type: "tool_call_start", toolIndex: 5, id: "a", name: "x" },
        { type: "tool_call_start", toolIndex: 9, id: "b", name: "y" },
        { type: "tool_call_delta", toolIndex: 9, argumentsDelta: "{}" },
        { type: "finish", reason: "end_turn" },
      ],
      false,
    );
    expect(out.slice(1)).toEqual([
      [
        { tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "x", arguments: "" } }] },
        null,
      ],
      [
        { tool_calls: [{ index: 1, id: "b", type: "function", function: { name: "y", arguments: "" } }] },
        null,
      ],
      [{ tool_calls: [{ index: 1, function: { arguments: "{}" } }] }, null],
      [{}, "tool_calls"],
      "[DONE]",
    ]);
  });

  test("an error event: data {error} and no [DONE], even after end()", () => {
    const out = encode([
      { type: "text_delta", text: "x" },
      { type: "error", errorType: "overloaded_error", message: "Overloaded" },
    ]);
    expect(out).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ content: "x" }, null],
      ["error", { message: "Overloaded", type: "overloaded_error", param: null, code: null }],
    ]);
  });

  test("a stream that ends without a finish is an error, not a [DONE]", () => {
    const out = encode([{ type: "text_delta", text: "x" }]);
    expect(out.at(-1)).toEqual(["error", expect.objectContaining({ type: "api_error" })]);
    expect(out).not.toContain("[DONE]");
  });

  test("usage chunk: totals from IR usage (prompt includes cache reads), only when asked", () => {
    const events: IRStreamEvent[] = [
      { type: "message_start", id: "m", model: "x", usage: { inputTokens: 10, cacheReadTokens: 90 } },
      { type: "text_delta", text: "a" },
      { type: "usage", usage: { outputTokens: 4 } },
      { type: "finish", reason: "max_tokens" },
    ];
    expect(encode(events).slice(-3)).toEqual([
      [{}, "length"],
      [
        "usage",
        {
          prompt_tokens: 100,
          completion_tokens: 4,
          total_tokens: 104,
          prompt_tokens_details: { cached_tokens: 90 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      ],
      "[DONE]",
    ]);
    expect(encode(events, false).slice(-2)).toEqual([[{}, "length"], "[DONE]"]);
  });

  test("each chunk is one SSE data line with the requested model and a stable id/created", () => {
    const text = encodeStream(openAIClientCodec, [
      { type: "message_start", id: "msg_abc", model: "claude", created: 1700000000 },
      { type: "text_delta", text: "a\nb" },
      { type: "finish", reason: "end_turn" },
    ]);
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    const chunks = parseSSE(text)
      .slice(0, -1)
      .map((e) => e.data as Record<string, unknown>);
    for (const chunk of chunks) {
      expect(chunk.id).toBe("msg_abc");
      expect(chunk.created).toBe(1700000000);
      expect(chunk.model).toBe("client-model");
    }
    expect(text).toContain('"content":"a\\nb"');
  });
});
