// The Vercel AI SDK's OpenAI provider, whose `openai(model)` speaks the Responses API, pointed at
// the gateway: generateText, streamText and tool loops against an Anthropic provider (translated)
// and a Responses provider (the pipe).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createOpenAI } from "@ai-sdk/openai";
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { readFixture } from "../support/fixtures.ts";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { anthropicEvents, anthropicMessage, responsesEvents } from "../support/wire-builders.ts";
import { ANTHROPIC, type Json, RESPONSES, responsesYaml } from "./responses-support.ts";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: responsesYaml(mock) });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});
beforeEach(() => mock.reset());

const openai = () => createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: "any" });
const upstreamBody = (i = 0): Json => mock.requests[i]?.body as Json;

const weather = tool({
  description: "Weather for a city",
  inputSchema: jsonSchema<{ location: string }>({
    type: "object",
    properties: { location: { type: "string" } },
    required: ["location"],
  }),
  execute: async ({ location }) => ({ location, forecast: "sunny" }),
});

/** The gateway keeps no items: a client that continues a conversation sends them, not references. */
const stateless = { openai: { store: false } };

describe("Vercel AI SDK openai() (Responses API) → Anthropic provider", () => {
  test("generateText: text, finish reason, usage; the Anthropic request", async () => {
    mock.enqueue({
      json: anthropicMessage({
        content: "Hello there.",
        usage: { input_tokens: 12, output_tokens: 4, cache_read_input_tokens: 30 },
      }),
    });
    const result = await generateText({
      model: openai()(ANTHROPIC.model),
      system: "Be brief.",
      prompt: "hi",
      maxOutputTokens: 100,
    });
    expect(mock.requests[0]?.path).toBe("/v1/messages");
    expect(upstreamBody()).toEqual({
      model: "claude-sonnet-4-5",
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      max_tokens: 100,
    });
    expect(result.text).toBe("Hello there.");
    expect(result.finishReason).toBe("stop");
    expect(result.usage.inputTokens).toBe(42);
    expect(result.usage.outputTokens).toBe(4);
    expect(result.usage.inputTokenDetails?.cacheReadTokens).toBe(30);
  });

  test("streamText: the text deltas as Anthropic sent them, finish reason, usage", async () => {
    mock.enqueue({
      sse: anthropicEvents({
        content: [{ type: "text", text: ["Hel", "lo ", "there."] }],
        usage: { input_tokens: 12, output_tokens: 4 },
      }),
    });
    const result = streamText({ model: openai()(ANTHROPIC.model), prompt: "hi" });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas).toEqual(["Hel", "lo ", "there."]);
    expect(await result.finishReason).toBe("stop");
    expect((await result.usage).outputTokens).toBe(4);
    expect(upstreamBody().stream).toBe(true);
  });

  test("streamText tool loop (recorded text + tool_use, store: false): the tool runs, its result goes back as tool_result", async () => {
    mock.enqueue({ fixture: "anthropic/sdkts-tool_use_response.txt" });
    const result = streamText({
      model: openai()(ANTHROPIC.model),
      prompt: "What is the weather in Paris?",
      tools: { get_weather: weather },
      stopWhen: stepCountIs(3),
      providerOptions: stateless,
    });
    const steps = await result.steps;
    expect(steps.length).toBe(2);
    expect(steps[0]!.finishReason).toBe("tool-calls");
    expect(steps[0]!.text).toBe("I'll check the current weather in Paris for you.");
    expect(steps[0]!.toolCalls.map((c) => [c.toolCallId, c.toolName, c.input])).toEqual([
      ["toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather", { location: "Paris" }],
    ]);
    expect(await result.text).toBe("echo: ");
    expect((upstreamBody(1).messages as Json[]).slice(1)).toEqual([
      {
        role: "assistant",
        content: [
          { type: "text", text: "I'll check the current weather in Paris for you." },
          {
            type: "tool_use",
            id: "toolu_01NRLabsLyVHZPKxbKvkfSMn",
            name: "get_weather",
            input: { location: "Paris" },
          },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "toolu_01NRLabsLyVHZPKxbKvkfSMn",
            content: [{ type: "text", text: '{"location":"Paris","forecast":"sunny"}' }],
          },
        ],
      },
    ]);
  });

  test("generateText tool loop with the SDK's default store: the call went back whole (function calls are never referenced)", async () => {
    mock.enqueue(
      {
        json: anthropicMessage({
          content: [{ type: "tool_use", id: "toolu_2", name: "get_weather", input: { location: "Oslo" } }],
        }),
      },
      { json: anthropicMessage({ content: "Sunny in Oslo." }) },
    );
    const result = await generateText({
      model: openai()(ANTHROPIC.model),
      prompt: "Weather in Oslo?",
      tools: { get_weather: weather },
      stopWhen: stepCountIs(3),
    });
    expect(result.steps.length).toBe(2);
    expect(result.text).toBe("Sunny in Oslo.");
    expect(result.steps[0]!.toolResults.map((r) => r.output)).toEqual([
      { location: "Oslo", forecast: "sunny" },
    ]);
    expect((upstreamBody(1).messages as Json[]).at(-1)).toEqual({
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "toolu_2",
          content: [{ type: "text", text: '{"location":"Oslo","forecast":"sunny"}' }],
        },
      ],
    });
  });

  test("the SDK's default store: its item_reference to the text item is resolved from the gateway's store", async () => {
    const stored = await startTestGateway({
      yaml: responsesYaml(mock),
      usageStore: new SqliteUsageStore(":memory:"),
    });
    try {
      mock.enqueue({ fixture: "anthropic/sdkts-tool_use_response.txt" });
      mock.enqueue({ sse: anthropicEvents({ content: [{ type: "text", text: ["Sunny in Paris."] }] }) });
      const result = streamText({
        model: createOpenAI({ baseURL: `${stored.url}/v1`, apiKey: "any" })(ANTHROPIC.model),
        prompt: "What is the weather in Paris?",
        tools: { get_weather: weather },
        stopWhen: stepCountIs(3),
      });
      expect(await result.text).toBe("Sunny in Paris.");
      expect(mock.requests.length).toBe(2);
      // The second step sent a reference to the first step's text; the Anthropic upstream got the text back.
      const assistant = (upstreamBody(1).messages as Json[])[1] as Json;
      expect(assistant.role).toBe("assistant");
      const kinds = (assistant.content as Json[]).map((block) => block.type);
      expect(kinds).toEqual(["text", "tool_use"]);
    } finally {
      await stored.stop();
    }
  });

  test("without a store the reference cannot be resolved: a 400 that says what to do", async () => {
    mock.enqueue({ fixture: "anthropic/sdkts-tool_use_response.txt" });
    let failure: unknown;
    const result = streamText({
      model: openai()(ANTHROPIC.model),
      prompt: "What is the weather in Paris?",
      tools: { get_weather: weather },
      stopWhen: stepCountIs(3),
      onError: ({ error }) => {
        failure = error;
      },
    });
    await result.consumeStream();
    expect(APICallError.isInstance(failure)).toBe(true);
    const error = failure as APICallError;
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain("item_reference");
    expect(error.message).toContain("store: false");
    expect(mock.requests.length).toBe(1);
  });

  test("reasoning (forceReasoning, store: false): thinking comes back as reasoning with its signature, which the next step restores", async () => {
    const signature = "EoQDCkYICxgCKkD/7LGRV3nhFx7eDr0a8CqN9Q7VPNpcIwqMFQzxg6yM6cO8";
    mock.enqueue({
      sse: anthropicEvents({
        content: [
          { type: "thinking", thinking: ["Need ", "weather."], signature },
          { type: "tool_use", id: "toolu_r", name: "get_weather", input: { location: "Rome" } },
        ],
      }),
    });
    const result = streamText({
      model: openai()(ANTHROPIC.model),
      prompt: "Weather in Rome?",
      tools: { get_weather: weather },
      stopWhen: stepCountIs(3),
      providerOptions: {
        openai: { store: false, forceReasoning: true, reasoningEffort: "low", reasoningSummary: "auto" },
      },
    });
    const steps = await result.steps;
    expect(upstreamBody(0).thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(steps[0]!.reasoningText).toBe("Need weather.");
    expect((upstreamBody(1).messages as Json[])[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Need weather.", signature },
        { type: "tool_use", id: "toolu_r", name: "get_weather", input: { location: "Rome" } },
      ],
    });
    expect(upstreamBody(1).thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
  });
});

describe("Vercel AI SDK openai() (Responses API) → Responses provider", () => {
  test("generateText (recorded): the answer and usage as the provider gave them", async () => {
    mock.enqueue({ fixture: "openai-responses/gomodel-text-gpt-4o-mini.json" });
    const result = await generateText({ model: openai()(RESPONSES.model), prompt: "Say hello" });
    expect(result.text).toBe("Hello, World!");
    expect(result.finishReason).toBe("stop");
    expect(result.usage.inputTokens).toBe(17);
    expect(result.usage.outputTokens).toBe(5);
    expect(mock.requests[0]?.path).toBe("/v1/responses");
    expect(upstreamBody()).toMatchObject({
      model: "gpt-5.4",
      input: [{ role: "user", content: [{ type: "input_text", text: "Say hello" }] }],
    });
  });

  test("streamText (recorded): the recorded deltas", async () => {
    const fixture = "openai-responses/gomodel-text-gpt-4o-mini-stream.txt";
    mock.enqueue({ fixture });
    const result = streamText({ model: openai()(RESPONSES.model), prompt: "Say hello" });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    const recorded = readFixture(fixture)
      .split("\n")
      .filter((line) => line.startsWith("data: ") && line.includes('"response.output_text.delta"'))
      .map((line) => (JSON.parse(line.slice(6)) as { delta: string }).delta);
    expect(deltas).toEqual(recorded);
    expect(await result.text).toBe("Hello, World!");
  });

  test("tool loop (recorded reasoning + function call): the SDK's second request reaches the provider as sent", async () => {
    mock.enqueue(
      {
        fixture:
          "openai-responses/vercel-ai-reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-stream.txt",
      },
      { sse: responsesEvents({ model: "gpt-5.4", pieces: ["57", "0"] }) },
    );
    const calculator = tool({
      description: "calculator",
      inputSchema: jsonSchema<{ a: number; b: number; op: string }>({
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" }, op: { type: "string" } },
        required: ["a", "b", "op"],
      }),
      execute: async ({ a, b }) => a + b,
    });
    const sent: string[] = [];
    const recording = createOpenAI({
      baseURL: `${gw.url}/v1`,
      apiKey: "any",
      fetch: (async (url: Parameters<typeof fetch>[0], init?: RequestInit) => {
        sent.push(String(init?.body));
        return fetch(url, init);
      }) as typeof fetch,
    });
    const result = streamText({
      model: recording(RESPONSES.model),
      prompt: "12 + 7",
      tools: { calculator },
      stopWhen: stepCountIs(3),
    });
    const steps = await result.steps;
    expect(steps.length).toBe(2);
    expect(steps[0]!.toolCalls.map((c) => [c.toolCallId, c.input])).toEqual([
      ["call_AB6AaRZ1FYZB2RwS6A5vbdqn", { a: 12, b: 7, op: "add" }],
    ]);
    expect(await result.text).toBe("570");
    // Both requests reach the provider as the SDK sent them, only `model` resolved; its item
    // references (the stored reasoning item) are OpenAI's to resolve.
    expect(sent.length).toBe(2);
    sent.forEach((body, i) => {
      expect(upstreamBody(i)).toEqual({ ...(JSON.parse(body) as Json), model: "gpt-5.4" });
    });
    const input = upstreamBody(1).input as Json[];
    expect(input.at(-1)).toEqual({
      type: "function_call_output",
      call_id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn",
      output: "19",
    });
    expect(
      input.some((item) => item.type === "function_call" && item.call_id === "call_AB6AaRZ1FYZB2RwS6A5vbdqn"),
    ).toBe(true);
  });
});
