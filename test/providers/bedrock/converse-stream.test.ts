/**
 * Recorded ConverseStream events (test/fixtures/bedrock/PROVENANCE.md), framed as AWS event-stream
 * messages and replayed through the Bedrock transport's deframer and the Converse stream decoder,
 * whole and split at every byte.
 */
import { describe, expect, test } from "bun:test";
import type { IRStreamEvent } from "../../../src/ir/types.ts";
import { ConverseStreamDecoder } from "../../../src/protocols/bedrock-converse/converse-stream-decoder.ts";
import { encodeEventStreamMessage } from "../../../src/providers/bedrock/aws-event-stream.ts";
import { BedrockConverseDeframer } from "../../../src/providers/bedrock/bedrock-deframer.ts";

const FIXTURES = `${import.meta.dir}/../../fixtures/bedrock`;

async function framesOf(name: string): Promise<Uint8Array> {
  const lines = (await Bun.file(`${FIXTURES}/${name}`).text()).split("\n").filter((l) => l.trim() !== "");
  const frames = lines.map((line) => {
    const [eventType, payload] = Object.entries(JSON.parse(line) as Record<string, unknown>)[0]!;
    return encodeEventStreamMessage(
      { ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" },
      new TextEncoder().encode(JSON.stringify(payload)),
    );
  });
  return new Uint8Array(frames.flatMap((f) => [...f]));
}

function replay(bytes: Uint8Array, step: number): IRStreamEvent[] {
  const deframer = new BedrockConverseDeframer();
  const decoder = new ConverseStreamDecoder();
  const out: IRStreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += step)
    for (const event of deframer.push(bytes.subarray(i, i + step))) out.push(...decoder.push(event));
  for (const event of deframer.end()) out.push(...decoder.push(event));
  out.push(...decoder.end());
  return out;
}

const textOf = (events: IRStreamEvent[], type: "text_delta" | "reasoning_delta") =>
  events.map((e) => (e.type === type ? e.text : "")).join("");

describe("ConverseStream replay", () => {
  test("text: the whole answer, its usage, end_turn; the same split at every byte", async () => {
    const bytes = await framesOf("converse-stream-text.chunks.txt");
    const whole = replay(bytes, bytes.length);
    expect(textOf(whole, "text_delta")).toBe(
      'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."',
    );
    expect(whole.find((e) => e.type === "usage")).toEqual({
      type: "usage",
      usage: { inputTokens: 22, outputTokens: 55 },
    });
    expect(whole.at(-1)).toEqual({ type: "finish", reason: "end_turn" });
    const strip = (events: IRStreamEvent[]) => events.filter((e) => e.type !== "message_start");
    expect(strip(replay(bytes, 1))).toEqual(strip(whole));
  });

  test("reasoning: thinking text and its signature, then the answer", async () => {
    const events = replay(await framesOf("converse-stream-reasoning.chunks.txt"), 7);
    expect(textOf(events, "reasoning_delta")).toStartWith("Let me count the r's");
    expect(events.find((e) => e.type === "reasoning_signature")).toMatchObject({
      signature: expect.stringMatching(/^Ep0CCkgI/),
    });
    expect(textOf(events, "text_delta")).toStartWith("There are **3** r's");
  });

  test("a tool call (metadata before messageStop): one call with its whole input, tool_use", async () => {
    const events = replay(await framesOf("converse-stream-tool-call.chunks.txt"), 3);
    expect(events.find((e) => e.type === "tool_call_start")).toEqual({
      type: "tool_call_start",
      toolIndex: 0,
      id: "tool-use-id",
      name: "test-tool",
    });
    const args = events.map((e) => (e.type === "tool_call_delta" ? e.argumentsDelta : "")).join("");
    expect(JSON.parse(args)).toEqual({ value: "Sparkle Day" });
    expect(events.at(-1)).toEqual({ type: "finish", reason: "tool_use" });
  });

  test("the recorded exception frame becomes an IR error", async () => {
    const base64 = await Bun.file(`${FIXTURES}/model-stream-error-exception.eventstream.base64.txt`).text();
    const events = replay(new Uint8Array(Buffer.from(base64.trim(), "base64")), 5);
    expect(events).toEqual([{ type: "error", errorType: "api_error", message: "Model Stream Error" }]);
  });

  test("a corrupt frame (CRC) ends the stream with an error, not a crash", async () => {
    const bytes = await framesOf("converse-stream-text.chunks.txt");
    bytes[40] = bytes[40]! ^ 0xff;
    const events = replay(bytes, 16);
    expect(events.at(-1)).toMatchObject({ type: "error" });
    expect((events.at(-1) as { message: string }).message).toContain("CRC");
  });
});
