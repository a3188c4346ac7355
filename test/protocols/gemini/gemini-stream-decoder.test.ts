import { describe, expect, test } from "bun:test";
import type { IRStreamEvent } from "../../../src/ir/types.ts";
import { GeminiStreamDecoder } from "../../../src/protocols/gemini/gemini-stream-decoder.ts";
import { jsgenaiToSSE, readFixture, recordedInteractions } from "../../support/fixtures.ts";
import { decodeGeminiSSE } from "./decode-stream.ts";
import { sequentialIds } from "./helpers.ts";

const recordedSSE = (name: string, index = 0): string => recordedInteractions(name)[index]!.bodyText;
const data = (value: unknown): string => `data: ${JSON.stringify(value)}\r\n\r\n`;
const withoutCreated = (events: IRStreamEvent[]) =>
  events.map((e) => (e.type === "message_start" ? { ...e, created: 0 } : e));

describe("Gemini stream decoder, recorded streams", () => {
  test("louter single chunk (CRLF): start, text, usage, finish", () => {
    const events = decodeGeminiSSE(readFixture("gemini/louter-native-sse-single-chunk.txt"), sequentialIds());
    expect(withoutCreated(events)).toEqual([
      {
        type: "message_start",
        id: "4HkhaaajEJaY0-kPyI_b2A4",
        model: "gemini-2.5-flash",
        created: 0,
        usage: { inputTokens: 8 },
      },
      { type: "text_delta", text: "1, 2, 3" },
      { type: "usage", usage: { inputTokens: 8, outputTokens: 30, reasoningTokens: 23 } },
      { type: "finish", reason: "end_turn", stopSequenceUnknown: true },
    ]);
  });

  test("GoModel two chunks: deltas in order, usage from the last chunk", () => {
    // The capture lost the final blank line (see MANIFEST); Gemini ends every event with one.
    const text = `${readFixture("gemini/gomodel-native-streamGenerateContent-sse.txt")}\n`;
    const events = decodeGeminiSSE(text, sequentialIds());
    expect(withoutCreated(events)).toEqual([
      {
        type: "message_start",
        id: "cWmNaqOEH9CRkdUP1bWcsQU",
        model: "gemini-2.5-flash",
        created: 0,
        usage: { inputTokens: 11 },
      },
      { type: "text_delta", text: "Hello" },
      { type: "text_delta", text: ", World!" },
      { type: "usage", usage: { inputTokens: 11, outputTokens: 22, reasoningTokens: 18 } },
      { type: "finish", reason: "end_turn", stopSequenceUnknown: true },
    ]);
  });

  test("GoModel capture as stored (last event unterminated, so dropped by SSE rules) ends in an error", () => {
    const events = decodeGeminiSSE(
      readFixture("gemini/gomodel-native-streamGenerateContent-sse.txt"),
      sequentialIds(),
    );
    expect(events.map((e) => e.type)).toEqual(["message_start", "text_delta", "usage", "error"]);
  });

  test("louter long stream (123 chunks), fed 7 bytes at a time: every delta, text intact, one finish", () => {
    const text = readFixture("gemini/louter-native-sse-long-tetris.txt");
    const events = decodeGeminiSSE(text, sequentialIds(), 7);
    const expectedText = text
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) =>
        JSON.parse(l.slice(6))
          .candidates[0].content.parts.map((p: { text: string }) => p.text)
          .join(""),
      )
      .join("");
    const deltas = events.filter((e) => e.type === "text_delta");
    expect(deltas).toHaveLength(123);
    expect(deltas.map((e) => (e.type === "text_delta" ? e.text : "")).join("")).toBe(expectedText);
    expect(events.slice(-2)).toEqual([
      { type: "usage", usage: { inputTokens: 4, outputTokens: 5947 + 2042, reasoningTokens: 2042 } },
      { type: "finish", reason: "end_turn", stopSequenceUnknown: true },
    ]);
    expect(events.filter((e) => e.type === "message_start")).toHaveLength(1);
  });

  test("js-genai 11 text chunks (usage on every chunk, STOP last)", () => {
    const events = decodeGeminiSSE(
      recordedSSE("gemini/jsgenai-stream-text-11-chunks-2.0-flash.json"),
      sequentialIds(),
    );
    expect(events.map((e) => e.type)).toEqual([
      "message_start",
      ...Array(11).fill("text_delta"),
      "usage",
      "finish",
    ]);
    expect(events.at(-1)).toEqual({ type: "finish", reason: "end_turn", stopSequenceUnknown: true });
  });

  test("thinking budget stream: MAX_TOKENS on the last chunk → max_tokens, thoughts in output usage", () => {
    const events = decodeGeminiSSE(
      recordedSSE("gemini/jsgenai-stream-thinking-budget-max-tokens.json"),
      sequentialIds(),
    );
    expect(events.map((e) => e.type)).toEqual([
      "message_start",
      "text_delta",
      "text_delta",
      "text_delta",
      "usage",
      "finish",
    ]);
    expect(events.at(-1)).toEqual({ type: "finish", reason: "max_tokens" });
    const usage = events.at(-2);
    expect(usage?.type === "usage" && usage.usage.reasoningTokens).toBeGreaterThan(0);
  });

  test("2.0 function call: one start + one delta with the full arguments, STOP → tool_use", () => {
    const events = decodeGeminiSSE(
      recordedSSE("gemini/jsgenai-stream-function-call-2.0-flash.json"),
      sequentialIds(),
    );
    expect(withoutCreated(events)).toEqual([
      {
        type: "message_start",
        id: "xtSfaIRs8_Sf2Q-skYe5Dg",
        model: "gemini-2.0-flash",
        created: 0,
        usage: { inputTokens: 21 },
      },
      { type: "tool_call_start", toolIndex: 0, id: "call_0", name: "customDivide" },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"denominator":2,"numerator":100}' },
      { type: "usage", usage: expect.objectContaining({ inputTokens: 21, outputTokens: 6 }) },
      { type: "finish", reason: "tool_use" },
    ]);
  });

  test("2.5-flash function call with thoughtSignature: the signature rides on tool_call_start", () => {
    const name = "gemini/jsgenai-stream-function-call-thought-signature-2.5-flash.json";
    const events = decodeGeminiSSE(recordedSSE(name, 0), sequentialIds());
    const start = events.find((e) => e.type === "tool_call_start");
    expect(start).toMatchObject({
      type: "tool_call_start",
      toolIndex: 0,
      id: "call_0",
      name: "customDivide",
    });
    expect(start?.type === "tool_call_start" && start.signature).toStartWith("gemini:CiQBVKhc7gVNlWrmzW9MEk");
    expect(events.at(-1)).toEqual({ type: "finish", reason: "tool_use" });
    // the final answer turn: signature on the text part comes right before its text
    const last = decodeGeminiSSE(recordedSSE(name, 2), sequentialIds());
    expect(last.map((e) => e.type)).toEqual([
      "message_start",
      "reasoning_signature",
      "text_delta",
      "usage",
      "finish",
    ]);
    expect(last.at(-1)).toEqual({ type: "finish", reason: "end_turn", stopSequenceUnknown: true });
  });

  test("server-side MCP stream: calls and responses in separate chunks, the last finishReason wins", () => {
    const events = decodeGeminiSSE(
      recordedSSE("gemini/jsgenai-stream-server-side-mcp-functioncall-functionresponse.json"),
      sequentialIds(),
    );
    expect(events.map((e) => e.type)).toEqual([
      "message_start",
      "tool_call_start",
      "tool_call_delta",
      "text_delta",
      "text_delta",
      "usage",
      "finish",
    ]);
    expect(events.at(-1)).toEqual({ type: "finish", reason: "tool_use" });
  });

  test("js-genai parsed segments survive the round trip through SSE text unchanged", () => {
    const segments = [{ candidates: [{ content: { parts: [{ text: "a\nb" }] }, finishReason: "STOP" }] }];
    const events = decodeGeminiSSE(jsgenaiToSSE(segments), sequentialIds());
    expect(events.filter((e) => e.type === "text_delta")).toEqual([{ type: "text_delta", text: "a\nb" }]);
  });
});

describe("Gemini stream decoder, edge cases", () => {
  test("empty 200 body (recorded): an error event, nothing else", () => {
    const events = decodeGeminiSSE(recordedSSE("gemini/jsgenai-stream-empty-200-body.json"), sequentialIds());
    expect(events).toEqual([
      { type: "error", errorType: "api_error", message: "Gemini returned an empty stream" },
    ]);
  });

  test("thought deltas, thought signature, then text; parallel calls get indices 0 and 1", () => {
    const sse =
      data({
        responseId: "r1",
        modelVersion: "gemini-2.5-pro",
        candidates: [{ content: { parts: [{ text: "Let me", thought: true }] } }],
      }) +
      data({
        candidates: [{ content: { parts: [{ text: " think", thought: true, thoughtSignature: "TS" }] } }],
      }) +
      data({ candidates: [{ content: { parts: [{ text: "Calling." }] } }] }) +
      data({
        candidates: [
          {
            content: {
              parts: [{ functionCall: { name: "a", args: { x: 1 } } }, { functionCall: { name: "b" } }],
            },
            finishReason: "STOP",
          },
        ],
        usageMetadata: {
          promptTokenCount: 10,
          candidatesTokenCount: 5,
          thoughtsTokenCount: 3,
          cachedContentTokenCount: 4,
        },
      });
    expect(withoutCreated(decodeGeminiSSE(sse, sequentialIds()))).toEqual([
      { type: "message_start", id: "r1", model: "gemini-2.5-pro", created: 0 },
      { type: "reasoning_delta", text: "Let me" },
      { type: "reasoning_delta", text: " think" },
      { type: "reasoning_signature", signature: "gemini:TS" },
      { type: "text_delta", text: "Calling." },
      { type: "tool_call_start", toolIndex: 0, id: "call_0", name: "a" },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"x":1}' },
      { type: "tool_call_start", toolIndex: 1, id: "call_1", name: "b" },
      { type: "tool_call_delta", toolIndex: 1, argumentsDelta: "{}" },
      { type: "usage", usage: { inputTokens: 6, outputTokens: 8, cacheReadTokens: 4, reasoningTokens: 3 } },
      { type: "finish", reason: "tool_use" },
    ]);
  });

  test("a trailing empty text part with a signature (Gemini 3 style) yields only the signature", () => {
    const sse =
      data({ candidates: [{ content: { parts: [{ text: "Hi" }] } }] }) +
      data({
        candidates: [{ content: { parts: [{ text: "", thoughtSignature: "END" }] }, finishReason: "STOP" }],
      });
    const types = decodeGeminiSSE(sse, sequentialIds()).map((e) =>
      e.type === "reasoning_signature" ? e.signature : e.type,
    );
    expect(types).toEqual(["message_start", "text_delta", "gemini:text:END", "finish"]);
  });

  test("chunks without candidates (usage only) are fine", () => {
    const sse =
      data({ candidates: [{ content: { parts: [{ text: "x" }] }, finishReason: "STOP" }] }) +
      data({ usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 1 } });
    expect(decodeGeminiSSE(sse, sequentialIds()).slice(1)).toEqual([
      { type: "text_delta", text: "x" },
      { type: "usage", usage: { inputTokens: 2, outputTokens: 1 } },
      { type: "finish", reason: "end_turn", stopSequenceUnknown: true },
    ]);
  });

  test("a blocked prompt in the stream → finish refusal", () => {
    const sse = data({
      promptFeedback: { blockReason: "PROHIBITED_CONTENT" },
      usageMetadata: { promptTokenCount: 5 },
    });
    expect(decodeGeminiSSE(sse, sequentialIds()).map((e) => e.type)).toEqual([
      "message_start",
      "usage",
      "finish",
    ]);
    expect(decodeGeminiSSE(sse, sequentialIds()).at(-1)).toEqual({
      type: "finish",
      reason: "refusal",
      refusal: "The prompt was blocked by Gemini (PROHIBITED_CONTENT).",
    });
  });

  test("SAFETY finish with no text → refusal carrying finishMessage (or the reason), blockReasonMessage too", () => {
    const finished = data({ candidates: [{ finishReason: "SAFETY", finishMessage: "Unsafe content." }] });
    expect(decodeGeminiSSE(finished, sequentialIds()).at(-1)).toEqual({
      type: "finish",
      reason: "refusal",
      refusal: "Unsafe content.",
    });
    const bare = data({ candidates: [{ finishReason: "PROHIBITED_CONTENT" }] });
    expect(decodeGeminiSSE(bare, sequentialIds()).at(-1)).toEqual({
      type: "finish",
      reason: "refusal",
      refusal: "The response was stopped by Gemini (PROHIBITED_CONTENT).",
    });
    const blocked = data({
      promptFeedback: { blockReason: "OTHER", blockReasonMessage: "Blocked: policy." },
    });
    expect(decodeGeminiSSE(blocked, sequentialIds()).at(-1)).toMatchObject({ refusal: "Blocked: policy." });
  });

  test("STOP says nothing of stop sequences: the finish says so (stopSequenceUnknown); MAX_TOKENS does not", () => {
    const stop = data({ candidates: [{ content: { parts: [{ text: "1, 2, " }] }, finishReason: "STOP" }] });
    expect(decodeGeminiSSE(stop, sequentialIds()).at(-1)).toEqual({
      type: "finish",
      reason: "end_turn",
      stopSequenceUnknown: true,
    });
    const max = data({ candidates: [{ content: { parts: [{ text: "1" }] }, finishReason: "MAX_TOKENS" }] });
    expect(decodeGeminiSSE(max, sequentialIds()).at(-1)).toEqual({ type: "finish", reason: "max_tokens" });
  });

  test("SAFETY finish mid-answer → refusal", () => {
    const sse = data({ candidates: [{ content: { parts: [{ text: "Sure" }] }, finishReason: "SAFETY" }] });
    expect(decodeGeminiSSE(sse, sequentialIds()).at(-1)).toEqual({ type: "finish", reason: "refusal" });
  });

  test("an error object mid-stream → one error event, then silence (no finish)", () => {
    const sse =
      data({ candidates: [{ content: { parts: [{ text: "partial" }] } }] }) +
      data({ error: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" } }) +
      data({ candidates: [{ content: { parts: [{ text: "ignored" }] }, finishReason: "STOP" }] });
    expect(decodeGeminiSSE(sse, sequentialIds()).slice(1)).toEqual([
      { type: "text_delta", text: "partial" },
      { type: "error", errorType: "overloaded_error", message: "The model is overloaded." },
    ]);
  });

  test("a stream that ends without finishReason is an error, not a silent success", () => {
    const sse = data({ candidates: [{ content: { parts: [{ text: "cut" }] } }] });
    expect(decodeGeminiSSE(sse, sequentialIds()).at(-1)).toEqual({
      type: "error",
      errorType: "api_error",
      message: "Gemini stream ended without a finishReason",
    });
  });

  test("non-JSON data → error event", () => {
    const decoder = new GeminiStreamDecoder(sequentialIds());
    expect(decoder.push({ event: "message", data: "{not json" })).toEqual([
      { type: "error", errorType: "api_error", message: "Gemini sent a stream event that is not JSON" },
    ]);
    expect(decoder.end()).toEqual([]);
  });

  test("default tool ids are unique per call", () => {
    const decoder = new GeminiStreamDecoder();
    const events = decoder.push({
      event: "message",
      data: JSON.stringify({
        candidates: [
          { content: { parts: [{ functionCall: { name: "a" } }, { functionCall: { name: "a" } }] } },
        ],
      }),
    });
    const ids = events.flatMap((e) => (e.type === "tool_call_start" ? [e.id] : []));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^call_[A-Za-z0-9]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});
