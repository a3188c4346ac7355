/**
 * Gemini stream → IR → Anthropic Messages event stream, through the real decoder and the real
 * Anthropic stream encoder, asserting the exact event sequence a client receives.
 */
import { describe, expect, test } from "bun:test";
import type { IRStreamEvent } from "../../../src/ir/types.ts";
import { anthropicClientCodec } from "../../../src/protocols/anthropic/codec.ts";
import { SSEParser } from "../../../src/sse/parser.ts";
import { readFixture, recordedInteractions } from "../../support/fixtures.ts";
import { decodeGeminiSSE } from "./decode-stream.ts";
import { sequentialIds } from "./helpers.ts";

type Event = [string, unknown];

function toAnthropicEvents(events: IRStreamEvent[]): Event[] {
  const encoder = anthropicClientCodec.createStreamEncoder({
    requestedModel: "claude-sonnet-4-5",
    includeUsage: false,
    inputTokenEstimate: 99,
  });
  let text = "";
  for (const event of events) text += encoder.push(event);
  text += encoder.end();
  const parser = new SSEParser();
  return [...parser.push(text), ...parser.end()].map((e): Event => [e.event, JSON.parse(e.data)]);
}

const data = (v: unknown) => `data: ${JSON.stringify(v)}\r\n\r\n`;
const blockStart = (index: number, content_block: unknown): Event => [
  "content_block_start",
  { type: "content_block_start", index, content_block },
];
const blockDelta = (index: number, delta: unknown): Event => [
  "content_block_delta",
  { type: "content_block_delta", index, delta },
];
const blockStop = (index: number): Event => ["content_block_stop", { type: "content_block_stop", index }];

describe("Gemini → Anthropic stream (golden)", () => {
  test("GoModel text stream: message_start with input tokens, one text block, end_turn, usage", () => {
    const text = `${readFixture("gemini/gomodel-native-streamGenerateContent-sse.txt")}\n`;
    expect(toAnthropicEvents(decodeGeminiSSE(text, sequentialIds()))).toEqual([
      [
        "message_start",
        {
          type: "message_start",
          message: {
            id: "msg_cWmNaqOEH9CRkdUP1bWcsQU",
            type: "message",
            role: "assistant",
            model: "claude-sonnet-4-5",
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: {
              input_tokens: 11,
              cache_creation_input_tokens: 0,
              cache_read_input_tokens: 0,
              output_tokens: 0,
            },
          },
        },
      ],
      blockStart(0, { type: "text", text: "" }),
      blockDelta(0, { type: "text_delta", text: "Hello" }),
      blockDelta(0, { type: "text_delta", text: ", World!" }),
      blockStop(0),
      [
        "message_delta",
        {
          type: "message_delta",
          delta: { stop_reason: "end_turn", stop_sequence: null },
          usage: expect.objectContaining({ output_tokens: 22 }),
        },
      ],
      ["message_stop", { type: "message_stop" }],
    ]);
  });

  test("thinking, text-bound signature, a signed call and a parallel call → blocks in order, tool_use", () => {
    const sse =
      data({
        responseId: "r1",
        candidates: [{ content: { parts: [{ text: "Let me", thought: true }] } }],
        usageMetadata: { promptTokenCount: 10 },
      }) +
      data({ candidates: [{ content: { parts: [{ text: "Calling.", thoughtSignature: "TS" }] } }] }) +
      data({
        candidates: [
          {
            content: {
              parts: [
                { functionCall: { name: "a", args: { x: 1 } }, thoughtSignature: "FS" },
                { functionCall: { name: "b" } },
              ],
            },
            finishReason: "STOP",
          },
        ],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 3 },
      });
    const events = toAnthropicEvents(decodeGeminiSSE(sse, sequentialIds()));
    expect(events.slice(1)).toEqual([
      blockStart(0, { type: "thinking", thinking: "", signature: "" }),
      blockDelta(0, { type: "thinking_delta", thinking: "Let me" }),
      blockDelta(0, { type: "signature_delta", signature: "gemini:text:TS" }),
      blockStop(0),
      blockStart(1, { type: "text", text: "" }),
      blockDelta(1, { type: "text_delta", text: "Calling." }),
      blockStop(1),
      blockStart(2, { type: "thinking", thinking: "", signature: "" }),
      blockDelta(2, { type: "signature_delta", signature: "gemini:call:call_0:FS" }),
      blockStop(2),
      blockStart(3, { type: "tool_use", id: "call_0", name: "a", input: {} }),
      blockDelta(3, { type: "input_json_delta", partial_json: '{"x":1}' }),
      blockStop(3),
      blockStart(4, { type: "tool_use", id: "call_1", name: "b", input: {} }),
      blockDelta(4, { type: "input_json_delta", partial_json: "{}" }),
      blockStop(4),
      [
        "message_delta",
        {
          type: "message_delta",
          delta: { stop_reason: "tool_use", stop_sequence: null },
          usage: expect.objectContaining({ output_tokens: 8 }),
        },
      ],
      ["message_stop", { type: "message_stop" }],
    ]);
  });

  test("recorded 2.0 function call → tool_use block with the full input, stop tool_use", () => {
    const sse = recordedInteractions("gemini/jsgenai-stream-function-call-2.0-flash.json")[0]!.bodyText;
    const events = toAnthropicEvents(decodeGeminiSSE(sse, sequentialIds()));
    expect(events.map(([name]) => name)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[1]?.[1]).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: { type: "tool_use", id: "call_0", name: "customDivide", input: {} },
    });
    expect(events[2]?.[1]).toEqual({
      type: "content_block_delta",
      index: 0,
      delta: { type: "input_json_delta", partial_json: '{"denominator":2,"numerator":100}' },
    });
    expect(events[4]?.[1]).toMatchObject({ delta: { stop_reason: "tool_use" } });
  });

  test("a mid-stream Gemini error → Anthropic `event: error`, no message_stop", () => {
    const sse =
      data({ candidates: [{ content: { parts: [{ text: "par" }] } }] }) +
      data({ error: { code: 429, message: "Resource exhausted", status: "RESOURCE_EXHAUSTED" } });
    const events = toAnthropicEvents(decodeGeminiSSE(sse, sequentialIds()));
    expect(events.at(-1)).toEqual([
      "error",
      { type: "error", error: { type: "rate_limit_error", message: "Resource exhausted" } },
    ]);
    expect(events.some(([name]) => name === "message_stop")).toBe(false);
  });
});
