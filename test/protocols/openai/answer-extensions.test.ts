/**
 * What an OpenAI client gets for things Chat Completions has no standard field for: citations
 * (`annotations`), a refusal reason with no text (`refusal`), a paused turn
 * (`native_finish_reason`), and a Gemini call's thought signature on the tool call itself
 * (`extra_content.google.thought_signature`), accepted back in either place.
 */
import { describe, expect, test } from "bun:test";
import type { IRResponse, IRStreamEvent } from "../../../src/ir/types.ts";
import { geminiProviderCodec } from "../../../src/protocols/gemini/codec.ts";
import { openAIClientCodec } from "../../../src/protocols/openai/codec.ts";
import { fromOpenAIRequest } from "../../../src/protocols/openai/from-openai-request.ts";
import { toOpenAIAnnotations } from "../../../src/protocols/openai/to-openai-annotations.ts";
import { toOpenAIResponse } from "../../../src/protocols/openai/to-openai-response.ts";
import { encodeStream, parseSSE } from "../../ir/translate-stream.ts";
import { recordedInteractions } from "../../support/fixtures.ts";
import { decodeGeminiSSE } from "../gemini/decode-stream.ts";
import { makeContext, sequentialIds } from "../gemini/helpers.ts";

const webCitation = {
  type: "web_search_result_location",
  url: "https://example.com/weather",
  title: "Weather",
  cited_text: "Showers, 52°F",
  encrypted_index: "Eo8B",
};
const docCitation = {
  type: "char_location",
  cited_text: "grass is green",
  document_index: 0,
  document_title: "Facts",
  start_char_index: 0,
  end_char_index: 14,
};

const answer = (overrides: Partial<IRResponse>): IRResponse => ({
  id: "msg_1",
  model: "m",
  parts: [],
  stopReason: "end_turn",
  usage: { inputTokens: 1, outputTokens: 1 },
  created: 1,
  ...overrides,
});

type Chunk = {
  choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null } & Record<string, unknown>>;
};
const chunksOf = (events: IRStreamEvent[]): Chunk[] =>
  parseSSE(encodeStream(openAIClientCodec, events, { includeUsage: false }))
    .map((e) => e.data)
    .filter((d): d is Chunk => d !== "[DONE]");

describe("citations → message.annotations", () => {
  test("a URL source is url_citation over the cited text's span; others a documented document_citation", () => {
    expect(toOpenAIAnnotations([webCitation, docCitation, webCitation], 5, 20)).toEqual([
      {
        type: "url_citation",
        url_citation: { url: "https://example.com/weather", title: "Weather", start_index: 5, end_index: 20 },
      },
      { type: "document_citation", document_citation: { ...docCitation, start_index: 5, end_index: 20 } },
    ]);
    // A search result whose source is a URL is a url_citation too.
    expect(
      toOpenAIAnnotations(
        [{ type: "search_result_location", source: "https://kb.example/x", title: null }],
        0,
        1,
      ),
    ).toEqual([
      {
        type: "url_citation",
        url_citation: { url: "https://kb.example/x", title: "", start_index: 0, end_index: 1 },
      },
    ]);
  });

  test("JSON: offsets count the joined content", () => {
    const message = toOpenAIResponse(
      answer({
        parts: [
          { type: "text", text: "Intro. " },
          { type: "text", text: "It rains.", citations: [webCitation] },
          { type: "text", text: " Grass is green.", citations: [docCitation] },
        ],
      }),
      "client-model",
    ) as { choices: Array<{ message: Record<string, unknown> }> };
    const m = message.choices[0]!.message;
    expect(m.content).toBe("Intro. It rains. Grass is green.");
    expect(m.annotations).toEqual([
      {
        type: "url_citation",
        url_citation: { url: "https://example.com/weather", title: "Weather", start_index: 7, end_index: 16 },
      },
      { type: "document_citation", document_citation: { ...docCitation, start_index: 16, end_index: 32 } },
    ]);
  });

  test("stream: one annotations delta, whole, just before the finish chunk", () => {
    const chunks = chunksOf([
      { type: "message_start", id: "msg_1", model: "m" },
      { type: "text_delta", text: "Intro. " },
      { type: "text_delta", text: "It rains." },
      { type: "text_delta", text: "", citations: { sources: [webCitation], length: 9 } },
      { type: "finish", reason: "end_turn" },
    ]);
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: "assistant", content: "" },
      { content: "Intro. " },
      { content: "It rains." },
      {
        annotations: [
          {
            type: "url_citation",
            url_citation: {
              url: "https://example.com/weather",
              title: "Weather",
              start_index: 7,
              end_index: 16,
            },
          },
        ],
      },
      {},
    ]);
  });
});

describe("refusal and pause_turn", () => {
  test("a refusal reason with no answer text is message.refusal (JSON and stream)", () => {
    const json = toOpenAIResponse(
      answer({ stopReason: "refusal", refusal: "The response was stopped by Gemini (SAFETY)." }),
      "m",
    ) as { choices: Array<{ message: Record<string, unknown>; finish_reason: string }> };
    expect(json.choices[0]?.message).toMatchObject({
      content: null,
      refusal: "The response was stopped by Gemini (SAFETY).",
    });
    expect(json.choices[0]?.finish_reason).toBe("content_filter");
    const chunks = chunksOf([
      { type: "message_start", id: "x", model: "m" },
      { type: "finish", reason: "refusal", refusal: "Unsafe." },
    ]);
    expect(chunks.map((c) => [c.choices[0]?.delta, c.choices[0]?.finish_reason])).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ refusal: "Unsafe." }, null],
      [{}, "content_filter"],
    ]);
  });

  test("pause_turn: finish_reason stop plus native_finish_reason pause_turn (JSON and stream)", () => {
    const json = toOpenAIResponse(
      answer({ stopReason: "pause_turn", parts: [{ type: "text", text: "Searching." }] }),
      "m",
    ) as { choices: Array<Record<string, unknown>> };
    expect(json.choices[0]).toMatchObject({ finish_reason: "stop", native_finish_reason: "pause_turn" });
    const last = chunksOf([
      { type: "text_delta", text: "Searching." },
      { type: "finish", reason: "pause_turn" },
    ]).at(-1);
    expect(last?.choices[0]).toMatchObject({
      delta: {},
      finish_reason: "stop",
      native_finish_reason: "pause_turn",
    });
    const normal = toOpenAIResponse(answer({ parts: [{ type: "text", text: "x" }] }), "m") as {
      choices: Array<Record<string, unknown>>;
    };
    expect("native_finish_reason" in (normal.choices[0] ?? {})).toBe(false);
  });
});

describe("a Gemini call's thought signature on the tool call", () => {
  const call = { type: "tool_call" as const, id: "call_1", name: "f", arguments: "{}" };

  test("JSON: extra_content.google.thought_signature for Gemini signatures only", () => {
    const json = toOpenAIResponse(
      answer({
        stopReason: "tool_use",
        parts: [
          { ...call, signature: "gemini:SIG" },
          { ...call, id: "call_2", signature: "anthropic-sig" },
        ],
      }),
      "m",
    ) as { choices: Array<{ message: { tool_calls: Array<Record<string, unknown>> } }> };
    const [gemini, other] = json.choices[0]!.message.tool_calls;
    expect(gemini?.extra_content).toEqual({ google: { thought_signature: "SIG" } });
    expect(other && "extra_content" in other).toBe(false);
  });

  test("sent back on the tool call only (no reasoning_details): the IR call gets it back", () => {
    const request = fromOpenAIRequest({
      model: "m",
      messages: [
        { role: "user", content: "divide" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_0",
              type: "function",
              function: { name: "customDivide", arguments: "{}" },
              extra_content: { google: { thought_signature: "SIG" } },
            },
          ],
        },
      ],
    });
    expect(request.messages[1]?.parts).toEqual([
      { type: "tool_call", id: "call_0", name: "customDivide", arguments: "{}", signature: "gemini:SIG" },
    ]);
  });

  test("recorded 2.5-flash call → OpenAI stream → a client keeping only content + tool_calls → Gemini gets the signature", () => {
    const name = "gemini/jsgenai-stream-function-call-thought-signature-2.5-flash.json";
    const sse = recordedInteractions(name)[0]!.bodyText;
    const signature = JSON.parse(sse.slice(6).trim()).candidates[0].content.parts[0]
      .thoughtSignature as string;
    // What LangChain-style loops keep of the streamed message: content and the accumulated tool_calls.
    const toolCalls: Array<Record<string, unknown>> = [];
    for (const chunk of chunksOf(decodeGeminiSSE(sse, sequentialIds()))) {
      for (const delta of (chunk.choices[0]?.delta.tool_calls ?? []) as Array<Record<string, unknown>>) {
        const index = delta.index as number;
        const fn = delta.function as { name?: string; arguments?: string };
        const existing = toolCalls[index];
        if (!existing) {
          const { index: _index, ...rest } = delta;
          toolCalls[index] = { ...rest, function: { name: fn.name, arguments: fn.arguments ?? "" } };
        } else (existing.function as { arguments: string }).arguments += fn.arguments ?? "";
      }
    }
    const replay = fromOpenAIRequest({
      model: "gemini-3-flash-preview",
      messages: [
        { role: "user", content: "10 / 2?" },
        { role: "assistant", content: null, tool_calls: toolCalls },
        { role: "tool", tool_call_id: "call_0", content: "5" },
      ],
    });
    replay.model = "gemini-3-flash-preview";
    const { body } = geminiProviderCodec.encodeRequest(replay, makeContext());
    const contents = body.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>;
    expect(contents[1]).toEqual({
      role: "model",
      parts: [
        {
          functionCall: { name: "customDivide", args: { denominator: 2, numerator: 10 } },
          thoughtSignature: signature,
        },
      ],
    });
  });
});
