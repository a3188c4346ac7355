import { describe, expect, test } from "bun:test";
import { anthropicClientCodec } from "../../../src/protocols/anthropic/codec.ts";
import { openAIProviderCodec } from "../../../src/protocols/openai/codec.ts";
import { type ParsedEvent, translateStream } from "../../ir/translate-stream.ts";

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const call = (index: number, fields: Record<string, unknown>) => ({ tool_calls: [{ index, ...fields }] });

/** The tool_use blocks the client reassembles: index → {name, input JSON text}. */
function toolInputs(events: ParsedEvent[]): Array<{ index: number; name: string; json: string }> {
  const blocks = new Map<number, { index: number; name: string; json: string; stopped: boolean }>();
  for (const { data } of events) {
    const d = data as {
      type: string;
      index: number;
      content_block?: { type: string; name: string };
      delta?: { type: string; partial_json?: string };
    };
    if (d.type === "content_block_start" && d.content_block?.type === "tool_use")
      blocks.set(d.index, { index: d.index, name: d.content_block.name, json: "", stopped: false });
    if (d.type === "content_block_delta" && d.delta?.type === "input_json_delta") {
      const block = blocks.get(d.index);
      if (!block || block.stopped) throw new Error(`delta for block ${d.index}, which is not open`);
      block.json += d.delta.partial_json ?? "";
    }
    if (d.type === "content_block_stop") {
      const block = blocks.get(d.index);
      if (block) block.stopped = true;
    }
  }
  return [...blocks.values()].map(({ index, name, json }) => ({ index, name, json }));
}

describe("OpenAI-type upstream → Anthropic client: tool calls whose arguments interleave", () => {
  test("all calls started first, arguments after: each block gets its own arguments, blocks stay sequential", () => {
    const events = translateStream(openAIProviderCodec, anthropicClientCodec, [
      chunk(call(0, { id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } })),
      chunk(call(1, { id: "call_b", type: "function", function: { name: "get_time", arguments: "" } })),
      chunk(call(0, { function: { arguments: '{"city":' } })),
      chunk(call(1, { function: { arguments: '{"tz":"CET"}' } })),
      chunk(call(0, { function: { arguments: '"Paris"}' } })),
      chunk({}, "tool_calls"),
      "data: [DONE]\n\n",
    ]);
    expect(toolInputs(events)).toEqual([
      { index: 0, name: "get_weather", json: '{"city":"Paris"}' },
      { index: 1, name: "get_time", json: '{"tz":"CET"}' },
    ]);
    const delta = events.find((e) => e.event === "message_delta")?.data as { delta: { stop_reason: string } };
    expect(delta.delta.stop_reason).toBe("tool_use");
  });

  test("sequential calls still stream live: the second block opens as soon as the first's JSON is complete", () => {
    const events = translateStream(openAIProviderCodec, anthropicClientCodec, [
      chunk(call(0, { id: "call_a", type: "function", function: { name: "a", arguments: '{"x":1}' } })),
      chunk(call(1, { id: "call_b", type: "function", function: { name: "b", arguments: '{"y":' } })),
      chunk(call(1, { function: { arguments: "2}" } })),
      chunk({}, "tool_calls"),
    ]);
    const kinds = events.map(
      (e) => `${(e.data as { type: string }).type}:${(e.data as { index?: number }).index ?? ""}`,
    );
    expect(kinds).toEqual([
      "message_start:",
      "content_block_start:0",
      "content_block_delta:0",
      "content_block_stop:0",
      "content_block_start:1",
      "content_block_delta:1",
      "content_block_delta:1",
      "content_block_stop:1",
      "message_delta:",
      "message_stop:",
    ]);
    expect(toolInputs(events).map((t) => t.json)).toEqual(['{"x":1}', '{"y":2}']);
  });

  test("a call with no arguments at all gets {} without stealing a later call's arguments", () => {
    const events = translateStream(openAIProviderCodec, anthropicClientCodec, [
      chunk(call(0, { id: "call_a", type: "function", function: { name: "now", arguments: "" } })),
      chunk(call(1, { id: "call_b", type: "function", function: { name: "b", arguments: "" } })),
      chunk(call(1, { function: { arguments: '{"y":2}' } })),
      chunk({}, "tool_calls"),
    ]);
    expect(toolInputs(events)).toEqual([
      { index: 0, name: "now", json: "{}" },
      { index: 1, name: "b", json: '{"y":2}' },
    ]);
  });
});
