// Chat Completions and Anthropic Messages clients reaching a Responses-only model: the OpenAI
// preset (`openai`, pointed at the mock) calls `gpt-5*-pro*` on /responses. Text, streams, tool
// loops, and reasoning whose encrypted_content rides in the client's own reasoning fields and
// comes back as the reasoning item (id + encrypted_content) on the next turn.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { SSEParser } from "../../src/sse/parser.ts";
import { readFixture } from "../support/fixtures.ts";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { responsesEvents, responsesObject } from "../support/wire-builders.ts";
import { type Json, responsesYaml } from "./responses-support.ts";

let mock: MockUpstream;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: responsesYaml(mock) });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "anything", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: "anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const MODEL = "openai/gpt-5.4-pro";
const upstreamBody = (i = 0): Json => mock.requests[i]?.body as Json;
/** What every translated /responses call carries: stateless, reasoning handed back encrypted. */
const STATELESS = { store: false, include: ["reasoning.encrypted_content"] };
const userItem = (text: string) => ({
  type: "message",
  role: "user",
  content: [{ type: "input_text", text }],
});

const USAGE = { input_tokens: 20, output_tokens: 10, cached_tokens: 4, reasoning_tokens: 2 };

const CALC_STREAM =
  "openai-responses/vercel-ai-reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-stream.txt";
const CALC_JSON = "openai-responses/vercel-ai-reasoning-summary-encrypted-gpt-5-mini.json";

/** The reasoning item of a recorded stream as its output_item.done gives it, and the call after it. */
function recordedStreamItems(fixture: string): { reasoning: Json; call: Json } {
  const parser = new SSEParser();
  const done = [...parser.push(readFixture(fixture)), ...parser.end(true)]
    .map((e) => JSON.parse(e.data) as Json)
    .filter((e) => e.type === "response.output_item.done")
    .map((e) => e.item as Json);
  return {
    reasoning: done.find((i) => i.type === "reasoning")!,
    call: done.find((i) => i.type === "function_call")!,
  };
}

const summaryOf = (item: Json) => (item.summary as Array<{ text: string }>).map((s) => s.text).join("\n\n");

/** The reasoning item sent back upstream: its id, summary and encrypted content, nothing else. */
const restoredItem = (item: Json) => ({
  type: "reasoning",
  id: item.id,
  summary: item.summary,
  encrypted_content: item.encrypted_content,
});

const calculator = {
  type: "function" as const,
  function: {
    name: "calculator",
    parameters: {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" }, op: { type: "string" } },
    },
  },
};

describe("Chat Completions client → Responses-only model", () => {
  test("JSON: the /responses request, the answer as a chat.completion with usage details", async () => {
    mock.enqueue({ json: responsesObject({ model: "gpt-5.4-pro", text: "Paris.", usage: USAGE }) });
    const { data: completion, response } = await openai.chat.completions
      .create({
        model: MODEL,
        messages: [
          { role: "system", content: "One word." },
          { role: "user", content: "Capital of France?" },
        ],
        max_completion_tokens: 300,
      })
      .withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("openai");
    expect(response.headers.get("x-switchboard-model")).toBe("gpt-5.4-pro");
    expect(mock.requests[0]?.path).toBe("/v1/responses");
    expect(upstreamBody()).toEqual({
      model: "gpt-5.4-pro",
      instructions: "One word.",
      input: [userItem("Capital of France?")],
      max_output_tokens: 300,
      ...STATELESS,
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe(MODEL);
    expect(completion.choices[0]?.message.content).toBe("Paris.");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 20,
      completion_tokens: 10,
      total_tokens: 30,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
  });

  test("stream: content deltas in order, the usage chunk, [DONE]", async () => {
    mock.enqueue({
      sse: responsesEvents({ model: "gpt-5.4-pro", pieces: ["Par", "is", "."], usage: USAGE }),
    });
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Capital of France?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(upstreamBody().stream).toBe(true);
    expect(deltas).toEqual(["Par", "is", "."]);
    expect(finish).toBe("stop");
    expect(usage?.prompt_tokens).toBe(20);
    expect(usage?.completion_tokens).toBe(10);
  });

  test("tool loop: function_call → tool_calls; the tool message goes back as function_call_output", async () => {
    mock.enqueue(
      {
        json: responsesObject({
          output: [
            {
              type: "function_call",
              callId: "call_calc",
              name: "calculator",
              arguments: '{"a":12,"b":7,"op":"add"}',
            },
          ],
        }),
      },
      { json: responsesObject({ text: "19" }) },
    );
    const messages: ChatCompletionMessageParam[] = [{ role: "user", content: "12 + 7?" }];
    const first = await openai.chat.completions.create({ model: MODEL, messages, tools: [calculator] });
    const message = first.choices[0]!.message;
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message.tool_calls).toEqual([
      {
        id: "call_calc",
        type: "function",
        function: { name: "calculator", arguments: '{"a":12,"b":7,"op":"add"}' },
      },
    ]);
    expect(upstreamBody(0).tools).toEqual([
      { type: "function", name: "calculator", parameters: calculator.function.parameters, strict: false },
    ]);
    messages.push(message as ChatCompletionMessageParam, {
      role: "tool",
      tool_call_id: "call_calc",
      content: "19",
    });
    const second = await openai.chat.completions.create({ model: MODEL, messages, tools: [calculator] });
    expect(second.choices[0]?.message.content).toBe("19");
    expect(upstreamBody(1).input).toEqual([
      userItem("12 + 7?"),
      {
        type: "function_call",
        call_id: "call_calc",
        name: "calculator",
        arguments: '{"a":12,"b":7,"op":"add"}',
      },
      { type: "function_call_output", call_id: "call_calc", output: "19" },
    ]);
  });

  test("reasoning, streamed (recorded): summary as reasoning_content deltas, encrypted content in reasoning_details; sent back, the reasoning item is restored before its call", async () => {
    mock.enqueue({ fixture: CALC_STREAM }, { json: responsesObject({ text: "570" }) });
    const { reasoning, call } = recordedStreamItems(CALC_STREAM);
    const stream = openai.chat.completions.stream({
      model: MODEL,
      messages: [{ role: "user", content: "12 + 7, × 3, × 10" }],
      tools: [calculator],
      reasoning_effort: "high",
    });
    const reasoningDeltas: string[] = [];
    stream.on("chunk", (chunk) => {
      const delta = chunk.choices[0]?.delta as Json | undefined;
      if (typeof delta?.reasoning_content === "string") reasoningDeltas.push(delta.reasoning_content);
    });
    const final = await stream.finalChatCompletion();
    expect(upstreamBody(0).reasoning).toEqual({ effort: "high" });
    expect(reasoningDeltas.join("")).toBe(summaryOf(reasoning));
    const message = final.choices[0]!.message as unknown as Json;
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message.reasoning_details).toEqual([
      {
        type: "reasoning.text",
        text: summaryOf(reasoning),
        signature: `openai:${reasoning.id}:${reasoning.encrypted_content}`,
        index: 0,
      },
    ]);
    expect(message.tool_calls).toEqual([
      { id: call.call_id, type: "function", function: { name: "calculator", arguments: call.arguments } },
    ]);
    await openai.chat.completions.create({
      model: MODEL,
      tools: [calculator],
      reasoning_effort: "high",
      messages: [
        { role: "user", content: "12 + 7, × 3, × 10" },
        message as unknown as ChatCompletionMessageParam,
        { role: "tool", tool_call_id: call.call_id as string, content: "570" },
      ],
    });
    expect(upstreamBody(1).input).toEqual([
      userItem("12 + 7, × 3, × 10"),
      restoredItem(reasoning),
      { type: "function_call", call_id: call.call_id, name: "calculator", arguments: call.arguments },
      { type: "function_call_output", call_id: call.call_id, output: "570" },
    ]);
  });

  test("reasoning, JSON (recorded): reasoning_content and reasoning_details; restored on the next turn", async () => {
    mock.enqueue({ fixture: CALC_JSON }, { json: responsesObject({ text: "ok" }) });
    const recorded = JSON.parse(readFixture(CALC_JSON)) as { output: Json[] };
    const reasoning = recorded.output.find((item) => item.type === "reasoning")!;
    const answer = (
      (recorded.output.find((item) => item.type === "message")!.content as Json[])[0] as { text: string }
    ).text;
    const first = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "q" }],
      reasoning_effort: "high",
    });
    const message = first.choices[0]!.message as unknown as Json;
    expect(message.content).toBe(answer);
    expect(message.reasoning_content).toBe(summaryOf(reasoning));
    expect(message.reasoning_details).toEqual([
      {
        type: "reasoning.text",
        text: summaryOf(reasoning),
        signature: `openai:${reasoning.id}:${reasoning.encrypted_content}`,
        index: 0,
      },
    ]);
    await openai.chat.completions.create({
      model: MODEL,
      reasoning_effort: "high",
      messages: [
        { role: "user", content: "q" },
        message as unknown as ChatCompletionMessageParam,
        { role: "user", content: "thanks" },
      ],
    });
    expect(upstreamBody(1).input).toEqual([
      userItem("q"),
      restoredItem(reasoning),
      {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: answer, annotations: [] }],
      },
      userItem("thanks"),
    ]);
  });
});

describe("Anthropic Messages client → Responses-only model", () => {
  test("JSON: system → instructions, max_tokens → max_output_tokens; the message and its usage", async () => {
    mock.enqueue({ json: responsesObject({ model: "gpt-5.4-pro", text: "Paris.", usage: USAGE }) });
    const message = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 300,
      system: "One word.",
      messages: [{ role: "user", content: "Capital of France?" }],
    });
    expect(mock.requests[0]?.path).toBe("/v1/responses");
    expect(upstreamBody()).toEqual({
      model: "gpt-5.4-pro",
      instructions: "One word.",
      input: [userItem("Capital of France?")],
      max_output_tokens: 300,
      ...STATELESS,
    });
    expect(message.type).toBe("message");
    expect(message.model).toBe(MODEL);
    expect(message.content).toEqual([{ type: "text", text: "Paris." }] as never);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 16, cache_read_input_tokens: 4, output_tokens: 10 });
  });

  test("stream: the Messages event sequence; finalMessage", async () => {
    mock.enqueue({ sse: responsesEvents({ model: "gpt-5.4-pro", pieces: ["Par", "is."], usage: USAGE }) });
    const stream = anthropic.messages.stream({
      model: MODEL,
      max_tokens: 300,
      messages: [{ role: "user", content: "Capital of France?" }],
    });
    const types: string[] = [];
    stream.on("streamEvent", (event) => types.push(event.type));
    const final = await stream.finalMessage();
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(final.content).toMatchObject([{ type: "text", text: "Paris." }]);
    expect(final.content.length).toBe(1);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.output_tokens).toBe(10);
  });

  test("tool loop: function_call → tool_use with the call id; tool_result → function_call_output", async () => {
    mock.enqueue(
      {
        sse: responsesEvents({
          output: [
            {
              type: "function_call",
              callId: "call_w",
              name: "get_weather",
              arguments: ['{"city":', '"Oslo"}'],
            },
          ],
        }),
      },
      { json: responsesObject({ text: "3°C" }) },
    );
    const tools = [
      {
        name: "get_weather",
        input_schema: { type: "object" as const, properties: { city: { type: "string" } } },
      },
    ];
    const first = await anthropic.messages
      .stream({
        model: MODEL,
        max_tokens: 300,
        tools,
        messages: [{ role: "user", content: "Weather in Oslo?" }],
      })
      .finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toEqual([
      { type: "tool_use", id: "call_w", name: "get_weather", input: { city: "Oslo" } },
    ] as never);
    await anthropic.messages.create({
      model: MODEL,
      max_tokens: 300,
      tools,
      messages: [
        { role: "user", content: "Weather in Oslo?" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "call_w", content: "3" }] },
      ],
    });
    expect(upstreamBody(1).input).toEqual([
      userItem("Weather in Oslo?"),
      { type: "function_call", call_id: "call_w", name: "get_weather", arguments: '{"city":"Oslo"}' },
      { type: "function_call_output", call_id: "call_w", output: "3" },
    ]);
  });

  test("thinking, JSON (recorded): a thinking block whose signature carries the item; sent back, the item is restored", async () => {
    mock.enqueue({ fixture: CALC_JSON }, { json: responsesObject({ text: "ok" }) });
    const recorded = JSON.parse(readFixture(CALC_JSON)) as { output: Json[] };
    const reasoning = recorded.output.find((item) => item.type === "reasoning")!;
    const thinking = { type: "enabled" as const, budget_tokens: 2000 };
    const first = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 4000,
      thinking,
      messages: [{ role: "user", content: "q" }],
    });
    // A budget becomes an effort; asking for thinking is asking to see it.
    expect(upstreamBody(0).reasoning).toEqual({ effort: "low", summary: "auto" });
    expect(first.content[0]).toEqual({
      type: "thinking",
      thinking: summaryOf(reasoning),
      signature: `openai:${reasoning.id}:${reasoning.encrypted_content}`,
    } as never);
    expect(first.content[1]?.type).toBe("text");
    await anthropic.messages.create({
      model: MODEL,
      max_tokens: 4000,
      thinking,
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: first.content },
        { role: "user", content: "thanks" },
      ],
    });
    expect((upstreamBody(1).input as Json[]).slice(0, 2)).toEqual([userItem("q"), restoredItem(reasoning)]);
  });

  test("thinking, streamed (recorded, then a tool call): thinking and tool_use blocks; the loop restores the item before the call", async () => {
    mock.enqueue({ fixture: CALC_STREAM }, { json: responsesObject({ text: "570" }) });
    const { reasoning, call } = recordedStreamItems(CALC_STREAM);
    const tools = [{ name: "calculator", input_schema: { type: "object" as const, properties: {} } }];
    const thinking = { type: "enabled" as const, budget_tokens: 16000 };
    const first = await anthropic.messages
      .stream({
        model: MODEL,
        max_tokens: 20000,
        thinking,
        tools,
        messages: [{ role: "user", content: "calc" }],
      })
      .finalMessage();
    expect(upstreamBody(0).reasoning).toEqual({ effort: "high", summary: "auto" });
    expect(first.content).toEqual([
      {
        type: "thinking",
        thinking: summaryOf(reasoning),
        signature: `openai:${reasoning.id}:${reasoning.encrypted_content}`,
      },
      { type: "tool_use", id: call.call_id, name: "calculator", input: JSON.parse(call.arguments as string) },
    ] as never);
    await anthropic.messages.create({
      model: MODEL,
      max_tokens: 20000,
      thinking,
      tools,
      messages: [
        { role: "user", content: "calc" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: call.call_id as string, content: "570" }],
        },
      ],
    });
    expect(upstreamBody(1).input).toEqual([
      userItem("calc"),
      restoredItem(reasoning),
      { type: "function_call", call_id: call.call_id, name: "calculator", arguments: call.arguments },
      { type: "function_call_output", call_id: call.call_id, output: "570" },
    ]);
  });
});
