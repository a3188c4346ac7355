import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, jsonSchema, stepCountIs, streamText, tool } from "ai";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

// The Vercel AI SDK's own OpenAI (Chat Completions) and Anthropic providers, pointed at the
// gateway, calling models of the other protocol: what an app built on the AI SDK sees.
let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: `${providersYaml(mock)}\nrouting:\n  retries: 0\n` });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});
beforeEach(() => mock.reset());

const weather = tool({
  description: "Weather for a city",
  inputSchema: jsonSchema<{ city: string }>({
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
  }),
  execute: async ({ city }) => ({ city, forecast: "sunny" }),
});

describe("Vercel AI SDK, OpenAI provider → Anthropic-type upstream", () => {
  const openai = () => createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: "any" });

  test("generateText", async () => {
    const result = await generateText({
      model: openai().chat("anthropic/claude-sonnet-4-5"),
      prompt: "hi there",
    });
    expect(result.text).toBe("echo: hi there");
    expect(result.finishReason).toBe("stop");
    expect(mock.requests[0].path).toBe("/v1/messages");
  });

  test("streamText with a tool loop: the tool call is executed and its result goes back", async () => {
    mock.enqueue({ fixture: "anthropic/sdkts-tool_use_response.txt" });
    const result = streamText({
      model: openai().chat("anthropic/claude-sonnet-4-5"),
      prompt: "What is the weather in San Francisco?",
      tools: { get_weather: weather },
      stopWhen: stepCountIs(2),
    });
    const text = await result.text;
    const steps = await result.steps;
    expect(steps.length).toBe(2);
    expect(steps[0].toolCalls.map((call) => call.toolName)).toEqual(["get_weather"]);
    expect(steps[0].finishReason).toBe("tool-calls");
    expect(text.startsWith("echo: ")).toBe(true);
    // The second upstream request carries the tool result as an Anthropic tool_result block.
    const second = mock.requests[1].body as { messages: Array<{ role: string; content: unknown }> };
    const last = second.messages.at(-1) as {
      role: string;
      content: Array<{ type: string; tool_use_id: string }>;
    };
    expect(last.role).toBe("user");
    expect(last.content[0].type).toBe("tool_result");
    const toolUseId = (steps[0].toolCalls[0] as { toolCallId: string }).toolCallId;
    expect(last.content[0].tool_use_id).toBe(toolUseId);
  });
});

describe("Vercel AI SDK, Anthropic provider → OpenAI-type upstream", () => {
  const anthropic = () => createAnthropic({ baseURL: `${gw.url}/v1`, apiKey: "any" });

  test("generateText", async () => {
    const result = await generateText({ model: anthropic()("openai/gpt-4o-mini"), prompt: "hello" });
    expect(result.text).toBe("echo: hello");
    expect(mock.requests[0].path).toBe("/v1/chat/completions");
  });

  test("streamText with a tool loop", async () => {
    mock.enqueue({
      sse: [
        'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}\n\n',
        'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":\\"Oslo\\"}"}}]},"finish_reason":null}]}\n\n',
        'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\n',
        'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}\n\n',
        "data: [DONE]\n\n",
      ],
    });
    const result = streamText({
      model: anthropic()("openai/gpt-4o-mini"),
      prompt: "Weather in Oslo?",
      tools: { get_weather: weather },
      stopWhen: stepCountIs(2),
    });
    const steps = await result.steps;
    expect(steps.length).toBe(2);
    expect(steps[0].toolCalls[0].input).toEqual({ city: "Oslo" });
    expect(steps[0].usage.inputTokens).toBe(12);
    const second = mock.requests[1].body as {
      messages: Array<{ role: string; content: string; tool_call_id?: string }>;
    };
    const toolMessage = second.messages.find((message) => message.role === "tool");
    expect(toolMessage?.tool_call_id).toBe("call_1");
    expect(JSON.parse(toolMessage?.content ?? "null")).toEqual({ city: "Oslo", forecast: "sunny" });
    expect((await result.text).startsWith("echo: ")).toBe(true);
  });
});
