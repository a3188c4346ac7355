// The OpenAI SDK on /v1/responses: reasoning (effort, summaries, encrypted_content round trips),
// max_output_tokens cuts, usage details, custom (freeform) tools and built-in tools, across the
// translated wires (Anthropic, Gemini, Chat Completions) and the Responses pipe.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { readFixture } from "../support/fixtures.ts";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import {
  anthropicEvents,
  anthropicMessage,
  geminiChunks,
  geminiResponse,
  openAIChunks,
  openAICompletion,
} from "../support/wire-builders.ts";
import {
  ANTHROPIC,
  CHAT,
  GEMINI,
  type Json,
  postJson,
  RESPONSES,
  readEvents,
  responsesYaml,
  weatherTool,
} from "./responses-support.ts";

let mock: MockUpstream;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: responsesYaml(mock) });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const upstreamBody = (i = 0): Json => mock.requests[i]?.body as Json;
const eventTypes = (events: ResponseStreamEvent[]) => events.map((e) => e.type);

/** The recorded Anthropic answer with a signed thinking block (x + 5 = 12). */
const THINKING_FIXTURE = "anthropic/gomodel-messages_extended_thinking.json";
const thinkingFixture = JSON.parse(readFixture(THINKING_FIXTURE)) as {
  content: [{ thinking: string; signature: string }, { text: string }];
};
const THOUGHT = thinkingFixture.content[0].thinking;
const SIGNATURE = thinkingFixture.content[0].signature;
const ANSWER = thinkingFixture.content[1].text;

describe("reasoning → Anthropic", () => {
  test("effort + summary → thinking budget; the signed thinking comes back as a reasoning item whose encrypted_content restores it", async () => {
    mock.enqueue({ fixture: THINKING_FIXTURE }, { json: anthropicMessage({ content: "x = 6" }) });
    const reasoning = { effort: "low" as const, summary: "auto" as const };
    const first = await client.responses.create({ model: ANTHROPIC.model, input: "x + 5 = 12", reasoning });
    // A Responses effort is OpenAI's: it becomes a thinking budget (the effort table), as from Chat Completions.
    expect(upstreamBody(0)).toEqual({
      model: "claude-sonnet-4-5",
      messages: [{ role: "user", content: [{ type: "text", text: "x + 5 = 12" }] }],
      max_tokens: 2048 + 8192,
      thinking: { type: "enabled", budget_tokens: 2048 },
    });
    expect(first.output).toEqual([
      {
        id: expect.stringMatching(/^rs_/),
        type: "reasoning",
        encrypted_content: `anthropic:${SIGNATURE}`,
        summary: [{ type: "summary_text", text: THOUGHT }],
      },
      {
        id: expect.stringMatching(/^msg_/),
        type: "message",
        status: "completed",
        content: [{ type: "output_text", annotations: [], logprobs: [], text: ANSWER }],
        role: "assistant",
      },
    ] as never);
    expect(first.reasoning).toEqual({ effort: "low", summary: "auto" });

    await client.responses.create({
      model: ANTHROPIC.model,
      reasoning,
      input: [
        { role: "user", content: "x + 5 = 12" },
        ...(first.output as ResponseInputItem[]),
        { role: "user", content: "and x + 6 = 12?" },
      ],
    });
    expect((upstreamBody(1).messages as Json[])[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: THOUGHT, signature: SIGNATURE },
        { type: "text", text: ANSWER },
      ],
    });
  });

  test("streamed thinking before a tool call: reasoning events, then the call; the tool loop keeps thinking on with the signed block first", async () => {
    mock.enqueue(
      {
        sse: anthropicEvents({
          content: [
            { type: "thinking", thinking: ["Need the ", "weather."], signature: SIGNATURE },
            { type: "tool_use", id: "toolu_w1", name: "get_weather", input: { city: "Oslo" } },
          ],
        }),
      },
      { sse: anthropicEvents({ content: "3°C." }) },
    );
    const reasoning = { effort: "medium" as const, summary: "detailed" as const };
    const stream = client.responses.stream({
      model: ANTHROPIC.model,
      input: "Weather in Oslo?",
      tools: [weatherTool],
      reasoning,
    });
    const events: ResponseStreamEvent[] = [];
    stream.on("event", (e) => events.push(e));
    const first = await stream.finalResponse();
    expect(upstreamBody(0).thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect(eventTypes(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(first.output).toEqual([
      {
        id: expect.stringMatching(/^rs_/),
        type: "reasoning",
        encrypted_content: `anthropic:${SIGNATURE}`,
        summary: [{ type: "summary_text", text: "Need the weather." }],
      },
      {
        id: expect.stringMatching(/^fc_/),
        type: "function_call",
        status: "completed",
        arguments: '{"city":"Oslo"}',
        call_id: "toolu_w1",
        name: "get_weather",
        parsed_arguments: { city: "Oslo" },
      },
    ] as never);
    await client.responses
      .stream({
        model: ANTHROPIC.model,
        tools: [weatherTool],
        reasoning,
        input: [
          { role: "user", content: "Weather in Oslo?" },
          ...(first.output as ResponseInputItem[]),
          { type: "function_call_output", call_id: "toolu_w1", output: "3" },
        ],
      })
      .finalResponse();
    const second = upstreamBody(1);
    expect(second.thinking).toEqual({ type: "enabled", budget_tokens: 8192 });
    expect((second.messages as Json[]).slice(1)).toEqual([
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "Need the weather.", signature: SIGNATURE },
          { type: "tool_use", id: "toolu_w1", name: "get_weather", input: { city: "Oslo" } },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_w1", content: [{ type: "text", text: "3" }] }],
      },
    ]);
  });

  test("redacted thinking: an item with no summary whose encrypted_content restores the redacted block", async () => {
    mock.enqueue(
      {
        json: anthropicMessage({
          content: [
            { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4a" },
            { type: "text", text: "Done." },
          ],
        }),
      },
      { json: anthropicMessage({ content: "ok" }) },
    );
    const reasoning = { effort: "high" as const };
    const first = await client.responses.create({ model: ANTHROPIC.model, input: "q", reasoning });
    expect(first.output[0]).toEqual({
      id: expect.stringMatching(/^rs_/),
      type: "reasoning",
      encrypted_content: "anthropic:redacted:EmwKAhgBEgy3va3pzix/LafPsn4a",
      summary: [],
    } as never);
    await client.responses.create({
      model: ANTHROPIC.model,
      reasoning,
      input: [
        { role: "user", content: "q" },
        ...(first.output as ResponseInputItem[]),
        { role: "user", content: "more" },
      ],
    });
    expect((upstreamBody(1).messages as Json[])[1]).toEqual({
      role: "assistant",
      content: [
        { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4a" },
        { type: "text", text: "Done." },
      ],
    });
  });

  test("thinking that Anthropic would refuse (forced tool, a tool loop sent back without its reasoning item) is dropped and listed as `reasoning`", async () => {
    const reasoning = { effort: "low" as const };
    const forced = await client.responses
      .create({
        model: ANTHROPIC.model,
        input: "q",
        tools: [weatherTool],
        tool_choice: "required",
        reasoning,
      })
      .withResponse();
    expect(forced.response.headers.get("x-switchboard-dropped")).toBe("reasoning");
    expect(upstreamBody(0).thinking).toBeUndefined();
    expect(upstreamBody(0).tool_choice).toEqual({ type: "any" });
    const loop = await client.responses
      .create({
        model: ANTHROPIC.model,
        tools: [weatherTool],
        reasoning,
        input: [
          { role: "user", content: "Weather in Oslo?" },
          { type: "function_call", call_id: "toolu_x", name: "get_weather", arguments: '{"city":"Oslo"}' },
          { type: "function_call_output", call_id: "toolu_x", output: "3" },
        ],
      })
      .withResponse();
    expect(loop.response.headers.get("x-switchboard-dropped")).toBe("reasoning");
    expect(upstreamBody(1).thinking).toBeUndefined();
  });

  test("effort none turns thinking off", async () => {
    await client.responses.create({ model: ANTHROPIC.model, input: "q", reasoning: { effort: "none" } });
    expect(upstreamBody().thinking).toEqual({ type: "disabled" });
    expect(upstreamBody().output_config).toBeUndefined();
  });
});

describe("reasoning → Gemini", () => {
  test("effort + summary → thinkingConfig budget with thoughts; thought parts come back as a reasoning item", async () => {
    mock.enqueue({ fixture: "gemini/jsgenai-nonstream-thought-parts.json" });
    const response = await client.responses.create({
      model: GEMINI.model,
      input: "Sum of 1..100?",
      reasoning: { effort: "medium", summary: "auto" },
    });
    expect(upstreamBody().generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
    });
    const recorded = JSON.parse(readFixture("gemini/jsgenai-nonstream-thought-parts.json"));
    const thought = recorded.interactions[0].response.bodySegments[0].candidates[0].content.parts[0].text;
    // Cut by the token limit in the thinking: incomplete, and no message item at all.
    expect(response.status).toBe("incomplete");
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^rs_/),
        type: "reasoning",
        summary: [{ type: "summary_text", text: thought }],
      },
    ] as never);
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(19);
  });

  test("thought signatures on parallel calls (recorded, 2.5 Pro) travel in encrypted_content and go back on the calls", async () => {
    const fixture = "gemini/jsgenai-nonstream-parallel-function-calls-thought-signature-2.5-pro.json";
    mock.enqueue({ fixture }, { json: geminiResponse({ text: "Printed and beeped." }) });
    const recorded = JSON.parse(readFixture(fixture));
    const signature =
      recorded.interactions[0].response.bodySegments[0].candidates[0].content.parts[0].thoughtSignature;
    const tools = [
      {
        type: "function" as const,
        name: "print",
        parameters: { type: "object", properties: { text: { type: "string" }, color: { type: "string" } } },
        strict: false,
      },
      {
        type: "function" as const,
        name: "beep",
        parameters: { type: "object", properties: {} },
        strict: false,
      },
    ];
    const reasoning = { effort: "low" as const, summary: "auto" as const };
    const first = await client.responses.create({
      model: "gemini/gemini-2.5-pro",
      input: "print and beep",
      tools,
      reasoning,
    });
    expect(first.output.map((item) => item.type)).toEqual(["reasoning", "function_call", "function_call"]);
    const carrier = first.output[0] as { encrypted_content?: string; summary: unknown[] };
    expect(carrier.summary).toEqual([]);
    expect(carrier.encrypted_content).toStartWith("gemini:");
    const calls = first.output.filter((item) => item.type === "function_call");
    await client.responses.create({
      model: "gemini/gemini-2.5-pro",
      tools,
      reasoning,
      input: [
        { role: "user", content: "print and beep" },
        ...(first.output as ResponseInputItem[]),
        { type: "function_call_output", call_id: calls[0]!.call_id, output: "printed" },
        { type: "function_call_output", call_id: calls[1]!.call_id, output: "beeped" },
      ],
    });
    expect((upstreamBody(1).contents as Json[])[1]).toEqual({
      role: "model",
      parts: [
        {
          functionCall: { name: "print", args: { color: "blue", text: "hello" } },
          thoughtSignature: signature,
        },
        { functionCall: { name: "beep", args: {} } },
      ],
    });
  });
});

describe("reasoning → Chat Completions and Responses", () => {
  test("Chat Completions: effort → reasoning_effort; reasoning_content → a reasoning item with its text", async () => {
    mock.enqueue({ json: openAICompletion({ model: "gpt-5", text: "42", reasoning: "6 × 7" }) });
    const response = await client.responses.create({
      model: "openai/gpt-5",
      input: "6 × 7?",
      reasoning: { effort: "high", summary: "auto" },
    });
    expect(upstreamBody()).toEqual({
      model: "gpt-5",
      messages: [{ role: "user", content: "6 × 7?" }],
      reasoning_effort: "high",
    });
    expect(response.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(response.output[0]).toEqual({
      id: expect.stringMatching(/^rs_/),
      type: "reasoning",
      summary: [{ type: "summary_text", text: "6 × 7" }],
    } as never);
  });

  test("Responses (recorded, encrypted reasoning + summary): the pipe hands the item over untouched", async () => {
    const fixture = "openai-responses/vercel-ai-reasoning-summary-encrypted-gpt-5-mini.json";
    mock.enqueue({ fixture });
    const response = await client.responses.create({
      model: RESPONSES.model,
      input: "q",
      reasoning: { effort: "high", summary: "detailed" },
      include: ["reasoning.encrypted_content"],
      store: false,
    });
    expect(response.output).toEqual(JSON.parse(readFixture(fixture)).output);
    expect(upstreamBody()).toEqual({
      model: "gpt-5.4",
      input: "q",
      reasoning: { effort: "high", summary: "detailed" },
      include: ["reasoning.encrypted_content"],
      store: false,
    });
  });
});

describe("a client that asked for no reasoning gets no reasoning items", () => {
  test("Anthropic JSON (signed thinking in the answer)", async () => {
    mock.enqueue({ fixture: THINKING_FIXTURE });
    const response = await client.responses.create({ model: ANTHROPIC.model, input: "x + 5 = 12" });
    expect(upstreamBody().thinking).toBeUndefined();
    expect(response.output.map((item) => item.type)).toEqual(["message"]);
    expect(response.output_text).toBe(ANSWER);
  });

  test("Anthropic stream: no reasoning event at all, output_index starts at 0 with the message", async () => {
    mock.enqueue({
      sse: anthropicEvents({
        content: [
          { type: "thinking", thinking: ["hidden ", "thoughts"], signature: SIGNATURE },
          { type: "text", text: ["vis", "ible"] },
        ],
      }),
    });
    const response = await postJson(`${gw.url}/v1/responses`, {
      model: ANTHROPIC.model,
      input: "q",
      stream: true,
    });
    const events = await readEvents(response);
    expect(events.some((e) => e.event.includes("reasoning"))).toBe(false);
    const added = events.find((e) => e.event === "response.output_item.added");
    expect(added?.data.output_index).toBe(0);
    const completed = events.at(-1)?.data.response as { output: Json[] };
    expect(completed.output.map((item) => item.type)).toEqual(["message"]);
  });

  test("Gemini thought parts and Chat Completions reasoning_content are left out", async () => {
    mock.enqueue(
      { json: geminiResponse({ parts: [{ text: "thinking…", thought: true }, { text: "answer" }] }) },
      { sse: openAIChunks({ reasoning: ["deep ", "thought"], text: ["ans", "wer"] }) },
    );
    const gemini = await client.responses.create({ model: GEMINI.model, input: "q" });
    const chat = await client.responses.stream({ model: CHAT.model, input: "q" }).finalResponse();
    expect(gemini.output.map((item) => item.type)).toEqual(["message"]);
    expect(chat.output.map((item) => item.type)).toEqual(["message"]);
    expect([gemini.output_text, chat.output_text]).toEqual(["answer", "answer"]);
  });
});

describe("max_output_tokens cut → status incomplete, reason max_output_tokens", () => {
  const incompleteMessage = (text: string, streamed: boolean) => ({
    id: expect.stringMatching(/^msg_/),
    type: "message",
    status: "incomplete",
    content: [
      { type: "output_text", annotations: [], logprobs: [], text, ...(streamed ? { parsed: null } : {}) },
    ],
    role: "assistant",
  });

  test("Anthropic JSON and stream (stop_reason max_tokens)", async () => {
    mock.enqueue(
      { json: anthropicMessage({ content: "The sky is", stopReason: "max_tokens" }) },
      {
        sse: anthropicEvents({
          content: [{ type: "text", text: ["The sky", " is"] }],
          stopReason: "max_tokens",
        }),
      },
    );
    const json = await client.responses.create({
      model: ANTHROPIC.model,
      input: "sky?",
      max_output_tokens: 4,
    });
    expect(upstreamBody(0).max_tokens).toBe(4);
    expect(json.status).toBe("incomplete");
    expect(json.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(json.output).toEqual([incompleteMessage("The sky is", false)] as never);
    const stream = client.responses.stream({ model: ANTHROPIC.model, input: "sky?", max_output_tokens: 4 });
    const events: ResponseStreamEvent[] = [];
    stream.on("event", (e) => events.push(e));
    const final = await stream.finalResponse();
    expect(eventTypes(events).at(-1)).toBe("response.incomplete");
    expect(eventTypes(events)).not.toContain("response.completed");
    expect(final.status).toBe("incomplete");
    expect(final.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(final.output).toEqual([incompleteMessage("The sky is", true)] as never);
    const done = events.find((e) => e.type === "response.output_item.done") as { item: { status: string } };
    expect(done.item.status).toBe("incomplete");
  });

  test("Gemini (recorded MAX_TOKENS), with its thoughts counted as reasoning tokens", async () => {
    mock.enqueue({ fixture: "gemini/jsgenai-nonstream-max-tokens.json" });
    const response = await client.responses.create({
      model: GEMINI.model,
      input: "sky?",
      max_output_tokens: 200,
    });
    expect(upstreamBody().generationConfig).toEqual({ maxOutputTokens: 200 });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect((response.output[0] as { status: string }).status).toBe("incomplete");
    expect(response.output_text).toStartWith(
      "The sky is blue because of something called **Rayleigh Scattering**.",
    );
    expect(response.usage as unknown).toEqual({
      input_tokens: 7,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 149 + 48,
      output_tokens_details: { reasoning_tokens: 48 },
      total_tokens: 204,
    });
  });

  test("Chat Completions stream (finish_reason length)", async () => {
    mock.enqueue({
      sse: openAIChunks({
        text: ["The", " sky"],
        finishReason: "length",
        usage: { prompt_tokens: 5, completion_tokens: 2 },
      }),
    });
    const final = await client.responses
      .stream({ model: CHAT.model, input: "sky?", max_output_tokens: 2 })
      .finalResponse();
    expect(upstreamBody().max_completion_tokens).toBe(2);
    expect(final.status).toBe("incomplete");
    expect(final.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(final.output).toEqual([incompleteMessage("The sky", true)] as never);
  });

  test("Responses (recorded, incomplete with a cache write): passed through", async () => {
    const fixture = "openai-responses/ddtrace-incomplete-cache-write-gpt-5.6-sol.json";
    mock.enqueue({ fixture });
    const response = await client.responses.create({
      model: RESPONSES.model,
      input: "API design?",
      max_output_tokens: 100,
    });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
    expect(response.usage as unknown).toEqual(JSON.parse(readFixture(fixture)).usage);
  });
});

describe("usage with cached and reasoning tokens", () => {
  test("Anthropic: input_tokens counts cache reads and writes, cached_tokens the reads", async () => {
    mock.enqueue({
      json: anthropicMessage({
        content: "ok",
        usage: {
          input_tokens: 20,
          output_tokens: 3,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 7,
        },
      }),
    });
    const response = await client.responses.create({ model: ANTHROPIC.model, input: "q" });
    expect(response.usage as unknown).toEqual({
      input_tokens: 127,
      input_tokens_details: { cached_tokens: 100, cache_write_tokens: 7 },
      output_tokens: 3,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 130,
    } as never);
  });

  test("Gemini stream: cached content and thoughts", async () => {
    mock.enqueue({
      sse: geminiChunks({
        text: ["a", "b"],
        usage: {
          promptTokenCount: 50,
          candidatesTokenCount: 4,
          thoughtsTokenCount: 12,
          cachedContentTokenCount: 40,
        },
      }),
    });
    const final = await client.responses.stream({ model: GEMINI.model, input: "q" }).finalResponse();
    expect(final.usage as unknown).toEqual({
      input_tokens: 50,
      input_tokens_details: { cached_tokens: 40 },
      output_tokens: 16,
      output_tokens_details: { reasoning_tokens: 12 },
      total_tokens: 66,
    });
  });

  test("Chat Completions JSON and stream: prompt_tokens_details and completion_tokens_details", async () => {
    const usage = { prompt_tokens: 100, completion_tokens: 20, cached_tokens: 30, reasoning_tokens: 5 };
    mock.enqueue({ json: openAICompletion({ usage }) }, { sse: openAIChunks({ text: ["x"], usage }) });
    const expected = {
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 30 },
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: 5 },
      total_tokens: 120,
    };
    const json = await client.responses.create({ model: CHAT.model, input: "q" });
    const streamed = await client.responses.stream({ model: CHAT.model, input: "q" }).finalResponse();
    expect(json.usage as unknown).toEqual(expected);
    expect(streamed.usage as unknown).toEqual(expected);
  });

  test("Responses (recorded cached tokens): the upstream's usage as is", async () => {
    const fixture = "openai-responses/ddtrace-cached-tokens-gpt-4o.json";
    mock.enqueue({ fixture });
    const response = await client.responses.create({ model: RESPONSES.model, input: "1, 2, ..." });
    expect(response.usage as unknown).toEqual({
      input_tokens: 1515,
      input_tokens_details: { cached_tokens: 1390 },
      output_tokens: 8,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 1523,
    });
  });
});

const sqlTool = {
  type: "custom" as const,
  name: "run_sql",
  description: "Runs one SQL statement",
  format: { type: "grammar" as const, syntax: "lark" as const, definition: 'start: "SELECT " /.+/' },
};

describe("custom (freeform) tools", () => {
  test("Anthropic: a function of one string argument upstream; back as custom_tool_call with the raw input; the output returns as tool_result", async () => {
    mock.enqueue(
      {
        json: anthropicMessage({
          content: [{ type: "tool_use", id: "toolu_sql", name: "run_sql", input: { input: "SELECT 1;" } }],
        }),
      },
      { json: anthropicMessage({ content: "One row." }) },
    );
    const first = await client.responses.create({ model: ANTHROPIC.model, input: "count", tools: [sqlTool] });
    expect(upstreamBody(0).tools).toEqual([
      {
        name: "run_sql",
        description: "Runs one SQL statement",
        input_schema: {
          type: "object",
          properties: {
            input: {
              type: "string",
              description: `The tool's input, as raw text (not JSON). It must match this lark grammar:\nstart: "SELECT " /.+/`,
            },
          },
          required: ["input"],
          additionalProperties: false,
        },
      },
    ]);
    expect(first.output).toEqual([
      {
        id: expect.stringMatching(/^ctc_/),
        type: "custom_tool_call",
        status: "completed",
        call_id: "toolu_sql",
        input: "SELECT 1;",
        name: "run_sql",
      },
    ] as never);
    await client.responses.create({
      model: ANTHROPIC.model,
      tools: [sqlTool],
      input: [
        { role: "user", content: "count" },
        ...(first.output as ResponseInputItem[]),
        { type: "custom_tool_call_output", call_id: "toolu_sql", output: "1" },
      ],
    });
    expect((upstreamBody(1).messages as Json[]).slice(1)).toEqual([
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_sql", name: "run_sql", input: { input: "SELECT 1;" } }],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_sql", content: [{ type: "text", text: "1" }] }],
      },
    ]);
  });

  test("Anthropic stream: the raw input arrives in custom_tool_call_input deltas that add up to the done input", async () => {
    mock.enqueue({
      sse: anthropicEvents({
        content: [
          {
            type: "tool_use",
            id: "toolu_sql",
            name: "run_sql",
            input: { input: 'SELECT "a\nb";' },
            partialJson: ['{"in', 'put": "SELECT \\"a', '\\nb\\";', '"}'],
          },
        ],
      }),
    });
    const stream = client.responses.stream({ model: ANTHROPIC.model, input: "q", tools: [sqlTool] });
    const events: ResponseStreamEvent[] = [];
    stream.on("event", (e) => events.push(e));
    const final = await stream.finalResponse();
    expect(eventTypes(events).slice(2)).toEqual([
      "response.output_item.added",
      "response.custom_tool_call_input.delta",
      "response.custom_tool_call_input.delta",
      "response.custom_tool_call_input.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const deltas = events.flatMap((e) =>
      e.type === "response.custom_tool_call_input.delta" ? [e.delta] : [],
    );
    expect(deltas.join("")).toBe('SELECT "a\nb";');
    expect(final.output).toEqual([
      {
        id: expect.stringMatching(/^ctc_/),
        type: "custom_tool_call",
        status: "completed",
        call_id: "toolu_sql",
        input: 'SELECT "a\nb";',
        name: "run_sql",
      },
    ] as never);
  });

  test("Responses (recorded custom_tool_call after reasoning): the tool reaches the upstream as sent and the call comes back as recorded", async () => {
    const fixture = "openai-responses/ddtrace-custom-tool-call-reasoning-gpt-5.json";
    const recorded = JSON.parse(readFixture(fixture));
    mock.enqueue({ fixture });
    const response = await client.responses.create({
      model: RESPONSES.model,
      input: "4 + 4",
      tools: recorded.tools,
    });
    expect(upstreamBody().tools).toEqual(recorded.tools);
    expect(response.output).toEqual(recorded.output);
  });
});

describe("built-in tools (web_search)", () => {
  const webSearch = { type: "web_search" as const };

  test.each([ANTHROPIC, GEMINI, CHAT])(
    "$name: dropped, named in x-switchboard-dropped; the function tools still go",
    async (provider) => {
      const { data, response } = await client.responses
        .create({ model: provider.model, input: "news?", tools: [webSearch, weatherTool] })
        .withResponse();
      // Gemini has no strict function tools either.
      const dropped = provider === GEMINI ? "tools.web_search, strict" : "tools.web_search";
      expect(response.headers.get("x-switchboard-dropped")).toBe(dropped);
      expect(data.status).toBe("completed");
      expect(JSON.stringify(upstreamBody())).not.toContain("web_search");
      expect(JSON.stringify(upstreamBody())).toContain("get_weather");
    },
  );

  test.each([ANTHROPIC, GEMINI, CHAT])(
    "$name, x-switchboard-strictness: strict → 400 naming the tool, nothing sent",
    async (provider) => {
      const response = await postJson(
        `${gw.url}/v1/responses`,
        { model: provider.model, input: "news?", tools: [webSearch] },
        { "x-switchboard-strictness": "strict" },
      );
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          message: `'tools.web_search' is not supported by provider '${provider.model.split("/")[0]}' (dropped fields are refused in strict mode)`,
          type: "invalid_request_error",
          param: "tools.web_search",
          code: "unsupported_parameter",
        },
      });
      expect(mock.requests.length).toBe(0);
    },
  );

  test("Responses provider: the built-in tool is forwarded, nothing dropped", async () => {
    const { response } = await client.responses
      .create({ model: RESPONSES.model, input: "news?", tools: [webSearch] })
      .withResponse();
    expect(response.headers.get("x-switchboard-dropped")).toBeNull();
    expect(upstreamBody().tools).toEqual([webSearch]);
  });
});
