import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { SSEParser } from "../../src/sse/parser.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { anthropicEvents, anthropicMessage } from "../support/wire-builders.ts";

/** The official OpenAI SDK talking to the gateway, which routes to an Anthropic-type mock upstream. */
let mock: MockUpstream;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: providersYaml(mock) });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const MODEL = "anthropic/claude-sonnet-4-5";
const SIGNATURE = "EoQDCkYICxgCKkD/7LGRV3nhFx7eDr0a8CqN9Q7VPNpcIwqMFQzxg6yM6cO8+q0blgDq";
const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

type Json = Record<string, unknown>;
const upstreamBody = (i = 0): Json => mock.requests[i]?.body as Json;

describe("OpenAI SDK → gateway → Anthropic-type provider", () => {
  test("JSON text: Anthropic request built from the OpenAI one; answer, finish_reason and usage translated", async () => {
    mock.enqueue({
      json: anthropicMessage({
        content: "Paris.",
        usage: {
          input_tokens: 20,
          output_tokens: 3,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 7,
        },
      }),
    });
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: "system", content: "Answer in one word." },
        { role: "user", content: "Capital of France?" },
      ],
      max_tokens: 50,
    });
    expect(mock.requests[0]?.path).toBe("/v1/messages");
    expect(upstreamBody()).toEqual({
      model: "claude-sonnet-4-5",
      system: "Answer in one word.",
      messages: [{ role: "user", content: [{ type: "text", text: "Capital of France?" }] }],
      max_tokens: 50,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe(MODEL);
    expect(completion.choices[0]?.message.content).toBe("Paris.");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    // prompt_tokens includes cache reads and writes; cached_tokens are the reads.
    expect(completion.usage?.prompt_tokens).toBe(127);
    expect(completion.usage?.completion_tokens).toBe(3);
    expect(completion.usage?.total_tokens).toBe(130);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(100);
  });

  test("streaming text with the SDK helper: finalChatCompletion reassembles content, finish and usage", async () => {
    mock.enqueue({
      sse: anthropicEvents({
        content: [{ type: "text", text: ["Hel", "lo", " world"] }],
        usage: { input_tokens: 12, output_tokens: 4 },
      }),
    });
    const stream = client.chat.completions.stream({
      model: MODEL,
      messages: [{ role: "user", content: "greet" }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(upstreamBody().stream).toBe(true);
    expect(final.choices[0]?.message.content).toBe("Hello world");
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(final.usage?.prompt_tokens).toBe(12);
    expect(final.usage?.completion_tokens).toBe(4);
  });

  test("single tool call, JSON: tool_use → tool_calls with exact arguments, finish tool_calls", async () => {
    mock.enqueue({
      json: anthropicMessage({
        content: [
          { type: "text", text: "Let me check." },
          { type: "tool_use", id: "toolu_01A", name: "get_weather", input: { city: "Paris" } },
        ],
      }),
    });
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [weatherTool],
    });
    expect((upstreamBody().tools as Json[])[0]).toEqual({
      name: "get_weather",
      description: "Current weather for a city",
      input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    });
    const message = completion.choices[0]?.message;
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message?.content).toBe("Let me check.");
    expect(message?.tool_calls).toEqual([
      { id: "toolu_01A", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    ]);
  });

  test("parallel tool calls streamed: the SDK helper reassembles both calls with their arguments", async () => {
    mock.enqueue({
      sse: anthropicEvents({
        content: [
          {
            type: "tool_use",
            id: "toolu_1",
            name: "get_weather",
            input: { city: "Paris" },
            partialJson: ['{"ci', 'ty": "Par', 'is"}'],
          },
          {
            type: "tool_use",
            id: "toolu_2",
            name: "get_weather",
            input: { city: "Rome" },
            partialJson: ["", '{"city": "Rome"}'],
          },
        ],
      }),
    });
    const stream = client.chat.completions.stream({
      model: MODEL,
      messages: [{ role: "user", content: "Weather in Paris and Rome?" }],
      tools: [weatherTool],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(
      calls.map((c) =>
        c.type === "function" ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : null,
      ),
    ).toEqual([
      ["toolu_1", "get_weather", { city: "Paris" }],
      ["toolu_2", "get_weather", { city: "Rome" }],
    ]);
  });

  test("a full multi-turn tool loop: the second request carries tool_use and tool_result exactly", async () => {
    mock.enqueue({
      json: anthropicMessage({
        content: [{ type: "tool_use", id: "toolu_9", name: "get_weather", input: { city: "Oslo" } }],
      }),
    });
    mock.enqueue({ json: anthropicMessage({ content: "It is 3°C in Oslo." }) });
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Oslo?" }];
    const first = await client.chat.completions.create({ model: MODEL, messages, tools: [weatherTool] });
    const assistant = first.choices[0]?.message;
    if (!assistant) throw new Error("no message");
    messages.push(assistant as ChatCompletionMessageParam);
    messages.push({
      role: "tool",
      tool_call_id: assistant.tool_calls?.[0]?.id ?? "",
      content: '{"temp_c":3}',
    });
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [weatherTool] });
    expect(second.choices[0]?.message.content).toBe("It is 3°C in Oslo.");
    expect(second.choices[0]?.finish_reason).toBe("stop");
    expect(upstreamBody(1).messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Oslo?" }] },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_9", name: "get_weather", input: { city: "Oslo" } }],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_9", content: [{ type: "text", text: '{"temp_c":3}' }] },
        ],
      },
    ]);
  });

  test("thinking, JSON: reasoning_content + reasoning_details; sending the message back restores the signed thinking block", async () => {
    mock.enqueue({
      json: anthropicMessage({
        content: [
          { type: "thinking", thinking: "7 = 12 - 5", signature: SIGNATURE },
          { type: "tool_use", id: "toolu_c", name: "calc", input: { expr: "12-5" } },
        ],
      }),
    });
    mock.enqueue({ json: anthropicMessage({ content: "x = 7" }) });
    const tools = [{ type: "function" as const, function: { name: "calc", parameters: { type: "object" } } }];
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "x + 5 = 12" }];
    const first = await client.chat.completions.create({
      model: MODEL,
      messages,
      tools,
      reasoning_effort: "low",
    });
    expect(upstreamBody(0).thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    const message = first.choices[0]?.message as unknown as Json;
    expect(message.reasoning_content).toBe("7 = 12 - 5");
    expect(message.reasoning_details).toEqual([
      { type: "reasoning.text", text: "7 = 12 - 5", signature: SIGNATURE, index: 0 },
    ]);
    messages.push(message as unknown as ChatCompletionMessageParam);
    messages.push({ role: "tool", tool_call_id: "toolu_c", content: "7" });
    await client.chat.completions.create({ model: MODEL, messages, tools, reasoning_effort: "low" });
    const assistantTurn = (upstreamBody(1).messages as Json[])[1];
    expect(assistantTurn).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "7 = 12 - 5", signature: SIGNATURE },
        { type: "tool_use", id: "toolu_c", name: "calc", input: { expr: "12-5" } },
      ],
    });
  });

  test("thinking, streamed: the SDK's final message carries reasoning_details with the signature, which round-trips", async () => {
    mock.enqueue({
      sse: anthropicEvents({
        content: [
          { type: "thinking", thinking: ["Let me ", "think."], signature: SIGNATURE },
          { type: "text", text: ["Done", "."] },
        ],
      }),
    });
    mock.enqueue({ json: anthropicMessage({ content: "ok" }) });
    const stream = client.chat.completions.stream({
      model: MODEL,
      messages: [{ role: "user", content: "q" }],
      reasoning_effort: "medium",
    });
    const reasoningDeltas: string[] = [];
    stream.on("chunk", (chunk) => {
      const delta = chunk.choices[0]?.delta as Json | undefined;
      if (typeof delta?.reasoning_content === "string") reasoningDeltas.push(delta.reasoning_content);
    });
    const final = await stream.finalChatCompletion();
    expect(reasoningDeltas).toEqual(["Let me ", "think."]);
    const message = final.choices[0]?.message as unknown as Json;
    expect(message.content).toBe("Done.");
    expect(message.reasoning_details).toEqual([
      { type: "reasoning.text", text: "Let me think.", signature: SIGNATURE, index: 0 },
    ]);
    await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: "user", content: "q" },
        message as unknown as ChatCompletionMessageParam,
        { role: "user", content: "more" },
      ],
      reasoning_effort: "medium",
    });
    expect((upstreamBody(1).messages as Json[])[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Let me think.", signature: SIGNATURE },
        { type: "text", text: "Done." },
      ],
    });
  });

  test("a dropped field is listed in x-switchboard-dropped; strict mode turns it into a 400", async () => {
    mock.enqueue({ json: anthropicMessage({ content: "hi" }) });
    const raw = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: "user", content: "x" }], seed: 42 })
      .withResponse();
    expect(raw.response.headers.get("x-switchboard-dropped")).toContain("seed");
    const strict = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-switchboard-strictness": "strict" },
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x" }], seed: 42 }),
    });
    expect(strict.status).toBe(400);
    const body = (await strict.json()) as { error: { message: string } };
    expect(body.error.message).toContain("seed");
    expect(body.error.message).toContain("anthropic");
  });

  test("n > 1 cannot be honoured by Anthropic: 400 in the OpenAI envelope, nothing sent upstream", async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x" }], n: 3 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; param: string } };
    expect(body.error.param).toBe("n");
    expect(mock.requests.length).toBe(0);
  });

  test("raw stream without include_usage: no usage chunk, ends with [DONE]; upstream event: error → data {error}, no [DONE]", async () => {
    const rawStream = async () => {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: MODEL, stream: true, messages: [{ role: "user", content: "x" }] }),
      });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const parser = new SSEParser();
      return [...parser.push(await res.text()), ...parser.end()].map((e) => e.data);
    };
    mock.enqueue({ sse: anthropicEvents({ content: "fine" }) });
    const ok = await rawStream();
    expect(ok.at(-1)).toBe("[DONE]");
    expect(
      ok.some((d) => d !== "[DONE]" && (JSON.parse(d) as { choices: unknown[] }).choices.length === 0),
    ).toBe(false);

    const events = anthropicEvents({ content: [{ type: "text", text: ["a", "b"] }] });
    mock.enqueue({
      sse: [
        ...events.slice(0, 4),
        `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })}\n\n`,
      ],
    });
    const failed = await rawStream();
    expect(failed).not.toContain("[DONE]");
    expect(JSON.parse(failed.at(-1) ?? "{}")).toEqual({
      error: expect.objectContaining({ message: "Overloaded", type: "overloaded_error" }),
    });
  });

  test("image parts: a data URL reaches Anthropic as a base64 image block", async () => {
    mock.enqueue({ json: anthropicMessage({ content: "a cat" }) });
    await client.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is it?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          ],
        },
      ],
    });
    expect((upstreamBody().messages as Json[])[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "What is it?" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      ],
    });
  });

  test("recorded Anthropic stream (text + tool_use) replayed upstream: the SDK's final message is exact", async () => {
    mock.enqueue({ fixture: "anthropic/sdkts-tool_use_response.txt" });
    const final = await client.chat.completions
      .stream({
        model: MODEL,
        messages: [{ role: "user", content: "Weather in Paris?" }],
        tools: [weatherTool],
      })
      .finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message?.content).toBe("I'll check the current weather in Paris for you.");
    expect(message?.tool_calls).toEqual([
      {
        id: "toolu_01NRLabsLyVHZPKxbKvkfSMn",
        type: "function",
        function: { name: "get_weather", arguments: '{"location": "Paris"}' },
      },
    ]);
  });
});
