/**
 * SSEDeframer.skim: the events it builds are exactly the full parser's events that the filter
 * accepts (or all of them once a CR is seen), whatever the pieces the bytes arrive in.
 */
import { describe, expect, test } from "bun:test";
import type { WireEvent } from "../../src/ir/stream-deframer.ts";
import { SSEParser } from "../../src/sse/parser.ts";
import { SSEDeframer } from "../../src/sse/sse-deframer.ts";
import { randomPieces, recordedSSEStreams } from "../support/sse-pieces.ts";

const encoder = new TextEncoder();

function parseAll(text: string): WireEvent[] {
  const parser = new SSEParser();
  return [...parser.push(text), ...parser.end(true)];
}

function skimAll(pieces: Uint8Array[], filter: (raw: string) => boolean): WireEvent[] {
  const deframer = new SSEDeframer();
  const events: WireEvent[] = [];
  for (const piece of pieces) events.push(...deframer.skim(piece, filter));
  return [...events, ...deframer.end()];
}

/** Events compared without `id` (a skipped event's id is not tracked, and no observer reads it). */
const withoutId = (events: WireEvent[]) => events.map(({ event, data }) => ({ event, data }));

describe("SSEDeframer.skim", () => {
  const streams = recordedSSEStreams();

  test("there are recorded streams to replay", () => {
    expect(streams.length).toBeGreaterThan(30);
  });

  test("a filter that accepts everything: the full parser's events, every stream, any pieces", () => {
    for (const { name, text } of streams) {
      const expected = withoutId(parseAll(text));
      for (const seed of [1, 2, 3]) {
        const got = withoutId(skimAll(randomPieces(encoder.encode(text), seed), () => true));
        expect({ name, seed, events: got }).toEqual({ name, seed, events: expected });
      }
    }
  });

  test("a filter that accepts some: exactly those events, nothing of a skipped one leaks into the next", () => {
    for (const { name, text } of streams) {
      // Every third event's data is kept; the filter reads an event's raw text with its own parser.
      const all = parseAll(text);
      const kept = new Set(all.filter((_, i) => i % 3 === 0).map((e) => e.data));
      // A last event without its blank line is dispatched at the end, unfiltered (as in `push`).
      const unterminated = !/(\n\n|\r\r|\r\n\r\n)$/.test(text);
      const expected = withoutId(
        all.filter((e, i) => kept.has(e.data) || (unterminated && i === all.length - 1)),
      );
      const filter = (raw: string) => parseAll(raw).some((e) => kept.has(e.data));
      for (const seed of [4, 5]) {
        const got = withoutId(skimAll(randomPieces(encoder.encode(text), seed), filter));
        expect({ name, seed, events: got }).toEqual({ name, seed, events: expected });
      }
    }
  });

  test("a filter that accepts nothing builds nothing but the unterminated last event", () => {
    const text = 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: {"c":3}';
    const got = skimAll(randomPieces(encoder.encode(text), 6, 5), () => false);
    expect(withoutId(got)).toEqual([{ event: "message", data: '{"c":3}' }]);
  });

  test("CRLF and CR line ends (from the start or mid-stream): from the first CR every event is built, as the parser reads them", () => {
    const lf = 'event: a\ndata: {"x":1}\n\ndata: one\ndata: two\n\n: comment\ndata: {"y":"é"}\n\n';
    const crlf = lf.replaceAll("\n", "\r\n");
    const cr = lf.replaceAll("\n", "\r");
    const cases: Array<[string, WireEvent[]]> = [
      [crlf, parseAll(crlf)],
      [cr, parseAll(cr)],
      // The LF events before it are skimmed (the filter refuses them); the CRLF ones all built.
      [lf + crlf, parseAll(crlf)],
    ];
    for (const [text, all] of cases) {
      const expected = withoutId(all);
      for (const seed of [7, 8, 9]) {
        const got = withoutId(skimAll(randomPieces(encoder.encode(text), seed, 4), () => false));
        expect(got).toEqual(expected);
      }
    }
  });

  test("a multi-byte character split across pieces, and at the very end, decodes as the parser does", () => {
    const text = 'data: {"t":"日本語 🙂"}\n\ndata: 🙂';
    const bytes = encoder.encode(text);
    const expected = withoutId(parseAll(text));
    for (let cut = 1; cut < bytes.length; cut++) {
      const got = withoutId(skimAll([bytes.subarray(0, cut), bytes.subarray(cut)], () => true));
      expect(got).toEqual(expected);
    }
  });
});
