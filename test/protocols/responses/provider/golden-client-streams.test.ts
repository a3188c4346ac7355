/**
 * Responses upstream stream → IR → the Anthropic Messages and OpenAI Chat client streams, through
 * the real decoder and the real client encoders, as the translating transform drives them.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import type { IRStreamEvent } from "../../../../src/ir/types.ts";
import { anthropicClientCodec } from "../../../../src/protocols/anthropic/codec.ts";
import { openAIClientCodec } from "../../../../src/protocols/openai/codec.ts";
import { encodeStream, parseSSE, summarizeAnthropic, summarizeOpenAI } from "../../../ir/translate-stream.ts";
import { fixturePath } from "../../../support/fixtures.ts";
import { assembleAnthropic, assembleChat } from "./assemble-client-stream.ts";
import { decodeResponsesSSE, fixtureEvents, readResponsesFixture } from "./helpers.ts";

type Item = Record<string, unknown>;

const toAnthropic = (events: IRStreamEvent[]) =>
  parseSSE(encodeStream(anthropicClientCodec, events, { requestedModel: "claude-sonnet-4-5" }));
const toChat = (events: IRStreamEvent[]) =>
  parseSSE(encodeStream(openAIClientCodec, events, { requestedModel: "gpt-4o", includeUsage: true }));

const doneItems = (sse: string): Item[] =>
  fixtureEvents(sse, "response.output_item.done").map((e) => e.item as Item);
const summaryOf = (item: Item): string =>
  (item.summary as Array<{ text: string }>).map((s) => s.text).join("\n\n");
const signatureOf = (item: Item): string => `openai:${item.id}:${item.encrypted_content}`;
const textDoneOf = (sse: string): string =>
  fixtureEvents(sse, "response.output_text.done")
    .map((e) => e.text)
    .join("");

const streams = readdirSync(fixturePath("openai-responses")).filter((f) => f.endsWith("-stream.txt"));

describe("every recorded Responses stream translates into well-formed client streams", () => {
  for (const name of streams) {
    test(name, () => {
      const events = decodeResponsesSSE(readResponsesFixture(name));
      const anthropic = assembleAnthropic(toAnthropic(events));
      const chat = assembleChat(toChat(events));
      expect(anthropic.stopReason).toBeString();
      expect(chat.finishReason).toBeString();
      expect(chat.usage).toBeDefined();
    });
  }
});

describe("Responses → Anthropic stream (golden)", () => {
  test("GoModel text: one text block, end_turn, the upstream's usage at the end", () => {
    const events = decodeResponsesSSE(readResponsesFixture("gomodel-text-gpt-4o-mini-stream.txt"));
    expect(summarizeAnthropic(toAnthropic(events))).toEqual([
      [
        "message_start",
        "claude-sonnet-4-5",
        // Responses reports usage only at the end: message_start carries the gateway's estimate.
        { input_tokens: 11, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
      ],
      ["block_start", 0, { type: "text", text: "" }],
      ["delta", 0, { type: "text_delta", text: "Hello" }],
      ["delta", 0, { type: "text_delta", text: "," }],
      ["delta", 0, { type: "text_delta", text: " World" }],
      ["delta", 0, { type: "text_delta", text: "!" }],
      ["block_stop", 0],
      [
        "message_delta",
        { stop_reason: "end_turn", stop_sequence: null },
        { output_tokens: 5, input_tokens: 17, cache_read_input_tokens: 0 },
      ],
      ["message_stop", { type: "message_stop" }],
    ]);
  });

  test("legacy function call: a tool_use block streaming input_json_delta, tool_use", () => {
    const events = decodeResponsesSSE(
      readResponsesFixture("pydantic-ai-function-call-gpt-4o-legacy-noseq-stream.txt"),
    );
    const summary = summarizeAnthropic(toAnthropic(events));
    expect(summary[1]).toEqual([
      "block_start",
      0,
      { type: "tool_use", id: "call_kL0PCQV7M2WMoVX8V8OtYSAL", name: "get_capital", input: {} },
    ]);
    expect(summary.at(-2)).toEqual([
      "message_delta",
      { stop_reason: "tool_use", stop_sequence: null },
      { output_tokens: 16, input_tokens: 255, cache_read_input_tokens: 0 },
    ]);
    expect(assembleAnthropic(toAnthropic(events)).content).toEqual([
      {
        type: "tool_use",
        id: "call_kL0PCQV7M2WMoVX8V8OtYSAL",
        name: "get_capital",
        input: { country: "France" },
      },
    ]);
  });

  test("codex-max: a thinking block signed with the openai: stash, then the tool_use block", () => {
    const sse = readResponsesFixture(
      "vercel-ai-reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-stream.txt",
    );
    const [reasoning] = doneItems(sse) as [Item];
    expect(assembleAnthropic(toAnthropic(decodeResponsesSSE(sse)))).toEqual({
      content: [
        { type: "thinking", thinking: summaryOf(reasoning), signature: signatureOf(reasoning) },
        {
          type: "tool_use",
          id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn",
          name: "calculator",
          input: { a: 12, b: 7, op: "add" },
        },
      ],
      stopReason: "tool_use",
      usage: { output_tokens: 28, input_tokens: 134, cache_read_input_tokens: 0 },
    });
  });

  test("web search: two signed (empty) thinking blocks around the skipped search, then the text", () => {
    const sse = readResponsesFixture("pydantic-ai-web-search-reasoning-cached-gpt-5-stream.txt");
    const items = doneItems(sse);
    expect(assembleAnthropic(toAnthropic(decodeResponsesSSE(sse)))).toEqual({
      content: [
        { type: "thinking", thinking: "", signature: signatureOf(items[0]!) },
        { type: "thinking", thinking: "", signature: signatureOf(items[2]!) },
        { type: "text", text: textDoneOf(sse) },
      ],
      stopReason: "end_turn",
      usage: { output_tokens: 582, input_tokens: 1143, cache_read_input_tokens: 8320 },
    });
  });

  test("o3-mini: the four summary parts in one thinking block, then the answer", () => {
    const sse = readResponsesFixture("pydantic-ai-reasoning-summary-multipart-o3-mini-stream.txt");
    const [reasoning] = doneItems(sse) as [Item];
    const message = assembleAnthropic(toAnthropic(decodeResponsesSSE(sse)));
    expect(message.content).toEqual([
      { type: "thinking", thinking: summaryOf(reasoning), signature: signatureOf(reasoning) },
      { type: "text", text: textDoneOf(sse) },
    ]);
    expect(message.usage).toEqual({ output_tokens: 1680, input_tokens: 13, cache_read_input_tokens: 0 });
  });

  test("xAI: raw reasoning as an (unsigned) thinking block, then the text", () => {
    const sse = readResponsesFixture("gomodel-xai-grok-3-mini-text-stream.txt");
    const reasoningText = fixtureEvents(sse, "response.reasoning_text.done")[0]!.text;
    expect(assembleAnthropic(toAnthropic(decodeResponsesSSE(sse)))).toEqual({
      content: [
        { type: "thinking", thinking: reasoningText, signature: "" },
        { type: "text", text: "Hello, World!" },
      ],
      stopReason: "end_turn",
      usage: { output_tokens: 185, input_tokens: 14, cache_read_input_tokens: 3 },
    });
  });

  test("a failed stream ends with an Anthropic error event", () => {
    const sse = [
      { type: "response.created", response: { id: "resp_f", model: "gpt-5" } },
      { type: "error", error: { type: "server_error", message: "The server had an error" } },
      {
        type: "response.failed",
        response: { status: "failed", error: { code: "server_error", message: "x" } },
      },
    ]
      .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
      .join("");
    const events = toAnthropic(decodeResponsesSSE(sse));
    expect(events.at(-1)).toEqual({
      event: "error",
      data: { type: "error", error: { type: "server_error", message: "The server had an error" } },
    });
  });
});

describe("Responses → OpenAI Chat stream (golden)", () => {
  test("GoModel text: role, four content chunks, stop, usage, [DONE]", () => {
    const events = decodeResponsesSSE(readResponsesFixture("gomodel-text-gpt-4o-mini-stream.txt"));
    expect(summarizeOpenAI(toChat(events))).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ content: "Hello" }, null],
      [{ content: "," }, null],
      [{ content: " World" }, null],
      [{ content: "!" }, null],
      [{}, "stop"],
      [
        "usage",
        {
          prompt_tokens: 17,
          completion_tokens: 5,
          total_tokens: 22,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      ],
      "[DONE]",
    ]);
  });

  test("codex-max: reasoning_content, the tool call, reasoning_details carrying the stash, tool_calls", () => {
    const sse = readResponsesFixture(
      "vercel-ai-reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-stream.txt",
    );
    const [reasoning] = doneItems(sse) as [Item];
    expect(assembleChat(toChat(decodeResponsesSSE(sse)))).toEqual({
      content: "",
      reasoning: summaryOf(reasoning),
      toolCalls: [
        { id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn", name: "calculator", arguments: '{"a":12,"b":7,"op":"add"}' },
      ],
      reasoningDetails: [
        { type: "reasoning.text", text: summaryOf(reasoning), signature: signatureOf(reasoning), index: 0 },
      ],
      finishReason: "tool_calls",
      usage: {
        prompt_tokens: 134,
        completion_tokens: 28,
        total_tokens: 162,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  test("web search: the text, both reasoning items in reasoning_details, cached prompt tokens", () => {
    const sse = readResponsesFixture("pydantic-ai-web-search-reasoning-cached-gpt-5-stream.txt");
    const items = doneItems(sse);
    const chat = assembleChat(toChat(decodeResponsesSSE(sse)));
    expect(chat.content).toBe(textDoneOf(sse));
    expect(chat.reasoningDetails).toEqual([
      { type: "reasoning.text", text: "", signature: signatureOf(items[0]!), index: 0 },
      { type: "reasoning.text", text: "", signature: signatureOf(items[2]!), index: 1 },
    ]);
    expect(chat.finishReason).toBe("stop");
    expect(chat.usage).toEqual({
      prompt_tokens: 9463,
      completion_tokens: 582,
      total_tokens: 10045,
      prompt_tokens_details: { cached_tokens: 8320 },
      completion_tokens_details: { reasoning_tokens: 512 },
    });
  });

  test("structured output: the JSON text, finish stop", () => {
    const sse = readResponsesFixture("swiftagent-structured-output-json-schema-gpt-5-mini-stream.txt");
    const chat = assembleChat(toChat(decodeResponsesSSE(sse)));
    expect(JSON.parse(chat.content)).toEqual({ temperatureCelsius: 22, condition: "Partly Cloudy" });
    expect(chat.finishReason).toBe("stop");
  });
});
