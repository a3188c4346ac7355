import { describe, expect, test } from "bun:test";
import type { UpstreamResponse } from "../../src/gateway/call-upstream.ts";
import { relayStream, type StreamEnd, type StreamTransform } from "../../src/gateway/relay-stream.ts";

const encoder = new TextEncoder();

function upstreamOf(chunks: string[]): {
  upstream: UpstreamResponse;
  reader: { read(): Promise<{ done: boolean; value?: Uint8Array }> };
} {
  const controller = new AbortController();
  const queue = chunks.map((chunk) => encoder.encode(chunk));
  return {
    upstream: {
      response: new Response(""),
      abort: (reason) => controller.abort(reason),
      signal: controller.signal,
      headersAt: 0,
    },
    reader: {
      async read() {
        if (controller.signal.aborted) throw controller.signal.reason;
        const value = queue.shift();
        return value ? { done: false, value } : { done: true };
      },
    },
  };
}

const failing = (throwOn: string): StreamTransform => ({
  chunk(bytes) {
    const text = new TextDecoder().decode(bytes);
    if (text === throwOn) throw new TypeError("codec bug");
    return text;
  },
  end: () => "",
  fail: (message) => `event: error\ndata: ${JSON.stringify({ message })}\n\n`,
});

describe("relayStream", () => {
  test("a transform that throws ends the stream with the error event as a gateway error, not the provider's", async () => {
    const { upstream, reader } = upstreamOf(["second", "third"]);
    const ends: Array<[StreamEnd, string | undefined]> = [];
    const body = relayStream({
      upstream,
      reader,
      firstChunk: encoder.encode("first"),
      transform: failing("second"),
      idleTimeoutMs: 10_000,
      onEnd: (end, detail) => ends.push([end, detail]),
    });
    const text = await new Response(body).text();
    expect(text.startsWith("first")).toBe(true);
    expect(text).toContain("event: error");
    expect(text).not.toContain("third");
    expect(ends).toEqual([["gateway_error", "TypeError"]]);
    expect(upstream.signal.aborted).toBe(true);
  });

  test("a throw on the first chunk is handled the same way", async () => {
    const { upstream, reader } = upstreamOf([]);
    const ends: StreamEnd[] = [];
    const body = relayStream({
      upstream,
      reader,
      firstChunk: encoder.encode("boom"),
      transform: failing("boom"),
      idleTimeoutMs: 10_000,
      onEnd: (end) => ends.push(end),
    });
    expect(await new Response(body).text()).toContain("could not relay");
    expect(ends).toEqual(["gateway_error"]);
  });
});
