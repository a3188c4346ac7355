/**
 * The official `openai` SDK talking to the gateway, routed to a Gemini-type mock upstream: the
 * translated path (OpenAI ⇄ IR ⇄ Gemini) end to end, with recorded Gemini responses.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { readFixture, recordedInteractions } from "../support/fixtures.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: providersYaml(mock) });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

interface GeminiBody {
  contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
  [key: string]: unknown;
}
const upstreamBody = (i: number): GeminiBody => mock.requests[i]!.body as GeminiBody;

describe("OpenAI SDK → Gemini provider", () => {
  test("JSON text: translated request, Gemini key header, answer, usage and finish_reason", async () => {
    mock.enqueue({ fixture: "gemini/louter-native-generateContent-text.json" });
    const completion = await client.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Say hello" },
      ],
      temperature: 0.5,
      max_completion_tokens: 100,
      stop: ["END"],
    });
    const seen = mock.requests[0]!;
    expect(seen.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(seen.headers["x-goog-api-key"]).toBe("gm-test");
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.body).toEqual({
      contents: [{ role: "user", parts: [{ text: "Say hello" }] }],
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { temperature: 0.5, maxOutputTokens: 100, stopSequences: ["END"] },
    });
    expect(completion.choices[0]!.message.content).toBe("Hello!");
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.model).toBe("gemini-2.5-flash");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 3,
      completion_tokens: 19,
      total_tokens: 22,
      completion_tokens_details: { reasoning_tokens: 17 },
    });
  });

  test("streaming: 123 recorded chunks reassemble into the exact text with the SDK's stream helper", async () => {
    const sse = readFixture("gemini/louter-native-sse-long-tetris.txt");
    const expected = sse
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => JSON.parse(l.slice(6)).candidates[0].content.parts[0].text as string)
      .join("");
    mock.enqueue({ fixture: "gemini/louter-native-sse-long-tetris.txt" });
    const stream = client.chat.completions.stream({
      model: "gemini-2.5-flash",
      messages: [{ role: "user", content: "tetris" }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(mock.requests[0]!.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    expect(mock.requests[0]!.search).toBe("?alt=sse");
    expect(final.choices[0]!.message.content).toBe(expected);
    expect(final.choices[0]!.finish_reason).toBe("stop");
    expect(final.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 5947 + 2042 });
  });

  test("tools: declarations and tool_choice go upstream; a streamed function call comes back whole", async () => {
    mock.enqueue({ fixture: "gemini/jsgenai-stream-function-call-2.0-flash.json" });
    const stream = client.chat.completions.stream({
      model: "gemini/gemini-2.0-flash",
      messages: [{ role: "user", content: "what is the result of 100/2" }],
      tools: [
        {
          type: "function",
          function: {
            name: "customDivide",
            description: "Custom divide function",
            parameters: {
              type: "object",
              properties: { numerator: { type: "number" }, denominator: { type: "number" } },
              required: ["numerator", "denominator"],
            },
          },
        },
      ],
      tool_choice: "required",
    });
    const final = await stream.finalChatCompletion();
    const body = upstreamBody(0);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "customDivide",
            description: "Custom divide function",
            parametersJsonSchema: {
              type: "object",
              properties: { numerator: { type: "number" }, denominator: { type: "number" } },
              required: ["numerator", "denominator"],
            },
          },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: "ANY" } });
    const message = final.choices[0]!.message;
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
    expect(message.tool_calls).toHaveLength(1);
    const call = message.tool_calls![0]!;
    expect(call.type === "function" && call.function).toEqual({
      name: "customDivide",
      arguments: '{"denominator":2,"numerator":100}',
    });
    expect(call.id).toMatch(/^call_/);
  });

  test("parallel calls (non-stream, 3 recorded) → three tool_calls with distinct ids", async () => {
    mock.enqueue({ fixture: "gemini/jsgenai-nonstream-parallel-function-calls-3.json" });
    const completion = await client.chat.completions.create({
      model: "gemini/gemini-2.0-flash",
      messages: [{ role: "user", content: "print, beep, light" }],
    });
    const calls = completion.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => (c.type === "function" ? c.function.name : ""))).toEqual([
      "print",
      "beep",
      "controlLight",
    ]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(3);
    expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
  });

  test("parallel calls streamed in one chunk → two tool_calls, indices 0 and 1", async () => {
    const chunk = {
      candidates: [
        {
          content: {
            role: "model",
            parts: [
              { functionCall: { name: "get_weather", args: { city: "Paris" } } },
              { functionCall: { name: "get_weather", args: { city: "Rome" } } },
            ],
          },
          finishReason: "STOP",
        },
      ],
      usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 10 },
      modelVersion: "gemini-2.5-flash",
      responseId: "par-1",
    };
    mock.enqueue({ sse: `data: ${JSON.stringify(chunk)}\r\n\r\n` });
    const final = await client.chat.completions
      .stream({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "weather?" }] })
      .finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => (c.type === "function" ? c.function.arguments : ""))).toEqual([
      '{"city":"Paris"}',
      '{"city":"Rome"}',
    ]);
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
  });

  test("multi-turn tool loop: the thoughtSignature comes back on the same functionCall part", async () => {
    const name = "gemini/jsgenai-nonstream-parallel-function-calls-thought-signature-2.5-pro.json";
    const recorded = recordedInteractions(name);
    mock.enqueue({ fixture: name, interaction: 0 }, { fixture: name, interaction: 1 });
    const user: ChatCompletionMessageParam = {
      role: "user",
      content:
        "Use the printer to print a simple word: hello in blue, and beep with the beeper, make sure you beep",
    };
    const first = await client.chat.completions.create({ model: "gemini/gemini-2.5-pro", messages: [user] });
    const assistant = first.choices[0]!.message;
    const [print, beep] = assistant.tool_calls!;
    // The client sends the assistant message back exactly as received, plus the tool results.
    const second = await client.chat.completions.create({
      model: "gemini/gemini-2.5-pro",
      messages: [
        user,
        assistant as ChatCompletionMessageParam,
        {
          role: "tool",
          tool_call_id: print!.id,
          content: JSON.stringify({ content: [{ text: "\u001b[34mhello\u001b[0m", type: "text" }] }),
        },
        {
          role: "tool",
          tool_call_id: beep!.id,
          content: JSON.stringify({ content: [{ text: "beep", type: "text" }] }),
        },
      ],
    });
    // Byte-for-byte what the official Gemini SDK sent on its own second turn.
    expect(upstreamBody(1).contents).toEqual((recorded[1]!.requestBody as GeminiBody).contents);
    expect(second.choices[0]!.message.content).toBe("ok, done\n");
  });

  test("streamed tool loop (2.5-flash): signatures survive the SDK stream helper and return upstream", async () => {
    const name = "gemini/jsgenai-stream-function-call-thought-signature-2.5-flash.json";
    const recorded = recordedInteractions(name);
    mock.enqueue({ fixture: name, interaction: 0 }, { fixture: name, interaction: 1 });
    const messages: ChatCompletionMessageParam[] = [
      {
        role: "user",
        content:
          "Divide 10 by 2 using the customDivide function, then divide the result by 2 again, then tell me the result",
      },
    ];
    const tools = [
      {
        type: "function" as const,
        function: {
          name: "customDivide",
          description: "Custom divide function",
          parameters: {
            type: "object",
            properties: { denominator: { type: "number" }, numerator: { type: "number" } },
          },
        },
      },
    ];
    const first = await client.chat.completions
      .stream({ model: "gemini-2.5-flash", messages, tools })
      .finalChatCompletion();
    const assistant = first.choices[0]!.message;
    const call = assistant.tool_calls![0]!;
    messages.push(assistant as ChatCompletionMessageParam, {
      role: "tool",
      tool_call_id: call.id,
      content: JSON.stringify({ output: 42 }),
    });
    await client.chat.completions
      .stream({ model: "gemini-2.5-flash", messages, tools })
      .finalChatCompletion();
    const sentModelTurn = upstreamBody(1).contents[1];
    const recordedModelTurn = (recorded[1]!.requestBody as GeminiBody).contents[1];
    expect(sentModelTurn).toEqual(recordedModelTurn);
    expect(upstreamBody(1).contents[2]).toEqual({
      role: "user",
      parts: [{ functionResponse: { name: "customDivide", response: { output: 42 } } }],
    });
  });

  test("reasoning_effort → thinkingConfig; thoughts stream as reasoning_content", async () => {
    const data = (v: unknown) => `data: ${JSON.stringify(v)}\r\n\r\n`;
    mock.enqueue({
      sse: [
        data({
          candidates: [
            { content: { role: "model", parts: [{ text: "Thinking about it.", thought: true }] } },
          ],
        }),
        data({
          candidates: [{ content: { role: "model", parts: [{ text: "42" }] }, finishReason: "STOP" }],
          usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1, thoughtsTokenCount: 9 },
        }),
      ],
    });
    const stream = client.chat.completions.stream({
      model: "gemini-2.5-flash",
      messages: [{ role: "user", content: "answer?" }],
      reasoning_effort: "high",
    });
    let reasoning = "";
    stream.on("chunk", (chunk) => {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? "";
    });
    const final = await stream.finalChatCompletion();
    expect((upstreamBody(0).generationConfig as Record<string, unknown>).thinkingConfig).toEqual({
      thinkingBudget: 16384,
      includeThoughts: true,
    });
    expect(reasoning).toBe("Thinking about it.");
    expect(final.choices[0]!.message.content).toBe("42");
  });

  test("an upstream 404 keeps its status and message in the OpenAI envelope", async () => {
    mock.enqueue({ fixture: "gemini/jsgenai-stream-404-model-not-found-error.json" });
    const error = await client.chat.completions
      .create({
        model: "gemini/custom-gemini-2.0-flash",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
    expect((error as Error).message).toContain("is not found");
  });
});
