import { describe, expect, test } from "bun:test";
import {
  EventStreamDecoder,
  EventStreamError,
  encodeEventStreamMessage,
} from "../../../src/providers/bedrock/aws-event-stream.ts";

interface Vector {
  expectation: "success" | "failure";
  encoded: string;
  decoded?: { headers: Record<string, unknown>; body: string };
}

const { vectors } = (await Bun.file(
  `${import.meta.dir}/../../fixtures/bedrock/event-stream-vectors.json`,
).json()) as {
  vectors: Record<string, Vector>;
};

function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (value instanceof Date) return value.getTime();
  if (typeof value === "bigint") return Number(value);
  return value;
}

describe("AWS event-stream decoding (the spec's test vectors)", () => {
  for (const [name, vector] of Object.entries(vectors)) {
    const bytes = new Uint8Array(Buffer.from(vector.encoded, "hex"));
    if (vector.expectation === "success") {
      test(`${name}: decodes to its headers and body, whole or one byte at a time`, () => {
        const whole = new EventStreamDecoder().push(bytes);
        const byByte = new EventStreamDecoder();
        const pieces = [...bytes].flatMap((b) => byByte.push(new Uint8Array([b])));
        for (const messages of [whole, pieces]) {
          expect(messages).toHaveLength(1);
          const headers = Object.fromEntries(
            Object.entries(messages[0]!.headers).map(([k, v]) => [k, plain(v)]),
          );
          expect(headers).toEqual(vector.decoded!.headers);
          expect(new TextDecoder().decode(messages[0]!.payload)).toBe(vector.decoded!.body);
        }
        expect(byByte.pending).toBe(0);
      });
    } else {
      test(`${name}: rejected (CRC or length check)`, () => {
        expect(() => new EventStreamDecoder().push(bytes)).toThrow(EventStreamError);
      });
    }
  }

  test("a recorded exception frame (modelStreamErrorException) decodes", async () => {
    const base64 = await Bun.file(
      `${import.meta.dir}/../../fixtures/bedrock/model-stream-error-exception.eventstream.base64.txt`,
    ).text();
    const [message] = new EventStreamDecoder().push(new Uint8Array(Buffer.from(base64.trim(), "base64")));
    expect(message!.headers[":message-type"]).toBe("exception");
    expect(message!.headers[":exception-type"]).toBe("modelStreamErrorException");
    expect(JSON.parse(new TextDecoder().decode(message!.payload))).toMatchObject({
      message: "Model Stream Error",
    });
  });

  test("several messages in one read and a message split over three reads", () => {
    const a = encodeEventStreamMessage({ ":event-type": "a" }, new TextEncoder().encode("{}"));
    const b = encodeEventStreamMessage({ ":event-type": "b" }, new TextEncoder().encode('{"x":1}'));
    const joined = new Uint8Array([...a, ...b, ...a]);
    const decoder = new EventStreamDecoder();
    const first = decoder.push(joined.subarray(0, a.length + 5));
    expect(first.map((m) => m.headers[":event-type"])).toEqual(["a"]);
    expect(decoder.push(joined.subarray(a.length + 5, a.length + 9))).toEqual([]);
    const rest = decoder.push(joined.subarray(a.length + 9));
    expect(rest.map((m) => m.headers[":event-type"])).toEqual(["b", "a"]);
    expect(decoder.pending).toBe(0);
  });

  test("the encoder's frames match the vectors' layout (payload_one_str_header re-encoded byte for byte)", () => {
    const vector = vectors.payload_one_str_header!;
    const encoded = encodeEventStreamMessage(
      { "content-type": "application/json" },
      new TextEncoder().encode("{'foo':'bar'}"),
    );
    expect(Buffer.from(encoded).toString("hex")).toBe(vector.encoded);
  });
});
