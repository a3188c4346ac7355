import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { encodeSSE, encodeSSEComment } from "../../src/sse/encoder.ts";
import { SSEParser } from "../../src/sse/parser.ts";
import { fixturesDir, readFixture } from "../support/fixtures.ts";

const parseAll = (chunks: string[]) => {
  const parser = new SSEParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return [...events, ...parser.end()];
};

describe("SSEParser (WHATWG event-stream rules)", () => {
  test("data with and without the space after the colon", () => {
    expect(parseAll(["data: a\n\ndata:b\n\n"]).map((e) => e.data)).toEqual(["a", "b"]);
  });

  test("only one leading space is removed", () => {
    expect(parseAll(["data:  two\n\n"])[0].data).toBe(" two");
  });

  test("LF, CR and CRLF line ends", () => {
    expect(parseAll(["data: lf\n\n", "data: cr\r\r", "data: crlf\r\n\r\n"]).map((e) => e.data)).toEqual([
      "lf",
      "cr",
      "crlf",
    ]);
  });

  test("a CRLF split across two chunks is one line end", () => {
    const events = parseAll(["data: x\r", "\n\r", "\ndata: y\r\n\r\n"]);
    expect(events.map((e) => e.data)).toEqual(["x", "y"]);
  });

  test("an empty read between a CR and its LF changes nothing", () => {
    const events = parseAll(["data: a\r", "", "\ndata: b\r\n\r\n"]);
    expect(events.map((e) => e.data)).toEqual(["a\nb"]);
  });

  test("multi-line data joined with LF; event and id fields", () => {
    const [event] = parseAll(['event: message_start\nid: 7\ndata: {"a":\ndata: 1}\n\n']);
    expect(event).toEqual({ event: "message_start", data: '{"a":\n1}', id: "7" });
  });

  test("comments are ignored and an event without data is not dispatched", () => {
    expect(parseAll([": ping\n\nevent: ping\n\n", "data: real\n\n"]).map((e) => e.data)).toEqual(["real"]);
  });

  test("a field with no colon is a field with an empty value", () => {
    expect(parseAll(["data\n\n"])).toEqual([{ event: "message", data: "", id: undefined }]);
  });

  test("an event not terminated by a blank line at end of stream is discarded", () => {
    expect(parseAll(["data: complete\n\ndata: partial"]).map((e) => e.data)).toEqual(["complete"]);
  });

  test("multi-byte UTF-8 split across chunks decodes intact", () => {
    const bytes = new TextEncoder().encode('data: {"t":"héllo 👋"}\n\n');
    const parser = new SSEParser();
    const events = [];
    for (let i = 0; i < bytes.length; i++) events.push(...parser.push(bytes.slice(i, i + 1)));
    expect(events.map((e) => e.data)).toEqual(['{"t":"héllo 👋"}']);
  });

  test("every recorded fixture stream parses to JSON data events, byte by byte the same as whole", () => {
    for (const dir of ["anthropic", "openai"]) {
      for (const file of readdirSync(`${fixturesDir()}/${dir}`).filter((f) => f.endsWith(".txt"))) {
        const text = readFixture(`${dir}/${file}`);
        const whole = parseAll([text]);
        const split = parseAll(text.match(/[\s\S]{1,7}/g) ?? []);
        expect(split).toEqual(whole);
        if (dir === "anthropic" && !file.includes("responses")) {
          for (const event of whole) expect(() => JSON.parse(event.data)).not.toThrow();
        }
      }
    }
  });
});

describe("SSE encoder", () => {
  test("named and unnamed events, multi-line data", () => {
    expect(encodeSSE('{"a":1}', "message_stop")).toBe('event: message_stop\ndata: {"a":1}\n\n');
    expect(encodeSSE("[DONE]")).toBe("data: [DONE]\n\n");
    expect(parseAll([encodeSSE("a\nb")])[0].data).toBe("a\nb");
  });

  test("a comment cannot break out of its line", () => {
    expect(encodeSSEComment("x\ndata: injected")).toBe(": x data: injected\n\n");
    expect(parseAll([encodeSSEComment("x\ndata: injected")])).toEqual([]);
  });
});
