/**
 * The same-protocol pass-throughs skim their streams (docs/performance.md, "Skimming"): they build
 * only the events their filter says may matter. The filter is a promise: the client gets the same
 * bytes and the gateway records the same usage, finish and error as when every event is built,
 * for every recorded stream, re-spaced as Python servers write it, with CRLF line ends, cut short,
 * in any pieces.
 */
import { describe, expect, test } from "bun:test";
import type { ProviderCodec } from "../../src/ir/codec.ts";
import type { StreamDeframer, WireEvent } from "../../src/ir/stream-deframer.ts";
import { StreamObservation, type StreamTransform } from "../../src/ir/stream-transform.ts";
import { AnthropicPassthrough } from "../../src/protocols/anthropic/anthropic-passthrough.ts";
import { anthropicProviderCodec } from "../../src/protocols/anthropic/codec.ts";
import { mayHaveJsonMember } from "../../src/protocols/has-json-member.ts";
import { openAIProviderCodec } from "../../src/protocols/openai/codec.ts";
import { OpenAIPassthrough } from "../../src/protocols/openai/openai-passthrough.ts";
import { responsesProviderCodec } from "../../src/protocols/responses/provider-codec.ts";
import {
  ResponsesPassthrough,
  readSequenceNumber,
} from "../../src/protocols/responses/responses-passthrough.ts";
import { SSEDeframer } from "../../src/sse/sse-deframer.ts";
import { respaceSSE } from "../support/respace-sse.ts";
import { randomPieces, recordedSSEStreams } from "../support/sse-pieces.ts";

const encoder = new TextEncoder();

/** The reference: a deframer that builds every event, whatever the filter says. */
class BuildEverything extends SSEDeframer {
  override skim(bytes: Uint8Array): WireEvent[] {
    return this.push(bytes);
  }
}

/** Counts the events a deframer builds. */
class Counting extends SSEDeframer {
  built = 0;
  override skim(bytes: Uint8Array, mayMatter: (raw: string) => boolean): WireEvent[] {
    const events = super.skim(bytes, mayMatter);
    this.built += events.length;
    return events;
  }
}

type Make = (deframer: StreamDeframer, observation: StreamObservation) => StreamTransform;

const PROTOCOLS: Array<{ name: string; recognise: RegExp; make: Make; codec: ProviderCodec }> = [
  {
    name: "openai",
    recognise: /chat\.completion\.chunk/,
    make: (d, o) => new OpenAIPassthrough(d, openAIProviderCodec, o, false),
    codec: openAIProviderCodec,
  },
  {
    name: "anthropic",
    recognise: /event: ?message_start/,
    make: (d, o) => new AnthropicPassthrough(d, anthropicProviderCodec, o),
    codec: anthropicProviderCodec,
  },
  {
    name: "responses",
    recognise: /response\.created/,
    make: (d, o) => new ResponsesPassthrough(d, responsesProviderCodec, o),
    codec: responsesProviderCodec,
  },
];

function replay(transform: StreamTransform, observation: StreamObservation, pieces: Uint8Array[]) {
  const decoder = new TextDecoder();
  let out = "";
  for (const piece of pieces) {
    const sent = transform.chunk(piece);
    out += typeof sent === "string" ? sent : sent ? decoder.decode(sent, { stream: true }) : "";
  }
  out += decoder.decode() + transform.end();
  return {
    out,
    usage: observation.usage,
    stopReason: observation.stopReason,
    upstreamError: observation.upstreamError,
  };
}

/** A stream, its Python-spaced, CRLF and cut-short forms. */
function variants(text: string): Array<[string, string]> {
  const forms: Array<[string, string]> = [["as recorded", text]];
  try {
    forms.push(["python-spaced", respaceSSE(text)]);
  } catch {
    // a stream whose data is not all JSON objects on one line stays as recorded
  }
  forms.push(["crlf", text.replace(/\r?\n/g, "\r\n")]);
  forms.push(["cut at two thirds", text.slice(0, Math.floor((text.length * 2) / 3))]);
  forms.push(["cut at the last blank line", text.slice(0, text.trimEnd().lastIndexOf("\n\n") + 2)]);
  return forms;
}

describe("same-protocol pass-through: skimming changes nothing the client or the records see", () => {
  const streams = recordedSSEStreams();
  for (const protocol of PROTOCOLS) {
    const mine = streams.filter((s) => protocol.recognise.test(s.text));
    test(`${protocol.name}: ${mine.length} recorded streams, five forms each, three ways of cutting them into reads`, () => {
      expect(mine.length).toBeGreaterThan(3);
      for (const { name, text } of mine) {
        for (const [form, body] of variants(text)) {
          for (const seed of [11, 12, 13]) {
            const pieces = randomPieces(encoder.encode(body), seed);
            const reference = new StreamObservation();
            const skimmed = new StreamObservation();
            const expected = replay(protocol.make(new BuildEverything(), reference), reference, pieces);
            const got = replay(protocol.make(new SSEDeframer(), skimmed), skimmed, pieces);
            expect({ name, form, seed, ...got }).toEqual({ name, form, seed, ...expected });
          }
        }
      }
    });
  }

  test("what is spared: a recorded OpenAI stream builds its finish, usage and [DONE] events only", () => {
    const text = recordedSSEStreams().find(
      (s) => s.name === "openai/gomodel-chat_completion_stream.txt",
    )!.text;
    const total = text.split("\n\n").filter((e) => e.startsWith("data:")).length;
    const deframer = new Counting();
    replay(
      new OpenAIPassthrough(deframer, openAIProviderCodec, new StreamObservation(), false),
      new StreamObservation(),
      [encoder.encode(text)],
    );
    expect(total).toBeGreaterThan(6);
    expect(deframer.built).toBeLessThanOrEqual(3);
  });

  test("what is spared: a recorded Anthropic stream builds message_start, message_delta and message_stop only", () => {
    const text = recordedSSEStreams().find((s) => s.name === "anthropic/sdkts-basic_response.txt")!.text;
    const deframer = new Counting();
    const observation = new StreamObservation();
    replay(new AnthropicPassthrough(deframer, anthropicProviderCodec, observation), observation, [
      encoder.encode(text),
    ]);
    expect(deframer.built).toBe(3);
    expect(observation.usage).not.toBeNull();
  });
});

describe("the filters' readings of raw event text", () => {
  test("mayHaveJsonMember: no only when the data certainly lacks the member", () => {
    const BRACE = 123;
    expect(mayHaveJsonMember('data: {"usage":null}\n\n', '"usage"', BRACE)).toBe(false);
    expect(mayHaveJsonMember('data: {"usage" :\tnull,"x":{}}\n\n', '"usage"', BRACE)).toBe(false);
    expect(mayHaveJsonMember('data: {"usage":{"a":1}}\n\n', '"usage"', BRACE)).toBe(true);
    expect(mayHaveJsonMember('data: {"usage" : {"a":1}}\n\n', '"usage"', BRACE)).toBe(true);
    expect(mayHaveJsonMember('data: {"x":"usage","usage":null,"y":{"usage":{}}}\n\n', '"usage"', BRACE)).toBe(
      true,
    );
    // A multi-line data field may continue the member on its next line: a yes.
    expect(mayHaveJsonMember('data: {"usage"\ndata: :{"a":1}}\n\n', '"usage"', BRACE)).toBe(true);
    expect(mayHaveJsonMember('data: {"usage":\ndata: {"a":1}}\n\n', '"usage"', BRACE)).toBe(true);
    expect(mayHaveJsonMember('data: {"content":"usage"}\n\n', '"usage"', BRACE)).toBe(false);
  });

  test("readSequenceNumber: the first member's digits, any spacing on the line; unreadable across lines", () => {
    expect(readSequenceNumber('data: {"type":"x","sequence_number":12}\n\n')).toBe(12);
    expect(readSequenceNumber('data: {"type": "x", "sequence_number": 7}\n\n')).toBe(7);
    expect(readSequenceNumber('data: {"type":"x"}\n\n')).toBe(-1);
    expect(readSequenceNumber('data: {"sequence_number"\ndata: :3}\n\n')).toBeLessThan(-1);
    expect(readSequenceNumber('data: {"sequence_number":\ndata: 3}\n\n')).toBeLessThan(-1);
    // Found by a review's differential fuzzer: the key on a line that is not data (a comment, an
    // unknown field) is not the event's; past 15 digits, Number()'s rounding.
    expect(readSequenceNumber(': "sequence_number": 9\n\n')).toBeLessThan(-1);
    expect(readSequenceNumber('"sequence_number":1\n\n')).toBeLessThan(-1);
    expect(readSequenceNumber('data: {"sequence_number":70298263458079544}\n\n')).toBe(
      Number("70298263458079544"),
    );
  });

  test("odd upstream lines: the numbers after a cut-short stream are the data's, skimmed or not", () => {
    const streams = [
      ': "sequence_number": 9\n\n',
      '"sequence_number":1\n\n',
      'event: response.output_text.delta\n: {"sequence_number":1}\ndata: {"type":"response.output_text.delta","sequence_number":50}\n\n',
      'data: {"type":"response.output_text.delta","sequence_number":70298263458079544}\n\n',
    ];
    for (const stream of streams) {
      const pieces = [encoder.encode(stream)];
      const reference = new StreamObservation();
      const skimmed = new StreamObservation();
      const expected = replay(
        new ResponsesPassthrough(new BuildEverything(), responsesProviderCodec, reference),
        reference,
        pieces,
      );
      const got = replay(
        new ResponsesPassthrough(new SSEDeframer(), responsesProviderCodec, skimmed),
        skimmed,
        pieces,
      );
      expect({ stream, out: got.out }).toEqual({ stream, out: expected.out });
    }
  });

  test("a large event in small reads is joined once (many data lines, 1 KB reads): the same events as the parser", () => {
    const lines = Array.from(
      { length: 4000 },
      (_, i) => `data: {"line":${i},"pad":"${"y".repeat(200)}"}`,
    ).join("\n");
    const text = `${lines}\n\ndata: [DONE]\n\n`;
    const deframer = new SSEDeframer();
    const events: WireEvent[] = [];
    for (const piece of randomPieces(encoder.encode(text), 21, 1024))
      events.push(...deframer.skim(piece, () => true));
    events.push(...deframer.end());
    expect(events.map((e) => e.data)).toEqual([lines.replaceAll("data: ", ""), "[DONE]"]);
  });

  test("a Responses stream cut short after a skimmed event is failed with the numbers after it", () => {
    const stream = [
      'event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1"}}\n\n',
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":1,"delta":"a"}\n\n',
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta", "sequence_number": 2,"delta":"b"}\n\n',
    ].join("");
    const observation = new StreamObservation();
    const out = replay(
      new ResponsesPassthrough(new SSEDeframer(), responsesProviderCodec, observation),
      observation,
      [encoder.encode(stream)],
    ).out;
    const tail = out.slice(stream.length);
    expect([...tail.matchAll(/"sequence_number":(\d+)/g)].map((m) => Number(m[1]))).toEqual([3, 4]);
    expect(tail).toContain('"id":"resp_1"');
  });
});
