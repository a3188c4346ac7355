/** IR stream events → Responses SSE: the grammar of OpenAI's own streams, event by event. */
import { describe, expect, test } from "bun:test";
import type { IRResponse, IRStreamEvent } from "../../../../src/ir/types.ts";
import { toResponsesResponse } from "../../../../src/protocols/responses/to-responses-response.ts";
import { readFixture } from "../../../support/fixtures.ts";
import {
  encodeEvents,
  eventsOf,
  expectGrammar,
  type Json,
  originOf,
  parseEvents,
  sdkFinalResponse,
  type WireEvent,
  withoutIds,
} from "./helpers.ts";

const stream = (events: IRStreamEvent[], body: Json = { model: "m", input: "x" }) =>
  parseEvents(encodeEvents(events, originOf(body)));
const types = (events: WireEvent[]) => events.map((e) => e.event);
const withReasoning = { model: "m", input: "x", reasoning: { effort: "high", summary: "auto" } };

const idPrefix = (id: unknown) => String(id).slice(0, String(id).indexOf("_") + 1);

/** An event as compared with a recording: no obfuscation padding, ids reduced to their prefix. */
function comparable(data: Json): Json {
  const { obfuscation: _o, sequence_number: _s, response: _r, ...rest } = data;
  if (typeof rest.item_id === "string") rest.item_id = idPrefix(rest.item_id);
  if (rest.item) {
    const { encrypted_content: _e, ...item } = rest.item as Json;
    rest.item = { ...item, id: idPrefix(item.id) };
  }
  return rest;
}

/** Replays a recorded stream's content (text, reasoning summary, function calls) as IR events. */
function replayAsIR(recorded: WireEvent[]): IRStreamEvent[] {
  const events: IRStreamEvent[] = [{ type: "message_start", id: "msg_1", model: "m" }];
  let toolIndex = 0;
  for (const { data } of recorded) {
    const item = data.item as Json | undefined;
    if (data.type === "response.output_text.delta")
      events.push({ type: "text_delta", text: data.delta as string });
    if (data.type === "response.reasoning_summary_text.delta")
      events.push({ type: "reasoning_delta", text: data.delta as string });
    if (data.type === "response.output_item.done" && item?.type === "reasoning")
      events.push({ type: "reasoning_signature", signature: `openai:${item.id}:${item.encrypted_content}` });
    if (data.type === "response.output_item.added" && item?.type === "function_call")
      events.push({
        type: "tool_call_start",
        toolIndex,
        id: item.call_id as string,
        name: item.name as string,
      });
    if (data.type === "response.function_call_arguments.delta")
      events.push({ type: "tool_call_delta", toolIndex, argumentsDelta: data.delta as string });
    if (data.type === "response.output_item.done" && item?.type === "function_call") toolIndex++;
  }
  events.push(
    { type: "finish", reason: "end_turn" },
    { type: "usage", usage: { inputTokens: 17, outputTokens: 5 } },
  );
  return events;
}

describe("ResponsesStreamEncoder: the recorded OpenAI streams, rebuilt from IR", () => {
  test("plain text (GoModel gpt-4o-mini): the same events with the same fields, in the same order", () => {
    const recorded = parseEvents(readFixture("openai-responses/gomodel-text-gpt-4o-mini-stream.txt"));
    const events = parseEvents(
      encodeEvents(
        replayAsIR(recorded),
        originOf({ model: "gpt-4o-mini", input: "Say hello" }),
        "gpt-4o-mini-2024-07-18",
      ),
    );
    expect(events.map((e) => comparable(e.data))).toEqual(recorded.map((e) => comparable(e.data)));
    expect(events.map((e) => e.data.sequence_number)).toEqual(recorded.map((e) => e.data.sequence_number));
    expectGrammar(events);
    // The response objects of created, in_progress and completed, as recorded.
    for (const i of [0, 1, 11]) {
      const {
        billing: _b,
        frequency_penalty: _f,
        presence_penalty: _p,
        ...response
      } = recorded[i]!.data.response as Json;
      expect(withoutIds(events[i]!.data.response as Json)).toEqual(withoutIds(response));
    }
  });

  test("reasoning summary then a function call (gpt-5.1-codex-max): the same events with the same fields", () => {
    const recorded = parseEvents(
      readFixture(
        "openai-responses/vercel-ai-reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-stream.txt",
      ),
    );
    const events = parseEvents(encodeEvents(replayAsIR(recorded), originOf(withReasoning)));
    expect(events.map((e) => comparable(e.data))).toEqual(recorded.map((e) => comparable(e.data)));
    const terminal = expectGrammar(events);
    const [reasoning, call] = terminal.output as Json[];
    expect(reasoning!.encrypted_content).toStartWith(
      "openai:rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9:gAAAA",
    );
    expect(call).toMatchObject({
      type: "function_call",
      arguments: '{"a":12,"b":7,"op":"add"}',
      name: "calculator",
    });
  });
});

describe("ResponsesStreamEncoder: the stream and the JSON answer agree", () => {
  const cases: Array<[string, Partial<IRResponse>, Json]> = [
    ["text", { parts: [{ type: "text", text: "Hello there" }] }, { model: "m", input: "x" }],
    [
      "reasoning, text, calls, more reasoning",
      {
        parts: [
          { type: "reasoning", text: "Let me think", signature: "SIG1" },
          { type: "text", text: "Calling." },
          { type: "tool_call", id: "toolu_1", name: "get_weather", arguments: '{"city":"Paris"}' },
          { type: "tool_call", id: "toolu_2", name: "sql", arguments: '{"input":"SELECT \\"x\\"\\n"}' },
          { type: "reasoning", text: "", redacted: true, data: "RED" },
          { type: "reasoning", text: "", signature: "gemini:call:toolu_2:FS" },
        ],
        stopReason: "tool_use",
        usage: {
          inputTokens: 10,
          outputTokens: 20,
          cacheReadTokens: 5,
          cacheWriteTokens: 2,
          reasoningTokens: 7,
        },
      },
      {
        ...withReasoning,
        tools: [
          { type: "function", name: "get_weather" },
          { type: "custom", name: "sql" },
        ],
      },
    ],
    [
      "hidden reasoning between text",
      {
        parts: [
          { type: "text", text: "A" },
          { type: "reasoning", text: "r", signature: "S" },
          { type: "text", text: "B" },
        ],
      },
      { model: "m", input: "x" },
    ],
    [
      "cut by max tokens",
      { parts: [{ type: "text", text: "Once upon" }], stopReason: "max_tokens" },
      { model: "m", input: "x", max_output_tokens: 3 },
    ],
  ];
  for (const [name, response, body] of cases) {
    test(name, async () => {
      const ir: IRResponse = {
        id: "msg_up",
        model: "up",
        parts: [],
        stopReason: "end_turn",
        usage: { inputTokens: 1, outputTokens: 2 },
        created: 1700000000,
        ...response,
      };
      const origin = originOf(body);
      const sse = encodeEvents(eventsOf(ir), origin);
      const terminal = expectGrammar(parseEvents(sse));
      expect(withoutIds(terminal)).toEqual(withoutIds(toResponsesResponse(ir, "client-model", origin)));
      const sdk = await sdkFinalResponse(sse);
      expect(sdk.output).toMatchObject(terminal.output as Json[]);
    });
  }
});

describe("ResponsesStreamEncoder: items", () => {
  test("reasoning items only when the client asked; a signature closes the item and lands in encrypted_content", () => {
    const events: IRStreamEvent[] = [
      { type: "reasoning_delta", text: "Thinking" },
      { type: "reasoning_signature", signature: "EqQB" },
      { type: "text_delta", text: "Hi" },
      { type: "finish", reason: "end_turn" },
    ];
    expect(types(stream(events))).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const shown = stream(events, withReasoning);
    expect(types(shown).slice(2, 9)).toEqual([
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
    ]);
    expect(shown[2]!.data.item).toEqual({
      id: expect.stringMatching(/^rs_/),
      type: "reasoning",
      summary: [],
    });
    expect(shown[7]!.data.item).toEqual({
      id: expect.stringMatching(/^rs_/),
      type: "reasoning",
      encrypted_content: "anthropic:EqQB",
      summary: [{ type: "summary_text", text: "Thinking" }],
    });
    expectGrammar(shown);
  });

  test("redacted reasoning is an item of its own, with no summary events", () => {
    const events = stream(
      [
        { type: "redacted_reasoning", data: "OPAQUE" },
        { type: "text_delta", text: "ok" },
        { type: "finish", reason: "end_turn" },
      ],
      withReasoning,
    );
    expect(types(events).slice(2, 4)).toEqual(["response.output_item.added", "response.output_item.done"]);
    expect(events[3]!.data.item).toMatchObject({
      encrypted_content: "anthropic:redacted:OPAQUE",
      summary: [],
    });
  });

  test("a custom tool call streams its raw input: custom_tool_call_input deltas, the item with `input`", () => {
    const events = stream(
      [
        { type: "tool_call_start", toolIndex: 0, id: "call_1", name: "sql", signature: "x" },
        { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"input": "SELECT' },
        { type: "tool_call_delta", toolIndex: 0, argumentsDelta: ' \\"a\\"\\' },
        { type: "tool_call_delta", toolIndex: 0, argumentsDelta: 'n FROM t"}' },
        { type: "finish", reason: "tool_use" },
      ],
      { model: "m", input: "x", tools: [{ type: "custom", name: "sql" }] },
    );
    expect(
      events.slice(2).map((e) => [e.event, e.data.delta ?? e.data.input ?? (e.data.item as Json)?.input]),
    ).toEqual([
      ["response.output_item.added", ""],
      ["response.custom_tool_call_input.delta", "SELECT"],
      ["response.custom_tool_call_input.delta", ' "a"'],
      ["response.custom_tool_call_input.delta", "\n FROM t"],
      ["response.custom_tool_call_input.done", 'SELECT "a"\n FROM t'],
      ["response.output_item.done", 'SELECT "a"\n FROM t'],
      ["response.completed", undefined],
    ]);
    expect(events[2]!.data.item).toEqual({
      id: expect.stringMatching(/^ctc_/),
      type: "custom_tool_call",
      status: "in_progress",
      call_id: "call_1",
      input: "",
      name: "sql",
    });
    expectGrammar(events);
  });

  test("custom tool arguments of another shape go out in one delta at the end", () => {
    const events = stream(
      [
        { type: "tool_call_start", toolIndex: 0, id: "call_1", name: "sql" },
        { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"why":"x",' },
        { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '"input":"SELECT 1"}' },
        { type: "finish", reason: "tool_use" },
      ],
      { model: "m", input: "x", tools: [{ type: "custom", name: "sql" }] },
    );
    const deltas = events.filter((e) => e.event === "response.custom_tool_call_input.delta");
    expect(deltas.map((e) => e.data.delta)).toEqual(["SELECT 1"]);
    expectGrammar(events);
  });

  test("a call that starts before the previous call's arguments are complete waits its turn (items never interleave)", () => {
    const events = stream([
      { type: "tool_call_start", toolIndex: 0, id: "c0", name: "a" },
      { type: "tool_call_start", toolIndex: 1, id: "c1", name: "b" },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"x":' },
      { type: "tool_call_delta", toolIndex: 1, argumentsDelta: '{"y":2}' },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: "1}" },
      { type: "finish", reason: "tool_use" },
    ]);
    const terminal = expectGrammar(events);
    expect(terminal.output).toMatchObject([
      { type: "function_call", call_id: "c0", arguments: '{"x":1}', status: "completed" },
      { type: "function_call", call_id: "c1", arguments: '{"y":2}', status: "completed" },
    ]);
  });
});

describe("ResponsesStreamEncoder: endings", () => {
  test("usage arriving after the finish is in the terminal event; sequence numbers run on", () => {
    const events = stream([
      { type: "message_start", id: "msg_1", model: "m", usage: { inputTokens: 9 } },
      { type: "text_delta", text: "Hi" },
      { type: "finish", reason: "end_turn" },
      { type: "usage", usage: { outputTokens: 4, cacheReadTokens: 3 } },
    ]);
    const terminal = expectGrammar(events);
    expect(terminal.status).toBe("completed");
    expect(terminal.usage).toEqual({
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 3 },
      output_tokens: 4,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 16,
    });
    expect((events[0]!.data.response as Json).usage).toBeNull();
  });

  test("max tokens: response.incomplete with incomplete_details, the last item incomplete", () => {
    const events = stream([
      { type: "text_delta", text: "Once upon a" },
      { type: "finish", reason: "max_tokens" },
    ]);
    const terminal = expectGrammar(events);
    expect(events.at(-1)!.event).toBe("response.incomplete");
    expect(terminal).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
      completed_at: null,
      output: [{ type: "message", status: "incomplete" }],
    });
  });

  test("an IR error: `error` (nested and flat fields), then response.failed with the item cut short; nothing after", () => {
    const encoderEvents: IRStreamEvent[] = [
      { type: "text_delta", text: "par" },
      { type: "error", errorType: "rate_limit_error", message: "Slow down" },
      { type: "text_delta", text: "tial" },
      { type: "finish", reason: "end_turn" },
    ];
    const events = stream(encoderEvents);
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "error",
      "response.failed",
    ]);
    expect(events[5]!.data).toEqual({
      type: "error",
      sequence_number: 5,
      error: { type: "rate_limit_error", code: "rate_limit_exceeded", message: "Slow down", param: null },
      code: "rate_limit_exceeded",
      message: "Slow down",
      param: null,
    });
    const failed = expectGrammar(events);
    expect(failed).toMatchObject({
      status: "failed",
      error: { code: "rate_limit_exceeded", message: "Slow down" },
      usage: null,
      output: [{ type: "message", status: "incomplete", content: [{ type: "output_text", text: "par" }] }],
    });
  });

  test("an upstream that ends without finishing: error + response.failed, as the other encoders end it", () => {
    const events = stream([{ type: "text_delta", text: "a" }]);
    expect(types(events).slice(-2)).toEqual(["error", "response.failed"]);
    expect(events.at(-2)!.data.message).toBe("upstream stream ended before the response was complete");
    expectGrammar(events);
  });

  test("an error before anything: created, in_progress, error, response.failed", () => {
    const events = stream([{ type: "error", errorType: "overloaded_error", message: "Overloaded" }]);
    expect(types(events)).toEqual(["response.created", "response.in_progress", "error", "response.failed"]);
    expect(events[2]!.data.code).toBe("server_error");
  });

  test("the official SDK surfaces a failed stream as an error with the message", async () => {
    const sse = encodeEvents([{ type: "error", errorType: "api_error", message: "Upstream broke" }]);
    await expect(sdkFinalResponse(sse)).rejects.toThrow("Upstream broke");
  });
});
