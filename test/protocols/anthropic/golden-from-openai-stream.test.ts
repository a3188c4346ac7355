import { describe, expect, test } from "bun:test";
import { anthropicClientCodec } from "../../../src/protocols/anthropic/codec.ts";
import { openAIProviderCodec } from "../../../src/protocols/openai/codec.ts";
import {
  FIXTURES,
  type ParsedEvent,
  summarizeAnthropic,
  translateStream,
} from "../../ir/translate-stream.ts";

const toAnthropic = (sse: string | string[], inputTokenEstimate = 11): ParsedEvent[] =>
  translateStream(openAIProviderCodec, anthropicClientCodec, sse, { inputTokenEstimate });

async function fromFixture(path: string): Promise<ParsedEvent[]> {
  return toAnthropic(await Bun.file(`${FIXTURES}/${path}`).text());
}

/** An OpenAI chunk line with the usual envelope. */
function chunk(
  delta: Record<string, unknown> | null,
  finish: string | null = null,
  extra: Record<string, unknown> = {},
): string {
  const choices = delta === null ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }];
  return `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "gpt-x", choices, ...extra })}\n\n`;
}
const DONE = "data: [DONE]\n\n";

const startUsage = (input: number) => ({
  input_tokens: input,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: 0,
});

describe("OpenAI upstream stream → Anthropic client events (recorded fixtures)", () => {
  test("gomodel text stream: message_start with the input estimate, one text block, end_turn", async () => {
    const events = await fromFixture("openai/gomodel-chat_completion_stream.txt");
    expect(summarizeAnthropic(events)).toEqual([
      ["message_start", "client-model", startUsage(11)],
      ["block_start", 0, { type: "text", text: "" }],
      ["delta", 0, { type: "text_delta", text: "Hello" }],
      ["delta", 0, { type: "text_delta", text: "," }],
      ["delta", 0, { type: "text_delta", text: " World" }],
      ["delta", 0, { type: "text_delta", text: "!" }],
      ["block_stop", 0],
      ["message_delta", { stop_reason: "end_turn", stop_sequence: null }, { output_tokens: 0 }],
      ["message_stop", { type: "message_stop" }],
    ]);
    expect((events[0]?.data as { message?: { id: string } })?.message?.id).toBe(
      "msg_chatcmpl-D0q8CZXN1uEzngZGkU7FuV92lnXWq",
    );
  });

  test("usage-only final chunk (choices: []) lands in message_delta: output and real input tokens", async () => {
    const events = await fromFixture("openai/openai-node-chat-stream-structured-output.txt");
    const summary = summarizeAnthropic(events);
    expect(summary.at(-2)).toEqual([
      "message_delta",
      { stop_reason: "end_turn", stop_sequence: null },
      { output_tokens: 10, input_tokens: 17 },
    ]);
    const text = events
      .filter((e) => e.event === "content_block_delta")
      .map((e) => (e.data as { delta: { text: string } }).delta.text)
      .join("");
    expect(JSON.parse(text)).toEqual(expect.objectContaining({ city: "San Francisco" }));
  });

  test("leading newline content and logprobs chunks keep every byte of text", async () => {
    for (const name of [
      "openai-node-chat-stream-leading-newline-chunk.txt",
      "openai-node-chat-stream-structured-output-content-logprobs.txt",
    ]) {
      const sse = await Bun.file(`${FIXTURES}/openai/${name}`).text();
      const expected = sse
        .split("\n")
        .filter((l) => l.startsWith("data: {"))
        .map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? "")
        .join("");
      const text = toAnthropic(sse)
        .filter((e) => e.event === "content_block_delta")
        .map((e) => (e.data as { delta: { text: string } }).delta.text)
        .join("");
      expect(text).toBe(expected);
    }
  });

  test("content and finish_reason in one chunk (Gemini OpenAI-compat)", async () => {
    const events = await fromFixture("gemini/gomodel-openai-compat-chat_completion_stream.txt");
    expect(summarizeAnthropic(events).slice(1)).toEqual([
      ["block_start", 0, { type: "text", text: "" }],
      ["delta", 0, { type: "text_delta", text: "Hello World" }],
      ["block_stop", 0],
      ["message_delta", { stop_reason: "end_turn", stop_sequence: null }, { output_tokens: 0 }],
      ["message_stop", { type: "message_stop" }],
    ]);
  });

  test("every recorded OpenAI-style stream ends with message_delta + message_stop", async () => {
    let count = 0;
    for (const dir of ["openai", "gemini", "xai", "groq", "other"]) {
      for await (const name of new Bun.Glob("*stream*.txt").scan(`${FIXTURES}/${dir}`)) {
        const sse = await Bun.file(`${FIXTURES}/${dir}/${name}`).text();
        if (!sse.includes("chat.completion.chunk")) continue;
        const events = toAnthropic(sse);
        expect(events[0]?.event).toBe("message_start");
        expect(events.at(-2)?.event).toBe("message_delta");
        expect(events.at(-1)?.event).toBe("message_stop");
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(5);
  });
});

describe("OpenAI upstream stream → Anthropic client events (synthetic edge cases)", () => {
  test("two tool calls in ONE chunk with complete arguments → two tool_use blocks, stop tool_use", () => {
    const events = toAnthropic([
      chunk({ role: "assistant", content: null }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_a",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
          {
            index: 1,
            id: "call_b",
            type: "function",
            function: { name: "get_time", arguments: '{"tz":"CET"}' },
          },
        ],
      }),
      chunk({}, "tool_calls"),
      chunk(null, null, { usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 } }),
      DONE,
    ]);
    expect(summarizeAnthropic(events)).toEqual([
      ["message_start", "client-model", startUsage(11)],
      ["block_start", 0, { type: "tool_use", id: "call_a", name: "get_weather", input: {} }],
      ["delta", 0, { type: "input_json_delta", partial_json: '{"city":"Paris"}' }],
      ["block_stop", 0],
      ["block_start", 1, { type: "tool_use", id: "call_b", name: "get_time", input: {} }],
      ["delta", 1, { type: "input_json_delta", partial_json: '{"tz":"CET"}' }],
      ["block_stop", 1],
      [
        "message_delta",
        { stop_reason: "tool_use", stop_sequence: null },
        { output_tokens: 20, input_tokens: 50 },
      ],
      ["message_stop", { type: "message_stop" }],
    ]);
  });

  test("parallel calls streamed OpenAI-style: name chunk then argument fragments, per index", () => {
    const events = toAnthropic([
      chunk({ role: "assistant", content: "" }),
      chunk({
        tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "a", arguments: "" } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"x"' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: ":1}" } }] }),
      chunk({
        tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "b", arguments: "" } }],
      }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{"y":2}' } }] }),
      chunk({}, "tool_calls"),
      DONE,
    ]);
    const summary = summarizeAnthropic(events);
    expect(summary.slice(1, -2)).toEqual([
      ["block_start", 0, { type: "tool_use", id: "call_1", name: "a", input: {} }],
      ["delta", 0, { type: "input_json_delta", partial_json: '{"x"' }],
      ["delta", 0, { type: "input_json_delta", partial_json: ":1}" }],
      ["block_stop", 0],
      ["block_start", 1, { type: "tool_use", id: "call_2", name: "b", input: {} }],
      ["delta", 1, { type: "input_json_delta", partial_json: '{"y":2}' }],
      ["block_stop", 1],
    ]);
  });

  test("tool call with empty arguments still yields valid input JSON {}", () => {
    const events = toAnthropic([
      chunk({
        tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "now", arguments: "" } }],
      }),
      chunk({
        tool_calls: [
          { index: 1, id: "call_2", type: "function", function: { name: "later", arguments: "" } },
        ],
      }),
      chunk({}, "tool_calls"),
      DONE,
    ]);
    expect(summarizeAnthropic(events).slice(1, -2)).toEqual([
      ["block_start", 0, { type: "tool_use", id: "call_1", name: "now", input: {} }],
      ["delta", 0, { type: "input_json_delta", partial_json: "{}" }],
      ["block_stop", 0],
      ["block_start", 1, { type: "tool_use", id: "call_2", name: "later", input: {} }],
      ["delta", 1, { type: "input_json_delta", partial_json: "{}" }],
      ["block_stop", 1],
    ]);
  });

  test("content before and after a tool call; upstream says stop but a tool was called → tool_use", () => {
    const events = toAnthropic([
      chunk({ role: "assistant", content: "Let me look." }),
      chunk({
        tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
      }),
      chunk({ content: "Done." }),
      chunk({}, "stop"),
      DONE,
    ]);
    expect(summarizeAnthropic(events).slice(1)).toEqual([
      ["block_start", 0, { type: "text", text: "" }],
      ["delta", 0, { type: "text_delta", text: "Let me look." }],
      ["block_stop", 0],
      ["block_start", 1, { type: "tool_use", id: "call_1", name: "f", input: {} }],
      ["delta", 1, { type: "input_json_delta", partial_json: "{}" }],
      ["block_stop", 1],
      ["block_start", 2, { type: "text", text: "" }],
      ["delta", 2, { type: "text_delta", text: "Done." }],
      ["block_stop", 2],
      ["message_delta", { stop_reason: "tool_use", stop_sequence: null }, { output_tokens: 0 }],
      ["message_stop", { type: "message_stop" }],
    ]);
  });

  test("reasoning_content (DeepSeek style) → thinking block before the text block", () => {
    const events = toAnthropic([
      chunk({ role: "assistant", reasoning_content: "Think" }),
      chunk({ reasoning_content: "ing." }),
      chunk({ content: "Answer" }),
      chunk({}, "stop"),
      DONE,
    ]);
    expect(summarizeAnthropic(events).slice(1, -2)).toEqual([
      ["block_start", 0, { type: "thinking", thinking: "", signature: "" }],
      ["delta", 0, { type: "thinking_delta", thinking: "Think" }],
      ["delta", 0, { type: "thinking_delta", thinking: "ing." }],
      ["block_stop", 0],
      ["block_start", 1, { type: "text", text: "" }],
      ["delta", 1, { type: "text_delta", text: "Answer" }],
      ["block_stop", 1],
    ]);
  });

  test("reasoning_details with signature (OpenRouter style) → signature_delta closes the thinking block", () => {
    const events = toAnthropic([
      chunk({ reasoning: "Hm.", reasoning_details: [{ type: "reasoning.text", text: "Hm.", index: 0 }] }),
      chunk({ reasoning_details: [{ type: "reasoning.text", text: "", signature: "sig-1", index: 0 }] }),
      chunk({ content: "Yes" }),
      chunk({}, "stop"),
      DONE,
    ]);
    expect(summarizeAnthropic(events).slice(1, 5)).toEqual([
      ["block_start", 0, { type: "thinking", thinking: "", signature: "" }],
      ["delta", 0, { type: "thinking_delta", thinking: "Hm." }],
      ["delta", 0, { type: "signature_delta", signature: "sig-1" }],
      ["block_stop", 0],
    ]);
  });

  test("empty deltas and keep-alive comments produce no events", () => {
    const events = toAnthropic([
      ": keep-alive\n\n",
      chunk({ role: "assistant" }),
      chunk({ content: "" }),
      chunk({}),
      chunk({ content: "x" }),
      chunk({}, "stop"),
      DONE,
    ]);
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  test("finish_reason length → max_tokens; cached tokens → cache_read_input_tokens with input excluding them", () => {
    const events = toAnthropic([
      chunk({ content: "abc" }),
      chunk({}, "length"),
      chunk(null, null, {
        usage: {
          prompt_tokens: 1000,
          completion_tokens: 7,
          total_tokens: 1007,
          prompt_tokens_details: { cached_tokens: 800 },
        },
      }),
      DONE,
    ]);
    expect(summarizeAnthropic(events).at(-2)).toEqual([
      "message_delta",
      { stop_reason: "max_tokens", stop_sequence: null },
      { output_tokens: 7, input_tokens: 200, cache_read_input_tokens: 800 },
    ]);
  });

  test("Groq usage in x_groq.usage is read", () => {
    const events = toAnthropic([
      chunk({ content: "hi" }),
      chunk({}, "stop", {
        x_groq: { id: "req_1", usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } },
      }),
      DONE,
    ]);
    expect(summarizeAnthropic(events).at(-2)).toEqual([
      "message_delta",
      { stop_reason: "end_turn", stop_sequence: null },
      { output_tokens: 2, input_tokens: 9 },
    ]);
  });

  test("an error chunk mid-stream → event: error, no message_stop", () => {
    const events = toAnthropic([
      chunk({ content: "part" }),
      `data: ${JSON.stringify({ error: { message: "overloaded", type: "server_error" } })}\n\n`,
    ]);
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "error",
    ]);
    expect(events.at(-1)?.data).toEqual({
      type: "error",
      error: { type: "server_error", message: "overloaded" },
    });
  });

  test("a stream cut off before any finish (no [DONE]) ends with an error event, not a fake success", () => {
    const encoder = anthropicClientCodec.createStreamEncoder({
      requestedModel: "m",
      includeUsage: false,
      inputTokenEstimate: 1,
    });
    let out = encoder.push({ type: "message_start", id: "x", model: "m" });
    out += encoder.push({ type: "text_delta", text: "partial" });
    out += encoder.end();
    expect(out).toContain("event: error");
    expect(out).not.toContain("message_stop");
  });

  test("[DONE] without finish_reason still ends the turn (implicit stop)", () => {
    const events = toAnthropic([chunk({ content: "hi" }), DONE]);
    expect(summarizeAnthropic(events).at(-2)).toEqual([
      "message_delta",
      { stop_reason: "end_turn", stop_sequence: null },
      { output_tokens: 0 },
    ]);
  });

  test("events are emitted as chunks arrive, not buffered to the end", () => {
    const decoder = openAIProviderCodec.createStreamDecoder();
    const encoder = anthropicClientCodec.createStreamEncoder({
      requestedModel: "m",
      includeUsage: false,
      inputTokenEstimate: 3,
    });
    const first = decoder.push({
      event: "message",
      data: JSON.stringify({ id: "c", choices: [{ index: 0, delta: { content: "He" } }] }),
    });
    const text = first.map((e) => encoder.push(e)).join("");
    expect(text).toContain("event: message_start");
    expect(text).toContain('"text_delta","text":"He"');
  });

  test("tool call whose name arrives in a later chunk than its id", () => {
    const events = toAnthropic([
      chunk({ tool_calls: [{ index: 0, id: "call_9", type: "function", function: { arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: "late", arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
      chunk({}, "tool_calls"),
      DONE,
    ]);
    expect(summarizeAnthropic(events).slice(1, 5)).toEqual([
      ["block_start", 0, { type: "tool_use", id: "call_9", name: "late", input: {} }],
      ["delta", 0, { type: "input_json_delta", partial_json: '{"a":' }],
      ["delta", 0, { type: "input_json_delta", partial_json: "1}" }],
      ["block_stop", 0],
    ]);
  });
});
