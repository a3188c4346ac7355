/**
 * An Anthropic client's stop_reason for what a provider reports ambiguously (Gemini's STOP) or
 * only as a reason (Gemini's finishMessage on a refusal), JSON and streams.
 */
import { describe, expect, test } from "bun:test";
import type { RequestOrigin } from "../../../src/ir/codec.ts";
import type { IRRequest, IRResponse, IRStreamEvent } from "../../../src/ir/types.ts";
import { anthropicClientCodec } from "../../../src/protocols/anthropic/codec.ts";
import { resolveStopSequence } from "../../../src/protocols/anthropic/map-stop-reason.ts";
import { parseSSE, summarizeAnthropic } from "../../ir/translate-stream.ts";

const origin = (stop?: string[]): RequestOrigin => {
  const request: IRRequest = { model: "m", system: [], messages: [], stream: false, unknown: {}, stop };
  return { request, body: {} };
};

const answer = (overrides: Partial<IRResponse>): IRResponse => ({
  id: "msg_1",
  model: "m",
  parts: [{ type: "text", text: "1, 2, " }],
  stopReason: "end_turn",
  usage: { inputTokens: 1, outputTokens: 1 },
  ...overrides,
});

function stream(events: IRStreamEvent[], stop?: string[]) {
  const encoder = anthropicClientCodec.createStreamEncoder({
    requestedModel: "m",
    includeUsage: true,
    inputTokenEstimate: 1,
    origin: origin(stop),
  });
  let out = "";
  for (const event of events) out += encoder.push(event);
  return summarizeAnthropic(parseSSE(out + encoder.end()));
}

describe("resolveStopSequence", () => {
  test("a reported stop sequence is kept; an unknown STOP with one sequence asked is that sequence", () => {
    expect(resolveStopSequence("stop_sequence", "END", false, undefined)).toEqual({
      reason: "stop_sequence",
      sequence: "END",
    });
    expect(resolveStopSequence("end_turn", undefined, true, ["3"])).toEqual({
      reason: "stop_sequence",
      sequence: "3",
    });
    // Several asked: which one matched is not known.
    expect(resolveStopSequence("end_turn", undefined, true, ["a", "b"])).toEqual({
      reason: "stop_sequence",
      sequence: null,
    });
  });

  test("no sequences asked, a provider that does say, or another reason: unchanged", () => {
    expect(resolveStopSequence("end_turn", undefined, true, [])).toEqual({
      reason: "end_turn",
      sequence: null,
    });
    expect(resolveStopSequence("end_turn", undefined, true, undefined)).toEqual({
      reason: "end_turn",
      sequence: null,
    });
    expect(resolveStopSequence("end_turn", undefined, false, ["3"])).toEqual({
      reason: "end_turn",
      sequence: null,
    });
    expect(resolveStopSequence("max_tokens", undefined, true, ["3"])).toEqual({
      reason: "max_tokens",
      sequence: null,
    });
  });
});

describe("Anthropic client ← a provider that cannot say", () => {
  test("JSON: Gemini's STOP with stop_sequences asked → stop_sequence and the sequence", () => {
    const json = anthropicClientCodec.encodeResponse(
      answer({ stopSequenceUnknown: true }),
      "m",
      origin(["3"]),
    );
    expect([json.stop_reason, json.stop_sequence]).toEqual(["stop_sequence", "3"]);
    const none = anthropicClientCodec.encodeResponse(answer({ stopSequenceUnknown: true }), "m", origin());
    expect([none.stop_reason, none.stop_sequence]).toEqual(["end_turn", null]);
  });

  test("stream: the same, in message_delta", () => {
    const events: IRStreamEvent[] = [
      { type: "message_start", id: "msg_1", model: "m" },
      { type: "text_delta", text: "1, 2, " },
      { type: "finish", reason: "end_turn", stopSequenceUnknown: true },
    ];
    expect(stream(events, ["3"]).at(-2)).toEqual([
      "message_delta",
      { stop_reason: "stop_sequence", stop_sequence: "3" },
      { output_tokens: 0 },
    ]);
    expect(stream(events).at(-2)).toEqual([
      "message_delta",
      { stop_reason: "end_turn", stop_sequence: null },
      { output_tokens: 0 },
    ]);
  });

  test("a refusal reason with no answer text is the text, with stop_reason refusal (JSON and stream)", () => {
    const json = anthropicClientCodec.encodeResponse(
      answer({ parts: [], stopReason: "refusal", refusal: "Unsafe content." }),
      "m",
    );
    expect([json.content, json.stop_reason]).toEqual([
      [{ type: "text", text: "Unsafe content." }],
      "refusal",
    ]);
    expect(
      stream([
        { type: "message_start", id: "msg_1", model: "m" },
        { type: "finish", reason: "refusal", refusal: "Unsafe content." },
      ]).slice(1),
    ).toEqual([
      ["block_start", 0, { type: "text", text: "" }],
      ["delta", 0, { type: "text_delta", text: "Unsafe content." }],
      ["block_stop", 0],
      ["message_delta", { stop_reason: "refusal", stop_sequence: null }, { output_tokens: 0 }],
      ["message_stop", { type: "message_stop" }],
    ]);
  });

  test("partial answer text before a refusal: the text stays, the reason is not appended", () => {
    const json = anthropicClientCodec.encodeResponse(
      answer({ parts: [{ type: "text", text: "Once" }], stopReason: "refusal", refusal: "Recitation." }),
      "m",
    );
    expect(json.content).toEqual([{ type: "text", text: "Once" }]);
  });
});
