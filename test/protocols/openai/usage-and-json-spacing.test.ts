/**
 * Usage wherever OpenAI-compatible providers put it (top level, `x_groq.usage`, `choices[i].usage`)
 * and the pass-through observers reading usage and finish reasons whatever the upstream's JSON
 * spacing (Python's json.dumps writes `"usage": {`), replayed from recorded streams.
 */

import { describe, expect, test } from "bun:test";
import { StreamObservation } from "../../../src/ir/stream-transform.ts";
import type { IRStreamEvent } from "../../../src/ir/types.ts";
import { AnthropicPassthrough } from "../../../src/protocols/anthropic/anthropic-passthrough.ts";
import { anthropicProviderCodec } from "../../../src/protocols/anthropic/codec.ts";
import { hasJsonMember } from "../../../src/protocols/has-json-member.ts";
import { openAIProviderCodec } from "../../../src/protocols/openai/codec.ts";
import { findOpenAIUsage, fromOpenAIUsage } from "../../../src/protocols/openai/convert-usage.ts";
import { fromOpenAIResponse } from "../../../src/protocols/openai/from-openai-response.ts";
import { readMatchedStop } from "../../../src/protocols/openai/map-finish-reason.ts";
import { OpenAIPassthrough } from "../../../src/protocols/openai/openai-passthrough.ts";
import { responsesProviderCodec } from "../../../src/protocols/responses/provider-codec.ts";
import { ResponsesPassthrough } from "../../../src/protocols/responses/responses-passthrough.ts";
import { SSEParser } from "../../../src/sse/parser.ts";
import { SSEDeframer } from "../../../src/sse/sse-deframer.ts";
import { readFixture, splitSSEEvents } from "../../support/fixtures.ts";
import { respaceSSE } from "../../support/respace-sse.ts";

const KIMI_STREAM = "other/kimi-chat_completion_stream.txt";
const OPENAI_STREAM = "openai/openai-node-chat-stream-structured-output.txt";
const encoder = new TextEncoder();

function decodeOpenAIStream(text: string): IRStreamEvent[] {
  const parser = new SSEParser();
  const decoder = openAIProviderCodec.createStreamDecoder();
  const events = [...parser.push(text), ...parser.end(true)].flatMap((e) => decoder.push(e));
  return [...events, ...decoder.end()];
}

/** Feeds a stream through a pass-through in event-sized chunks; returns what the client got. */
function replay(
  transform: { chunk(b: Uint8Array): Uint8Array | string | null; end(): string },
  text: string,
) {
  const decoder = new TextDecoder();
  let out = "";
  for (const piece of splitSSEEvents(text)) {
    const sent = transform.chunk(encoder.encode(piece));
    out += typeof sent === "string" ? sent : sent ? decoder.decode(sent) : "";
  }
  return out + transform.end();
}

describe("hasJsonMember: a member name whatever the spacing", () => {
  test("compact, Python-spaced and odd spacing all count; the value's first character must match", () => {
    expect(hasJsonMember('{"usage":{"a":1}}', "usage", "{")).toBe(true);
    expect(hasJsonMember('{"usage": {"a": 1}}', "usage", "{")).toBe(true);
    expect(hasJsonMember('{"usage" :\n\t {"a":1}}', "usage", "{")).toBe(true);
    expect(hasJsonMember('{"usage": null}', "usage", "{")).toBe(false);
    expect(hasJsonMember('{"finish_reason": null}', "finish_reason", '"')).toBe(false);
    expect(hasJsonMember('{"finish_reason": "stop"}', "finish_reason", '"')).toBe(true);
  });

  test("nested members count (Kimi's choices[0].usage); text that only mentions the key does not", () => {
    expect(hasJsonMember('{"choices":[{"usage": {"prompt_tokens":1}}]}', "usage", "{")).toBe(true);
    expect(hasJsonMember('{"content":"the \\"usage\\": {x}"}', "usage", "{")).toBe(false);
    expect(hasJsonMember('{"name":"usage","x":{}}', "usage", "{")).toBe(false);
    expect(hasJsonMember('{"usages":{}}', "usage", "{")).toBe(false);
  });
});

describe("usage wherever OpenAI-compatible providers put it", () => {
  test("findOpenAIUsage: top level first, then x_groq.usage, then a choice's usage", () => {
    expect(findOpenAIUsage({ usage: { prompt_tokens: 1 }, x_groq: { usage: { prompt_tokens: 2 } } })).toEqual(
      {
        prompt_tokens: 1,
      },
    );
    expect(findOpenAIUsage({ usage: null, x_groq: { usage: { prompt_tokens: 2 } } })).toEqual({
      prompt_tokens: 2,
    });
    expect(findOpenAIUsage({ choices: [{ index: 0, usage: { prompt_tokens: 3 } }] })).toEqual({
      prompt_tokens: 3,
    });
    expect(findOpenAIUsage({ choices: [{ index: 0, delta: {} }] })).toBeUndefined();
  });

  test("recorded Kimi stream: usage inside choices[0] with top-level cached_tokens → a cache read", () => {
    const events = decodeOpenAIStream(readFixture(KIMI_STREAM));
    expect(events.slice(-2)).toEqual([
      { type: "finish", reason: "max_tokens" },
      { type: "usage", usage: { inputTokens: 0, outputTokens: 50, cacheReadTokens: 18 } },
    ]);
    expect(fromOpenAIUsage({ prompt_tokens: 18, completion_tokens: 50, cached_tokens: 18 })).toEqual({
      inputTokens: 0,
      outputTokens: 50,
      cacheReadTokens: 18,
    });
  });

  test("JSON answers: a choice's usage is read when there is none at the top level", () => {
    const response = fromOpenAIResponse({
      id: "x",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "hi" },
          finish_reason: "stop",
          usage: { prompt_tokens: 40, completion_tokens: 2, cached_tokens: 32 },
        },
      ],
    });
    expect(response.usage).toEqual({ inputTokens: 8, outputTokens: 2, cacheReadTokens: 32 });
  });

  test("vLLM stop_reason and SGLang matched_stop name the stop sequence; a stop token id does not", () => {
    expect(readMatchedStop({ finish_reason: "stop", stop_reason: "END" })).toBe("END");
    expect(readMatchedStop({ finish_reason: "stop", matched_stop: "</answer>" })).toBe("</answer>");
    expect(readMatchedStop({ finish_reason: "stop", stop_reason: 128009 })).toBeUndefined();
    expect(readMatchedStop({ finish_reason: "stop", stop_reason: null })).toBeUndefined();
    expect(readMatchedStop({ finish_reason: "length", stop_reason: "END" })).toBeUndefined();
    const response = fromOpenAIResponse({
      choices: [{ message: { content: "1, 2" }, finish_reason: "stop", stop_reason: "3" }],
    });
    expect([response.stopReason, response.stopSequence]).toEqual(["stop_sequence", "3"]);
    const events = decodeOpenAIStream(
      'data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop","matched_stop":"b"}]}\n\n',
    );
    expect(events.at(-1)).toEqual({ type: "finish", reason: "stop_sequence", stopSequence: "b" });
  });
});

describe("pass-through observers, independent of JSON spacing", () => {
  test("recorded OpenAI stream re-serialised with Python's spacing: bytes untouched, usage and finish seen", () => {
    const spaced = respaceSSE(readFixture(OPENAI_STREAM));
    expect(spaced).toContain('"usage": {"prompt_tokens": 17');
    const observation = new StreamObservation();
    const out = replay(
      new OpenAIPassthrough(new SSEDeframer(), openAIProviderCodec, observation, false),
      spaced,
    );
    expect(out).toBe(spaced);
    expect(observation.usage).toEqual({ inputTokens: 17, outputTokens: 10 });
    expect(observation.stopReason).toBe("end_turn");
  });

  test("spaced stream, usage chunk added by the gateway: still hidden from the client, still counted", () => {
    const spaced = respaceSSE(readFixture(OPENAI_STREAM));
    const observation = new StreamObservation();
    const out = replay(
      new OpenAIPassthrough(new SSEDeframer(), openAIProviderCodec, observation, true),
      spaced,
    );
    expect(out).not.toContain('"usage"');
    expect(out.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(observation.usage).toEqual({ inputTokens: 17, outputTokens: 10 });
  });

  test("a spaced stream cut before its finish still gets the error event; a spaced error chunk ends it", () => {
    const events = splitSSEEvents(respaceSSE(readFixture(OPENAI_STREAM)));
    const observation = new StreamObservation();
    const cut = replay(
      new OpenAIPassthrough(new SSEDeframer(), openAIProviderCodec, observation, false),
      events.slice(0, 3).join(""),
    );
    expect(cut).toContain("The provider's stream ended before it finished.");
    const failed = new StreamObservation();
    const withError = `${events[0]}data: { "error": { "message": "overloaded", "type": "server_error" } }\n\n`;
    const out = replay(
      new OpenAIPassthrough(new SSEDeframer(), openAIProviderCodec, failed, false),
      withError,
    );
    expect(out).toBe(withError);
    expect(failed.upstreamError).toBe("overloaded");
  });

  test("recorded Kimi stream (usage in the choice, `data:` without a space) through the pass-through", () => {
    const observation = new StreamObservation();
    replay(
      new OpenAIPassthrough(new SSEDeframer(), openAIProviderCodec, observation, false),
      readFixture(KIMI_STREAM),
    );
    expect(observation.usage).toEqual({ inputTokens: 0, outputTokens: 50, cacheReadTokens: 18 });
    expect(observation.stopReason).toBe("max_tokens");
  });

  test("recorded Anthropic stream re-serialised with Python's spacing: usage and stop seen", () => {
    const spaced = respaceSSE(readFixture("anthropic/sdkpy-tool_use_response.txt"));
    expect(spaced).toContain('"type": "message_delta"');
    const observation = new StreamObservation();
    expect(
      replay(new AnthropicPassthrough(new SSEDeframer(), anthropicProviderCodec, observation), spaced),
    ).toBe(spaced);
    expect(observation.stopReason).toBe("tool_use");
    expect(observation.usage?.outputTokens).toBeGreaterThan(0);
    expect(observation.usage?.inputTokens).toBeGreaterThan(0);
  });

  test("recorded Responses stream re-serialised: usage seen; a cut stream's events are numbered after the last", () => {
    const spaced = respaceSSE(readFixture("openai-responses/gomodel-text-gpt-4o-mini-stream.txt"));
    expect(spaced).toContain('"sequence_number": ');
    const observation = new StreamObservation();
    replay(new ResponsesPassthrough(new SSEDeframer(), responsesProviderCodec, observation), spaced);
    expect(observation.usage?.outputTokens).toBeGreaterThan(0);
    const events = splitSSEEvents(spaced);
    const cut = replay(
      new ResponsesPassthrough(new SSEDeframer(), responsesProviderCodec, new StreamObservation()),
      events.slice(0, 3).join(""),
    );
    const last = JSON.parse(/data: (.*)\n/.exec(events[2] ?? "")?.[1] ?? "{}") as { sequence_number: number };
    const failed = /event: response\.failed\ndata: (.*)\n/.exec(cut)?.[1] ?? "{}";
    const created = JSON.parse(/data: (.*)\n/.exec(events[0] ?? "")?.[1] ?? "{}") as {
      response: { id: string };
    };
    expect(JSON.parse(failed)).toMatchObject({
      sequence_number: last.sequence_number + 2,
      response: { id: created.response.id, status: "failed" },
    });
  });
});
