import { describe, expect, test } from "bun:test";
import type { IRStreamEvent } from "../../../src/ir/types.ts";
import { anthropicClientCodec } from "../../../src/protocols/anthropic/codec.ts";
import { fromAnthropicUsage, toAnthropicUsage } from "../../../src/protocols/anthropic/convert-usage.ts";
import { fromAnthropicStopReason } from "../../../src/protocols/anthropic/map-stop-reason.ts";
import { encodeStream, parseSSE, summarizeAnthropic } from "../../ir/translate-stream.ts";

const encode = (events: IRStreamEvent[], inputTokenEstimate = 42) =>
  summarizeAnthropic(parseSSE(encodeStream(anthropicClientCodec, events, { inputTokenEstimate })));

describe("Anthropic stream encoder (IR events → Messages SSE)", () => {
  test("message_start is emitted even when the first IR event is content; usage from the upstream wins over the estimate", () => {
    expect(
      encode([
        { type: "text_delta", text: "x" },
        { type: "finish", reason: "end_turn" },
      ])[0],
    ).toEqual([
      "message_start",
      "client-model",
      { input_tokens: 42, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
    ]);
    const withUsage = encode([
      {
        type: "message_start",
        id: "msg_1",
        model: "m",
        usage: { inputTokens: 7, cacheReadTokens: 3, outputTokens: 1 },
      },
      { type: "finish", reason: "end_turn" },
    ]);
    expect(withUsage[0]).toEqual([
      "message_start",
      "client-model",
      { input_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 3, output_tokens: 1 },
    ]);
  });

  test("stop_sequence carries the matched sequence", () => {
    const out = encode([
      { type: "text_delta", text: "1, 2" },
      { type: "finish", reason: "stop_sequence", stopSequence: "3" },
    ]);
    expect(out.at(-2)).toEqual([
      "message_delta",
      { stop_reason: "stop_sequence", stop_sequence: "3" },
      { output_tokens: 0 },
    ]);
  });

  test("redacted reasoning is a self-contained redacted_thinking block; indices keep counting", () => {
    const out = encode([
      { type: "redacted_reasoning", data: "OPAQUE" },
      { type: "reasoning_delta", text: "t" },
      { type: "reasoning_signature", signature: "S" },
      { type: "text_delta", text: "a" },
      { type: "finish", reason: "end_turn" },
    ]);
    expect(out.slice(1, -2)).toEqual([
      ["block_start", 0, { type: "redacted_thinking", data: "OPAQUE" }],
      ["block_stop", 0],
      ["block_start", 1, { type: "thinking", thinking: "", signature: "" }],
      ["delta", 1, { type: "thinking_delta", thinking: "t" }],
      ["delta", 1, { type: "signature_delta", signature: "S" }],
      ["block_stop", 1],
      ["block_start", 2, { type: "text", text: "" }],
      ["delta", 2, { type: "text_delta", text: "a" }],
      ["block_stop", 2],
    ]);
  });

  test("upstream says tool_use but no tool call was emitted → end_turn", () => {
    const out = encode([
      { type: "text_delta", text: "x" },
      { type: "finish", reason: "tool_use" },
    ]);
    expect(out.at(-2)).toEqual([
      "message_delta",
      { stop_reason: "end_turn", stop_sequence: null },
      { output_tokens: 0 },
    ]);
  });

  test("usage after the finish (OpenAI order) still reaches message_delta, with cache fields", () => {
    const out = encode([
      { type: "text_delta", text: "x" },
      { type: "finish", reason: "end_turn" },
      {
        type: "usage",
        usage: { inputTokens: 5, outputTokens: 9, cacheReadTokens: 100, cacheWriteTokens: 4 },
      },
    ]);
    expect(out.at(-2)).toEqual([
      "message_delta",
      { stop_reason: "end_turn", stop_sequence: null },
      { output_tokens: 9, input_tokens: 5, cache_creation_input_tokens: 4, cache_read_input_tokens: 100 },
    ]);
  });

  test("an error event ends the stream: nothing after it, not even at end()", () => {
    const text = encodeStream(anthropicClientCodec, [
      { type: "text_delta", text: "x" },
      { type: "error", errorType: "overloaded_error", message: "Overloaded" },
      { type: "text_delta", text: "late" },
    ]);
    const events = parseSSE(text);
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "error",
    ]);
    expect(events.at(-1)?.data).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    });
  });

  test("an error before any content: only the error event", () => {
    const events = parseSSE(
      encodeStream(anthropicClientCodec, [{ type: "error", errorType: "api_error", message: "boom" }]),
    );
    expect(events.map((e) => e.event)).toEqual(["error"]);
  });

  test("the requested model name is reported, and an OpenAI id gets the msg_ prefix", () => {
    const events = parseSSE(
      encodeStream(
        anthropicClientCodec,
        [
          { type: "message_start", id: "chatcmpl-9", model: "gpt-4o" },
          { type: "finish", reason: "end_turn" },
        ],
        {
          requestedModel: "smart",
        },
      ),
    );
    const message = (events[0]?.data as { message?: Record<string, unknown> } | undefined)?.message ?? {};
    expect(message.model).toBe("smart");
    expect(message.id).toBe("msg_chatcmpl-9");
  });
});

describe("Anthropic mappers", () => {
  test("usage: partial message_delta usage stays partial; thinking tokens read", () => {
    expect(fromAnthropicUsage({ output_tokens: 65 })).toEqual({ outputTokens: 65 });
    expect(
      fromAnthropicUsage({
        input_tokens: 28,
        cache_creation_input_tokens: 1,
        cache_read_input_tokens: 2,
        output_tokens: 106,
        output_tokens_details: { thinking_tokens: 67 },
      }),
    ).toEqual({
      inputTokens: 28,
      cacheWriteTokens: 1,
      cacheReadTokens: 2,
      outputTokens: 106,
      reasoningTokens: 67,
    });
    expect(toAnthropicUsage({ inputTokens: 3, outputTokens: 4 })).toEqual({
      input_tokens: 3,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 4,
    });
  });

  test.each([
    ["end_turn", "end_turn"],
    ["max_tokens", "max_tokens"],
    ["model_context_window_exceeded", "max_tokens"],
    ["tool_use", "tool_use"],
    ["stop_sequence", "stop_sequence"],
    ["refusal", "refusal"],
    ["pause_turn", "pause_turn"],
    [null, "end_turn"],
  ])("stop_reason %s → %s", (wire, ir) => {
    expect(fromAnthropicStopReason(wire)).toBe(ir as never);
  });
});
