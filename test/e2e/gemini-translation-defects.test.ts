/**
 * Gemini behaviours found with recorded streams, through the real gateway with the official SDKs:
 * a function call's thought signature survives a client that sends back only `content` and
 * `tool_calls`; Gemini's refusal reason (finishMessage, blockReasonMessage) is the refusal the
 * client sees; a STOP with stop sequences asked is reported as `stop_sequence`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { recordedInteractions } from "../support/fixtures.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: providersYaml(mock) });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-anything", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: "sk-anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

interface GeminiBody {
  contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
}
const upstreamBody = (i: number): GeminiBody => mock.requests[i]!.body as GeminiBody;
const data = (v: unknown) => `data: ${JSON.stringify(v)}\r\n\r\n`;
/** How LangChain, the Vercel AI SDK and most agent loops rebuild the assistant message. */
const rebuilt = (message: OpenAI.Chat.Completions.ChatCompletionMessage): ChatCompletionMessageParam => ({
  role: "assistant",
  content: message.content,
  tool_calls: message.tool_calls,
});

describe("a Gemini call's thought signature, with a client that keeps only content + tool_calls", () => {
  test("JSON (recorded 2.5-pro parallel calls): the signatures ride on the tool calls and go back on each call", async () => {
    const name = "gemini/jsgenai-nonstream-parallel-function-calls-thought-signature-2.5-pro.json";
    const recorded = recordedInteractions(name);
    mock.enqueue({ fixture: name, interaction: 0 }, { fixture: name, interaction: 1 });
    const user: ChatCompletionMessageParam = {
      role: "user",
      content:
        "Use the printer to print a simple word: hello in blue, and beep with the beeper, make sure you beep",
    };
    const first = await openai.chat.completions.create({ model: "gemini/gemini-2.5-pro", messages: [user] });
    const assistant = first.choices[0]!.message;
    const [print, beep] = assistant.tool_calls!;
    const parts = JSON.parse(recorded[0]!.bodyText).candidates[0].content.parts as Array<{
      thoughtSignature?: string;
    }>;
    expect((print as unknown as { extra_content: unknown }).extra_content).toEqual({
      google: { thought_signature: parts[0]!.thoughtSignature },
    });
    expect(
      (assistant as unknown as { reasoning_details: unknown[] }).reasoning_details.length,
    ).toBeGreaterThan(0);
    await openai.chat.completions.create({
      model: "gemini/gemini-2.5-pro",
      messages: [
        user,
        rebuilt(assistant),
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
    // What the official Gemini SDK itself sent on its second turn.
    expect(upstreamBody(1).contents).toEqual((recorded[1]!.requestBody as GeminiBody).contents);
  });

  test("stream (recorded 2.5-flash): the SDK's stream helper keeps extra_content on the call; it goes back", async () => {
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
    const first = await openai.chat.completions
      .stream({ model: "gemini-2.5-flash", messages, tools })
      .finalChatCompletion();
    const assistant = first.choices[0]!.message;
    const call = assistant.tool_calls![0]!;
    messages.push(rebuilt(assistant), {
      role: "tool",
      tool_call_id: call.id,
      content: JSON.stringify({ output: 42 }),
    });
    await openai.chat.completions
      .stream({ model: "gemini-2.5-flash", messages, tools })
      .finalChatCompletion();
    expect(upstreamBody(1).contents[1]).toEqual((recorded[1]!.requestBody as GeminiBody).contents[1]);
  });
});

describe("Gemini's refusal reason is the refusal", () => {
  const refused = {
    candidates: [{ finishReason: "SAFETY", finishMessage: "The response was blocked for safety.", index: 0 }],
    usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 },
    modelVersion: "gemini-2.5-flash",
    responseId: "r1",
  };
  const ask = [{ role: "user" as const, content: "something unsafe" }];

  test("Anthropic client: the reason as text with stop_reason refusal (JSON and stream)", async () => {
    mock.enqueue({ json: refused }, { sse: [data(refused)] });
    const message = await anthropic.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 64,
      messages: ask,
    });
    expect(message.content).toEqual([
      { type: "text", text: "The response was blocked for safety." },
    ] as never);
    expect(message.stop_reason).toBe("refusal");
    const streamed = await anthropic.messages
      .stream({ model: "gemini-2.5-flash", max_tokens: 64, messages: ask })
      .finalMessage();
    expect(streamed.content).toEqual([
      { type: "text", text: "The response was blocked for safety." },
    ] as never);
    expect(streamed.stop_reason).toBe("refusal");
  });

  test("OpenAI client: message.refusal, finish_reason content_filter (JSON and stream)", async () => {
    mock.enqueue({ json: refused }, { sse: [data(refused)] });
    const completion = await openai.chat.completions.create({ model: "gemini-2.5-flash", messages: ask });
    expect(completion.choices[0]?.message).toMatchObject({
      content: null,
      refusal: "The response was blocked for safety.",
    });
    expect(completion.choices[0]?.finish_reason).toBe("content_filter");
    const streamed = await openai.chat.completions
      .stream({ model: "gemini-2.5-flash", messages: ask })
      .finalChatCompletion();
    expect(streamed.choices[0]?.message.refusal).toBe("The response was blocked for safety.");
    expect(streamed.choices[0]?.finish_reason).toBe("content_filter");
  });

  test("a blocked prompt in a stream: blockReasonMessage is the refusal", async () => {
    mock.enqueue({
      sse: [
        data({
          promptFeedback: { blockReason: "PROHIBITED_CONTENT", blockReasonMessage: "Prompt blocked." },
        }),
      ],
    });
    const streamed = await anthropic.messages
      .stream({ model: "gemini-2.5-flash", max_tokens: 64, messages: ask })
      .finalMessage();
    expect([streamed.content, streamed.stop_reason]).toEqual([
      [{ type: "text", text: "Prompt blocked." }] as never,
      "refusal",
    ]);
  });
});

describe("Gemini: a STOP with stop sequences asked is stop_sequence", () => {
  const counting = (text: string) => ({
    candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 4, totalTokenCount: 13 },
    modelVersion: "gemini-2.5-flash",
  });
  const ask = [{ role: "user" as const, content: "Count from 1 to 10" }];

  test("JSON and stream: stop_sequence with the sequence (one asked); null when several; end_turn when none", async () => {
    mock.enqueue(
      { json: counting("1, 2, ") },
      { sse: [data(counting("1, 2, "))] },
      { json: counting("1, 2, ") },
      { json: counting("1, 2, 3, 4, 5, 6, 7, 8, 9, 10") },
    );
    const json = await anthropic.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 64,
      stop_sequences: ["3"],
      messages: ask,
    });
    expect(mock.requests[0]?.body).toMatchObject({ generationConfig: { stopSequences: ["3"] } });
    expect([json.stop_reason, json.stop_sequence]).toEqual(["stop_sequence", "3"]);
    const streamed = await anthropic.messages
      .stream({ model: "gemini-2.5-flash", max_tokens: 64, stop_sequences: ["3"], messages: ask })
      .finalMessage();
    expect([streamed.stop_reason, streamed.stop_sequence]).toEqual(["stop_sequence", "3"]);
    const several = await anthropic.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 64,
      stop_sequences: ["3", "three"],
      messages: ask,
    });
    expect([several.stop_reason, several.stop_sequence]).toEqual(["stop_sequence", null]);
    const none = await anthropic.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 64,
      messages: ask,
    });
    expect([none.stop_reason, none.stop_sequence]).toEqual(["end_turn", null]);
  });
});
