import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { openAIChunks, openAICompletion } from "../support/wire-builders.ts";

/** The official Anthropic SDK talking to the gateway, which routes to an OpenAI-type mock upstream. */
let mock: MockUpstream;
let gw: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: providersYaml(mock) });
  client = new Anthropic({ baseURL: gw.url, apiKey: "anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const MODEL = "openai/gpt-4o-mini";
type Json = Record<string, unknown>;
const upstreamBody = (i = 0): Json => mock.requests[i]?.body as Json;
const weatherTool = {
  name: "get_weather",
  description: "Current weather for a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

describe("Anthropic SDK → gateway → OpenAI-type provider", () => {
  test("JSON text: OpenAI request built from the Anthropic one; content, stop_reason and usage translated", async () => {
    mock.enqueue({
      json: openAICompletion({
        text: "Paris.",
        usage: { prompt_tokens: 130, completion_tokens: 3, cached_tokens: 100 },
      }),
    });
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 64,
      system: "One word.",
      messages: [{ role: "user", content: "Capital of France?" }],
    });
    expect(mock.requests[0]?.path).toBe("/v1/chat/completions");
    expect(upstreamBody()).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "One word." },
        { role: "user", content: "Capital of France?" },
      ],
      max_completion_tokens: 64,
    });
    expect(message.type).toBe("message");
    expect(message.model).toBe(MODEL);
    expect(message.content).toEqual([{ type: "text", text: "Paris." }] as never);
    expect(message.stop_reason).toBe("end_turn");
    // Anthropic input_tokens excludes cache reads: 130 - 100.
    expect(message.usage.input_tokens).toBe(30);
    expect(message.usage.cache_read_input_tokens).toBe(100);
    expect(message.usage.output_tokens).toBe(3);
  });

  test("streaming text: finalMessage reassembles; message_start has the estimate, message_delta the real usage", async () => {
    mock.enqueue({
      sse: openAIChunks({ text: ["Hel", "lo", "!"], usage: { prompt_tokens: 21, completion_tokens: 3 } }),
    });
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: "user", content: "greet" }],
    });
    const events: string[] = [];
    stream.on("streamEvent", (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(upstreamBody().stream_options).toEqual({ include_usage: true });
    expect(final.content).toEqual([{ type: "text", text: "Hello!" }] as never);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(3);
    expect(final.usage.input_tokens).toBe(21);
    expect(events[0]).toBe("message_start");
    expect(events.slice(-2)).toEqual(["message_delta", "message_stop"]);
  });

  test("single tool call, JSON: tool_calls → tool_use with parsed input, stop_reason tool_use", async () => {
    mock.enqueue({
      json: openAICompletion({
        text: null,
        toolCalls: [{ id: "call_abc", name: "get_weather", arguments: '{"city":"Paris"}' }],
      }),
    });
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 64,
      tools: [weatherTool],
      tool_choice: { type: "any" },
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    expect(upstreamBody().tools).toEqual([
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Current weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ]);
    expect(upstreamBody().tool_choice).toBe("required");
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toEqual([
      { type: "tool_use", id: "call_abc", name: "get_weather", input: { city: "Paris" } },
    ] as never);
  });

  test("parallel tool calls streamed: finalMessage has two tool_use blocks with complete inputs", async () => {
    mock.enqueue({
      sse: openAIChunks({
        text: ["Checking both."],
        toolCalls: [
          {
            id: "call_1",
            name: "get_weather",
            arguments: '{"city":"Paris"}',
            argumentPieces: ['{"ci', 'ty":"Pa', 'ris"}'],
          },
          { id: "call_2", name: "get_weather", arguments: '{"city":"Rome"}' },
        ],
        usage: { prompt_tokens: 40, completion_tokens: 30 },
      }),
    });
    const final = await client.messages
      .stream({
        model: MODEL,
        max_tokens: 200,
        tools: [weatherTool],
        messages: [{ role: "user", content: "Paris and Rome?" }],
      })
      .finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content).toEqual([
      { type: "text", text: "Checking both." },
      { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
      { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Rome" } },
    ] as never);
    expect(final.usage.output_tokens).toBe(30);
  });

  test("a full multi-turn tool loop: the second OpenAI request carries tool_calls and the tool message", async () => {
    mock.enqueue({
      json: openAICompletion({
        text: null,
        toolCalls: [{ id: "call_7", name: "get_weather", arguments: '{"city":"Oslo"}' }],
      }),
    });
    mock.enqueue({ json: openAICompletion({ text: "3°C in Oslo." }) });
    const messages: MessageParam[] = [{ role: "user", content: "Weather in Oslo?" }];
    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 64,
      tools: [weatherTool],
      messages,
    });
    messages.push({ role: "assistant", content: first.content });
    const toolUse = first.content.find((b) => b.type === "tool_use");
    if (toolUse?.type !== "tool_use") throw new Error("no tool_use");
    messages.push({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: toolUse.id, content: "3°C" }],
    });
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 64,
      tools: [weatherTool],
      messages,
    });
    expect(second.content).toEqual([{ type: "text", text: "3°C in Oslo." }] as never);
    expect(upstreamBody(1).messages).toEqual([
      { role: "user", content: "Weather in Oslo?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_7", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: "tool", tool_call_id: "call_7", content: "3°C" },
    ]);
  });

  test("thinking: budget → reasoning_effort; upstream reasoning_content streams as a thinking block", async () => {
    mock.enqueue({
      sse: openAIChunks({
        reasoning: ["Consider ", "it."],
        text: ["Yes."],
        usage: { prompt_tokens: 5, completion_tokens: 9, reasoning_tokens: 6 },
      }),
    });
    const final = await client.messages
      .stream({
        model: MODEL,
        max_tokens: 4000,
        thinking: { type: "enabled", budget_tokens: 2000 },
        messages: [{ role: "user", content: "?" }],
      })
      .finalMessage();
    expect(upstreamBody().reasoning_effort).toBe("low");
    expect(final.content).toEqual([
      { type: "thinking", thinking: "Consider it.", signature: "" },
      { type: "text", text: "Yes." },
    ] as never);
  });

  test("stop_sequences → stop; finish_reason length → max_tokens", async () => {
    mock.enqueue({ json: openAICompletion({ text: "1, 2", finishReason: "length" }) });
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 5,
      stop_sequences: ["###"],
      messages: [{ role: "user", content: "count" }],
    });
    expect(upstreamBody().stop).toEqual(["###"]);
    expect(message.stop_reason).toBe("max_tokens");
  });

  test("an upstream failure mid-stream becomes an Anthropic error event; the SDK surfaces it", async () => {
    mock.enqueue({ sse: openAIChunks({ text: ["par", "tial"] }), dropAfterChunks: 2 });
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: "user", content: "x" }],
    });
    await expect(stream.finalMessage()).rejects.toThrow();
  });

  test("top_k is dropped for OpenAI and listed in x-switchboard-dropped", async () => {
    mock.enqueue({ json: openAICompletion({ text: "ok" }) });
    const { response } = await client.messages
      // top_k built outside the literal: this SDK version's types do not list it.
      .create(
        Object.assign(
          { model: MODEL, max_tokens: 16, messages: [{ role: "user" as const, content: "x" }] },
          { top_k: 5 },
        ),
      )
      .withResponse();
    expect(response.headers.get("x-switchboard-dropped")).toContain("top_k");
    expect(upstreamBody().top_k).toBeUndefined();
  });

  test("message_start carries an input-token estimate (the OpenAI upstream reports usage only at the end)", async () => {
    mock.enqueue({ sse: openAIChunks({ text: ["x"], usage: { prompt_tokens: 500, completion_tokens: 1 } }) });
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 16,
      messages: [{ role: "user", content: "a fairly long prompt ".repeat(50) }],
    });
    let startInput = -1;
    stream.on("streamEvent", (event) => {
      if (event.type === "message_start") startInput = event.message.usage.input_tokens;
    });
    const final = await stream.finalMessage();
    expect(startInput).toBeGreaterThan(0);
    expect(final.usage.input_tokens).toBe(500);
  });

  test("recorded OpenAI stream with a usage-only final chunk replayed upstream: the SDK's final message is exact", async () => {
    mock.enqueue({ fixture: "openai/openai-node-chat-stream-structured-output.txt" });
    const final = await client.messages
      .stream({ model: MODEL, max_tokens: 100, messages: [{ role: "user", content: "weather json" }] })
      .finalMessage();
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(10);
    expect(final.usage.input_tokens).toBe(17);
    const text = final.content[0]?.type === "text" ? final.content[0].text : "";
    expect(JSON.parse(text)).toEqual(expect.objectContaining({ city: "San Francisco" }));
  });
});
