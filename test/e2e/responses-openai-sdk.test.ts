// The official OpenAI SDK on /v1/responses, through the real gateway, against a provider of each
// wire: Anthropic, Gemini, Chat Completions (translated) and Responses (the zero-copy pipe).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import type { ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { readFixture } from "../support/fixtures.ts";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import {
  anthropicEvents,
  anthropicMessage,
  geminiResponse,
  openAICompletion,
} from "../support/wire-builders.ts";
import {
  ANTHROPIC,
  CHAT,
  GEMINI,
  type Json,
  PROVIDER_CASES,
  type ProviderCase,
  RESPONSES,
  responsesYaml,
  weatherTool,
} from "./responses-support.ts";

let mock: MockUpstream;
let gw: TestGateway;
let client: OpenAI;
/** The same SDK with the OpenAI-style prefixed base URL. */
let prefixed: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: responsesYaml(mock) });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "anything", maxRetries: 0 });
  prefixed = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const upstreamBody = (i = 0): Json => mock.requests[i]?.body as Json;

/** What each wire receives for `{instructions, input: "Capital of France?", max_output_tokens: 64}`. */
const TEXT_REQUEST: Record<string, (stream: boolean) => Json> = {
  [ANTHROPIC.name]: (stream) => ({
    model: "claude-sonnet-4-5",
    system: "Answer in one word.",
    messages: [{ role: "user", content: [{ type: "text", text: "Capital of France?" }] }],
    max_tokens: 64,
    ...(stream ? { stream: true } : {}),
  }),
  [GEMINI.name]: () => ({
    contents: [{ role: "user", parts: [{ text: "Capital of France?" }] }],
    systemInstruction: { parts: [{ text: "Answer in one word." }] },
    generationConfig: { maxOutputTokens: 64 },
  }),
  [CHAT.name]: (stream) => ({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "Answer in one word." },
      { role: "user", content: "Capital of France?" },
    ],
    max_completion_tokens: 64,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  }),
  // The zero-copy pipe: the client's body, only `model` changed.
  [RESPONSES.name]: (stream) => ({
    model: "gpt-5.4",
    instructions: "Answer in one word.",
    input: "Capital of France?",
    max_output_tokens: 64,
    ...(stream ? { stream: true } : {}),
  }),
};

/** The assistant turn and tool results of the second call of the tool loop, as each wire carries them. */
const TOOL_LOOP_TURNS: Record<string, (callId: string) => Json> = {
  [ANTHROPIC.name]: (callId) => ({
    messages: [
      { role: "user", content: [{ type: "text", text: "Weather in Oslo?" }] },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: callId, name: "get_weather", input: { city: "Oslo" } }],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: callId, content: [{ type: "text", text: '{"temp_c":3}' }] },
        ],
      },
    ],
  }),
  // Gemini matches a functionResponse to its call by name (its calls carry no id).
  [GEMINI.name]: () => ({
    contents: [
      { role: "user", parts: [{ text: "Weather in Oslo?" }] },
      { role: "model", parts: [{ functionCall: { name: "get_weather", args: { city: "Oslo" } } }] },
      { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp_c: 3 } } }] },
    ],
  }),
  [CHAT.name]: (callId) => ({
    messages: [
      { role: "user", content: "Weather in Oslo?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: callId, type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: "tool", tool_call_id: callId, content: '{"temp_c":3}' },
    ],
  }),
  [RESPONSES.name]: () => ({}),
};

/** The output_text part as the SDK's stream helper leaves it (it adds `parsed`). */
const textPart = (text: string, streamed: boolean) => ({
  type: "output_text",
  annotations: [],
  logprobs: [],
  text,
  ...(streamed ? { parsed: null } : {}),
});

describe.each(PROVIDER_CASES)("OpenAI SDK, responses → $name provider", (provider: ProviderCase) => {
  const translated = provider !== RESPONSES;
  /** The model a response names: the one asked for when translated, the upstream's own on the pipe. */
  const answeredModel = translated ? provider.model : "gpt-5.4";

  test("responses.create: text answer, upstream request built for the wire, gateway headers", async () => {
    mock.enqueue(provider.text(["Paris", "."], false));
    const { data: response, response: http } = await client.responses
      .create({
        model: provider.model,
        instructions: "Answer in one word.",
        input: "Capital of France?",
        max_output_tokens: 64,
      })
      .withResponse();
    expect(http.status).toBe(200);
    expect(http.headers.get("x-switchboard-provider")).toBe(provider.model.split("/")[0]!);
    expect(http.headers.get("x-switchboard-model")).toBe(provider.model.split("/")[1]!);
    expect(http.headers.get("x-request-id")).toBeTruthy();
    expect(mock.requests.length).toBe(1);
    expect(mock.requests[0]?.path).toBe(provider.path(false));
    expect(upstreamBody()).toEqual(TEXT_REQUEST[provider.name]!(false));
    expect(response.object).toBe("response");
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe("completed");
    expect(response.model).toBe(answeredModel);
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: "message",
        status: "completed",
        content: [textPart("Paris.", false)] as never,
        role: "assistant",
      },
    ]);
    expect(response.output_text).toBe("Paris.");
    if (translated) {
      // The request's settings are echoed as OpenAI echoes them.
      expect(response.instructions).toBe("Answer in one word.");
      expect(response.max_output_tokens).toBe(64);
      expect(response.incomplete_details).toBeNull();
      expect(response.error).toBeNull();
    }
  });

  test("responses.stream: the event grammar in order, deltas as the upstream sent them, finalResponse", async () => {
    mock.enqueue(provider.text(["Par", "is", "."], true));
    const stream = client.responses.stream({
      model: provider.model,
      instructions: "Answer in one word.",
      input: "Capital of France?",
      max_output_tokens: 64,
    });
    const events: ResponseStreamEvent[] = [];
    stream.on("event", (event) => events.push(event));
    const final = await stream.finalResponse();
    expect(mock.requests[0]?.path).toBe(provider.path(true));
    expect(upstreamBody()).toEqual(TEXT_REQUEST[provider.name]!(true));
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : []))).toEqual([
      "Par",
      "is",
      ".",
    ]);
    const created = events[0] as Extract<ResponseStreamEvent, { type: "response.created" }>;
    expect(created.response.status).toBe("in_progress");
    expect(created.response.output).toEqual([]);
    expect(created.response.usage ?? null).toBeNull();
    expect(final.id).toBe(created.response.id);
    expect(final.status).toBe("completed");
    expect(final.model).toBe(answeredModel);
    expect(final.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: "message",
        status: "completed",
        content: [textPart("Paris.", true)] as never,
        role: "assistant",
      },
    ]);
    expect(final.output_text).toBe("Paris.");
    expect(final.usage?.output_tokens).toBeGreaterThan(0);
  });

  for (const streamed of [false, true]) {
    test(`tool loop (${streamed ? "stream" : "JSON"}): function_call → function_call_output → answer; the second upstream call carries the call and its result`, async () => {
      const upstreamId = "call_oslo_1";
      mock.enqueue(
        provider.toolCalls([{ id: upstreamId, name: "get_weather", args: { city: "Oslo" } }], streamed),
      );
      mock.enqueue(provider.text(["It is 3°C in Oslo."], streamed));
      const first = streamed
        ? await client.responses
            .stream({ model: provider.model, input: "Weather in Oslo?", tools: [weatherTool] })
            .finalResponse()
        : await client.responses.create({
            model: provider.model,
            input: "Weather in Oslo?",
            tools: [weatherTool],
          });
      expect(first.status).toBe("completed");
      expect(first.output).toEqual([
        {
          id: expect.stringMatching(/^fc_/),
          type: "function_call",
          status: "completed",
          arguments: '{"city":"Oslo"}',
          call_id: provider.keepsCallIds ? upstreamId : expect.stringMatching(/^call_/),
          name: "get_weather",
          // The stream helper parses a strict tool's arguments.
          ...(streamed ? { parsed_arguments: { city: "Oslo" } } : {}),
        } as never,
      ]);
      const call = first.output[0] as Extract<(typeof first.output)[number], { type: "function_call" }>;
      const input: ResponseInputItem[] = [
        { role: "user", content: "Weather in Oslo?" },
        ...(first.output as ResponseInputItem[]),
        { type: "function_call_output", call_id: call.call_id, output: '{"temp_c":3}' },
      ];
      const second = streamed
        ? await client.responses
            .stream({ model: provider.model, input, tools: [weatherTool] })
            .finalResponse()
        : await client.responses.create({ model: provider.model, input, tools: [weatherTool] });
      expect(second.output_text).toBe("It is 3°C in Oslo.");
      expect(second.status).toBe("completed");
      expect(mock.requests.length).toBe(2);
      if (translated) {
        expect(upstreamBody(1)).toMatchObject(TOOL_LOOP_TURNS[provider.name]!(call.call_id));
      } else {
        // The pipe forwards the client's items as they are, function_call id and all.
        expect(upstreamBody(1)).toEqual({
          model: "gpt-5.4",
          input: JSON.parse(JSON.stringify(input)),
          tools: [weatherTool],
          ...(streamed ? { stream: true } : {}),
        });
      }
    });
  }

  test("parallel function calls: two items in order, both results reach the upstream", async () => {
    mock.enqueue(
      provider.toolCalls(
        [
          { id: "call_p1", name: "get_weather", args: { city: "Paris" } },
          { id: "call_p2", name: "get_weather", args: { city: "Rome" } },
        ],
        true,
      ),
    );
    mock.enqueue(provider.text(["Both sunny."], false));
    const first = await client.responses
      .stream({ model: provider.model, input: "Weather in Paris and Rome?", tools: [weatherTool] })
      .finalResponse();
    const calls = first.output.filter((item) => item.type === "function_call");
    expect(first.output.length).toBe(2);
    expect(calls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_weather", { city: "Rome" }],
    ]);
    if (provider.keepsCallIds) expect(calls.map((c) => c.call_id)).toEqual(["call_p1", "call_p2"]);
    expect(new Set(calls.map((c) => c.call_id)).size).toBe(2);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    await client.responses.create({
      model: provider.model,
      tools: [weatherTool],
      input: [
        { role: "user", content: "Weather in Paris and Rome?" },
        ...(first.output as ResponseInputItem[]),
        { type: "function_call_output", call_id: calls[0]!.call_id, output: "sunny, 24" },
        { type: "function_call_output", call_id: calls[1]!.call_id, output: "sunny, 27" },
      ],
    });
    const second = upstreamBody(1);
    switch (provider) {
      case ANTHROPIC:
        expect((second.messages as Json[]).at(-1)).toEqual({
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "call_p1", content: [{ type: "text", text: "sunny, 24" }] },
            { type: "tool_result", tool_use_id: "call_p2", content: [{ type: "text", text: "sunny, 27" }] },
          ],
        });
        break;
      case GEMINI:
        expect((second.contents as Json[]).slice(1)).toEqual([
          {
            role: "model",
            parts: [
              { functionCall: { name: "get_weather", args: { city: "Paris" } } },
              { functionCall: { name: "get_weather", args: { city: "Rome" } } },
            ],
          },
          {
            role: "user",
            parts: [
              { functionResponse: { name: "get_weather", response: { output: "sunny, 24" } } },
              { functionResponse: { name: "get_weather", response: { output: "sunny, 27" } } },
            ],
          },
        ]);
        break;
      case CHAT:
        expect((second.messages as Json[]).slice(2)).toEqual([
          { role: "tool", tool_call_id: "call_p1", content: "sunny, 24" },
          { role: "tool", tool_call_id: "call_p2", content: "sunny, 27" },
        ]);
        break;
      default:
        expect((second.input as Json[]).slice(-2)).toEqual([
          { type: "function_call_output", call_id: "call_p1", output: "sunny, 24" },
          { type: "function_call_output", call_id: "call_p2", output: "sunny, 27" },
        ]);
    }
  });

  test("base URL /openai/v1: create and stream reach the same endpoint", async () => {
    mock.enqueue(provider.text(["Paris."], false), provider.text(["Paris."], true));
    const json = await prefixed.responses.create({ model: provider.model, input: "Capital of France?" });
    const streamed = await prefixed.responses
      .stream({ model: provider.model, input: "Capital of France?" })
      .finalResponse();
    expect([json.output_text, streamed.output_text]).toEqual(["Paris.", "Paris."]);
    expect(mock.requests.map((r) => r.path)).toEqual([provider.path(false), provider.path(true)]);
  });
});

const PERSON = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer" } },
  required: ["name", "age"],
  additionalProperties: false,
};
const personFormat = { type: "json_schema" as const, name: "Person", schema: PERSON, strict: true };

describe("OpenAI SDK, structured output (text.format json_schema)", () => {
  test("Anthropic: output_config.format carries the schema; output_text is the JSON", async () => {
    mock.enqueue({ json: anthropicMessage({ content: '{"name":"Alice","age":30}' }) });
    const response = await client.responses.create({
      model: ANTHROPIC.model,
      input: "Alice is 30.",
      text: { format: personFormat },
    });
    expect(upstreamBody().output_config).toEqual({ format: { type: "json_schema", schema: PERSON } });
    expect(JSON.parse(response.output_text)).toEqual({ name: "Alice", age: 30 });
    expect(response.text?.format).toEqual(personFormat);
  });

  test("Gemini: responseMimeType and responseJsonSchema", async () => {
    mock.enqueue({ json: geminiResponse({ text: '{"name":"Alice","age":30}' }) });
    const response = await client.responses.create({
      model: GEMINI.model,
      input: "Alice is 30.",
      text: { format: personFormat },
    });
    expect(upstreamBody().generationConfig).toEqual({
      responseMimeType: "application/json",
      responseJsonSchema: PERSON,
    });
    expect(JSON.parse(response.output_text)).toEqual({ name: "Alice", age: 30 });
  });

  test("Chat Completions: response_format json_schema with name and strict", async () => {
    mock.enqueue({ json: openAICompletion({ text: '{"name":"Alice","age":30}' }) });
    const response = await client.responses.create({
      model: CHAT.model,
      input: "Alice is 30.",
      text: { format: personFormat },
    });
    expect(upstreamBody().response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "Person", schema: PERSON, strict: true },
    });
    expect(JSON.parse(response.output_text)).toEqual({ name: "Alice", age: 30 });
  });

  test("Responses (recorded): text.format forwarded as sent; responses.parse reads output_parsed", async () => {
    mock.enqueue({ fixture: "openai-responses/openllmetry-structured-output-json-schema-gpt-4.1-nano.json" });
    const parsed = await client.responses.parse({
      model: RESPONSES.model,
      input: "Alice is 30.",
      text: { format: personFormat },
    });
    expect(upstreamBody().text).toEqual({ format: personFormat });
    expect(parsed.output_parsed).toEqual({ name: "Alice", age: 30 });
  });

  test("Anthropic, streamed: the SDK parses the JSON assembled from the deltas", async () => {
    mock.enqueue({
      sse: anthropicEvents({ content: [{ type: "text", text: ['{"name":', '"Alice",', '"age":30}'] }] }),
    });
    const final = await client.responses
      .stream({ model: ANTHROPIC.model, input: "Alice is 30.", text: { format: personFormat } })
      .finalResponse();
    expect(final.output_parsed).toEqual({ name: "Alice", age: 30 });
  });
});

describe("OpenAI SDK, recorded Responses answers through the pipe", () => {
  test("parallel function calls (recorded): the SDK reads both items exactly as recorded", async () => {
    const name = "openai-responses/openllmetry-parallel-function-calls-gpt-4.1-nano.json";
    mock.enqueue({ fixture: name });
    const response = await client.responses.create({
      model: RESPONSES.model,
      input: "Weather in London?",
      tools: [weatherTool],
    });
    expect(response.output).toEqual(JSON.parse(readFixture(name)).output);
  });
});

describe("OpenAI SDK, other content", () => {
  test("a Chat Completions refusal: one refusal part, not repeated as output_text", async () => {
    const refusal = "I can't help with that.";
    mock.enqueue({
      json: {
        ...openAICompletion({ text: null }),
        choices: [
          { index: 0, message: { role: "assistant", content: null, refusal }, finish_reason: "stop" },
        ],
      },
    });
    const response = await client.responses.create({ model: CHAT.model, input: "something bad" });
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: "message",
        status: "incomplete",
        content: [{ type: "refusal", refusal }],
        role: "assistant",
      },
    ] as never);
    expect(response.output_text).toBe("");
  });

  test("input_image (data URL) and input_file reach Anthropic as base64 image and document blocks", async () => {
    await client.responses.create({
      model: ANTHROPIC.model,
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "What are these?" },
            { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" },
            { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
          ],
        },
      ],
    });
    expect((upstreamBody().messages as Json[])[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "What are these?" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
        {
          type: "document",
          source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
          title: "a.pdf",
        },
      ],
    });
  });
});
