/** Recorded Responses API SSE streams → IR events, through the real SSE parser and decoder. */
import { describe, expect, test } from "bun:test";
import type { IRStreamEvent } from "../../../../src/ir/types.ts";
import { ResponsesStreamDecoder } from "../../../../src/protocols/responses/responses-stream-decoder.ts";
import { decodeResponsesSSE, fixtureEvents, mergeDeltas, readResponsesFixture } from "./helpers.ts";

type Item = Record<string, unknown>;

/** The items of a fixture's output_item.done events, in order. */
const doneItems = (sse: string): Item[] =>
  fixtureEvents(sse, "response.output_item.done").map((e) => e.item as Item);

const summaryOf = (item: Item): string =>
  (item.summary as Array<{ text: string }>).map((s) => s.text).join("\n\n");

const signatureOf = (item: Item): string => `openai:${item.id}:${item.encrypted_content}`;

const textDoneOf = (sse: string): string =>
  fixtureEvents(sse, "response.output_text.done")
    .map((e) => e.text)
    .join("");

describe("ResponsesStreamDecoder: recorded streams", () => {
  test("plain text (GoModel, no final blank line): start, text, usage, end_turn", () => {
    const sse = readResponsesFixture("gomodel-text-gpt-4o-mini-stream.txt");
    expect(mergeDeltas(decodeResponsesSSE(sse))).toEqual([
      {
        type: "message_start",
        id: "resp_0b7e83747d2b84440069a31433ab1881998d8036ef3db1ef03",
        model: "gpt-4o-mini-2024-07-18",
        created: 1772295219,
      },
      { type: "text_delta", text: "Hello, World!" },
      { type: "usage", usage: { inputTokens: 17, outputTokens: 5, cacheReadTokens: 0, reasoningTokens: 0 } },
      { type: "finish", reason: "end_turn" },
    ]);
  });

  test("the same events whatever the chunking (7-byte chunks split lines and UTF-8)", () => {
    for (const name of [
      "gomodel-text-gpt-4o-mini-stream.txt",
      "pydantic-ai-web-search-reasoning-cached-gpt-5-stream.txt",
      "vercel-ai-reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-stream.txt",
    ]) {
      const sse = readResponsesFixture(name);
      expect(mergeDeltas(decodeResponsesSSE(sse, 7))).toEqual(mergeDeltas(decodeResponsesSSE(sse)));
    }
  });

  test("legacy stream without sequence_number (Mar 2025): one function call, tool_use", () => {
    const sse = readResponsesFixture("pydantic-ai-function-call-gpt-4o-legacy-noseq-stream.txt");
    expect(mergeDeltas(decodeResponsesSSE(sse))).toEqual([
      {
        type: "message_start",
        id: "resp_67e554a155508191900ee113293c4c830794405d35281ae2",
        model: "gpt-4o-2024-08-06",
        created: 1743082657,
      },
      { type: "tool_call_start", toolIndex: 0, id: "call_kL0PCQV7M2WMoVX8V8OtYSAL", name: "get_capital" },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"country":"France"}' },
      {
        type: "usage",
        usage: { inputTokens: 255, outputTokens: 16, cacheReadTokens: 0, reasoningTokens: 0 },
      },
      { type: "finish", reason: "tool_use" },
    ]);
    // The arguments stream in the recorded deltas, not in one piece.
    expect(decodeResponsesSSE(sse).filter((e) => e.type === "tool_call_delta")).toHaveLength(5);
  });

  test("codex-max: reasoning summary, its signature from output_item.done, then a function call", () => {
    const sse = readResponsesFixture(
      "vercel-ai-reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-stream.txt",
    );
    const [reasoning] = doneItems(sse) as [Item];
    expect(mergeDeltas(decodeResponsesSSE(sse))).toEqual([
      {
        type: "message_start",
        id: "resp_01830d662ab3856501693c321345c88190b0de00f3b9975691",
        model: "gpt-5.1-codex-max",
        created: 1765552659,
      },
      { type: "reasoning_delta", text: summaryOf(reasoning) },
      { type: "reasoning_signature", signature: signatureOf(reasoning) },
      { type: "tool_call_start", toolIndex: 0, id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn", name: "calculator" },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"a":12,"b":7,"op":"add"}' },
      {
        type: "usage",
        usage: { inputTokens: 134, outputTokens: 28, cacheReadTokens: 0, reasoningTokens: 0 },
      },
      { type: "finish", reason: "tool_use" },
    ]);
    expect(summaryOf(reasoning).startsWith("**Calculating step-by-step using calculator**\n\n")).toBe(true);
    expect(reasoning.id).toBe("rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9");
  });

  test("o3-mini, four summary parts: one reasoning text with blank lines between the parts", () => {
    const sse = readResponsesFixture("pydantic-ai-reasoning-summary-multipart-o3-mini-stream.txt");
    const [reasoning, message] = doneItems(sse) as [Item, Item];
    expect((reasoning.summary as unknown[]).length).toBe(4);
    const events = mergeDeltas(decodeResponsesSSE(sse));
    expect(events.map((e) => e.type)).toEqual([
      "message_start",
      "reasoning_delta",
      "reasoning_signature",
      "text_delta",
      "usage",
      "finish",
    ]);
    expect(events[1]).toEqual({ type: "reasoning_delta", text: summaryOf(reasoning) });
    expect(events[2]).toEqual({ type: "reasoning_signature", signature: signatureOf(reasoning) });
    expect(events[3]).toEqual({ type: "text_delta", text: textDoneOf(sse) });
    expect(message.type).toBe("message");
    expect(events[4]).toEqual({
      type: "usage",
      usage: { inputTokens: 13, outputTokens: 1680, cacheReadTokens: 0, reasoningTokens: 1408 },
    });
  });

  test("web search (gpt-5): the web_search_call is skipped; two signed reasoning items; cached usage", () => {
    const sse = readResponsesFixture("pydantic-ai-web-search-reasoning-cached-gpt-5-stream.txt");
    const items = doneItems(sse);
    expect(items.map((i) => i.type)).toEqual(["reasoning", "web_search_call", "reasoning", "message"]);
    expect(mergeDeltas(decodeResponsesSSE(sse)).slice(1)).toEqual([
      { type: "reasoning_signature", signature: signatureOf(items[0]!) },
      { type: "reasoning_signature", signature: signatureOf(items[2]!) },
      { type: "text_delta", text: textDoneOf(sse) },
      // input 9463 of which 8320 cached; output 582 of which 512 reasoning.
      {
        type: "usage",
        usage: { inputTokens: 1143, outputTokens: 582, cacheReadTokens: 8320, reasoningTokens: 512 },
      },
      { type: "finish", reason: "end_turn" },
    ]);
  });

  test("hosted MCP (o4-mini): mcp_list_tools and mcp_call are skipped, not tool calls", () => {
    const sse = readResponsesFixture("pydantic-ai-mcp-list-tools-call-o4-mini-stream.txt");
    const items = doneItems(sse);
    expect(items.map((i) => i.type)).toEqual([
      "mcp_list_tools",
      "reasoning",
      "mcp_call",
      "reasoning",
      "message",
    ]);
    const events = mergeDeltas(decodeResponsesSSE(sse));
    expect(events.some((e) => e.type === "tool_call_start")).toBe(false);
    expect(events.slice(1)).toEqual([
      { type: "reasoning_signature", signature: signatureOf(items[1]!) },
      { type: "reasoning_signature", signature: signatureOf(items[3]!) },
      { type: "text_delta", text: textDoneOf(sse) },
      {
        type: "usage",
        usage: { inputTokens: 1401, outputTokens: 480, cacheReadTokens: 0, reasoningTokens: 256 },
      },
      { type: "finish", reason: "end_turn" },
    ]);
  });

  test("apply_patch (a built-in tool the gateway never offers) is skipped", () => {
    const sse = readResponsesFixture("vercel-ai-apply-patch-call-gpt-5.1-stream.txt");
    expect(mergeDeltas(decodeResponsesSSE(sse)).map((e) => e.type)).toEqual([
      "message_start",
      "usage",
      "finish",
    ]);
  });

  test("background mode: queued status and response.queued change nothing", () => {
    const sse = readResponsesFixture("pydantic-ai-background-queued-gpt-4o-stream.txt");
    expect(mergeDeltas(decodeResponsesSSE(sse))).toEqual([
      {
        type: "message_start",
        id: "resp_0da443d9ee8333600069950a0635d88196b2d9243b08e8cc01",
        model: "gpt-4o-2024-08-06",
        created: 1771375110,
      },
      { type: "text_delta", text: "2 + 2 equals 4." },
      { type: "usage", usage: { inputTokens: 15, outputTokens: 9, cacheReadTokens: 0, reasoningTokens: 0 } },
      { type: "finish", reason: "end_turn" },
    ]);
  });

  test("structured output stream (no final blank line): unsigned-summary reasoning item, JSON text", () => {
    const sse = readResponsesFixture("swiftagent-structured-output-json-schema-gpt-5-mini-stream.txt");
    const [reasoning] = doneItems(sse) as [Item];
    expect(mergeDeltas(decodeResponsesSSE(sse)).slice(1)).toEqual([
      { type: "reasoning_signature", signature: signatureOf(reasoning) },
      { type: "text_delta", text: '{"temperatureCelsius":22,"condition":"Partly Cloudy"}' },
      { type: "usage", usage: { inputTokens: 72, outputTokens: 25, cacheReadTokens: 0, reasoningTokens: 0 } },
      { type: "finish", reason: "end_turn" },
    ]);
  });

  test("xAI (grok-3-mini): raw reasoning_text deltas, a UUID id, cached and reasoning tokens", () => {
    const sse = readResponsesFixture("gomodel-xai-grok-3-mini-text-stream.txt");
    const reasoningText = fixtureEvents(sse, "response.reasoning_text.done")[0]!.text;
    expect(mergeDeltas(decodeResponsesSSE(sse))).toEqual([
      {
        type: "message_start",
        id: "9f619ea5-7275-4a31-cb4c-35f8adb5c6b0",
        model: "grok-3-mini",
        created: 1772295251,
      },
      { type: "reasoning_delta", text: reasoningText as string },
      { type: "text_delta", text: "Hello, World!" },
      // input 17 of which 3 cached; output 185 of which 181 reasoning.
      {
        type: "usage",
        usage: { inputTokens: 14, outputTokens: 185, cacheReadTokens: 3, reasoningTokens: 181 },
      },
      { type: "finish", reason: "end_turn" },
    ]);
  });
});

/** Events written as OpenAI sends them: `event: <type>` + one data line. */
const sse = (...events: Array<Record<string, unknown>>): string =>
  events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");

const created = { type: "response.created", response: { id: "resp_t", model: "gpt-5.2-pro", created_at: 1 } };
const completed = (extra: Record<string, unknown> = {}) => ({
  type: "response.completed",
  response: { id: "resp_t", status: "completed", usage: { input_tokens: 5, output_tokens: 2 }, ...extra },
});

describe("ResponsesStreamDecoder: shapes the recordings lack", () => {
  test("a custom tool call streams as one {input} delta built from the input deltas", () => {
    const item = { id: "ctc_1", type: "custom_tool_call", call_id: "call_c", name: "execute_sql", input: "" };
    const events = decodeResponsesSSE(
      sse(
        created,
        { type: "response.output_item.added", output_index: 0, item },
        { type: "response.custom_tool_call_input.delta", output_index: 0, item_id: "ctc_1", delta: "SELECT" },
        { type: "response.custom_tool_call_input.delta", output_index: 0, item_id: "ctc_1", delta: ' "x"' },
        {
          type: "response.custom_tool_call_input.done",
          output_index: 0,
          item_id: "ctc_1",
          input: 'SELECT "x"',
        },
        { type: "response.output_item.done", output_index: 0, item: { ...item, input: 'SELECT "x"' } },
        completed(),
      ),
    );
    expect(events.slice(1)).toEqual([
      { type: "tool_call_start", toolIndex: 0, id: "call_c", name: "execute_sql" },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"input":"SELECT \\"x\\""}' },
      { type: "usage", usage: { inputTokens: 5, outputTokens: 2 } },
      { type: "finish", reason: "tool_use" },
    ]);
  });

  test("parallel function calls get tool indices 0 and 1; a call with no arguments gets {}", () => {
    const call = (i: number, name: string) => ({
      id: `fc_${i}`,
      type: "function_call",
      call_id: `call_${i}`,
      name,
      arguments: "",
    });
    const events = decodeResponsesSSE(
      sse(
        created,
        { type: "response.output_item.added", output_index: 0, item: call(0, "a") },
        {
          type: "response.function_call_arguments.delta",
          output_index: 0,
          item_id: "fc_0",
          delta: '{"x":1}',
        },
        {
          type: "response.output_item.done",
          output_index: 0,
          item: { ...call(0, "a"), arguments: '{"x":1}' },
        },
        { type: "response.output_item.added", output_index: 1, item: call(1, "b") },
        { type: "response.output_item.done", output_index: 1, item: call(1, "b") },
        completed(),
      ),
    );
    expect(events.slice(1, -2)).toEqual([
      { type: "tool_call_start", toolIndex: 0, id: "call_0", name: "a" },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"x":1}' },
      { type: "tool_call_start", toolIndex: 1, id: "call_1", name: "b" },
      { type: "tool_call_delta", toolIndex: 1, argumentsDelta: "{}" },
    ]);
  });

  test("a refusal streams as text and ends with stop reason refusal", () => {
    const events = decodeResponsesSSE(
      sse(
        created,
        { type: "response.refusal.delta", output_index: 0, item_id: "msg_1", delta: "I can't" },
        { type: "response.refusal.delta", output_index: 0, item_id: "msg_1", delta: " help." },
        completed(),
      ),
    );
    expect(mergeDeltas(events).slice(1)).toEqual([
      { type: "text_delta", text: "I can't help." },
      { type: "usage", usage: { inputTokens: 5, outputTokens: 2 } },
      { type: "finish", reason: "refusal" },
    ]);
  });

  test("response.incomplete: max_output_tokens → max_tokens, content_filter → refusal", () => {
    const incomplete = (reason: string) => ({
      type: "response.incomplete",
      response: { status: "incomplete", incomplete_details: { reason }, usage: null },
    });
    expect(decodeResponsesSSE(sse(created, incomplete("max_output_tokens"))).at(-1)).toEqual({
      type: "finish",
      reason: "max_tokens",
    });
    expect(decodeResponsesSSE(sse(created, incomplete("content_filter"))).at(-1)).toEqual({
      type: "finish",
      reason: "refusal",
    });
  });

  test("an error event then response.failed: one IR error, from the error payload", () => {
    const events = decodeResponsesSSE(
      sse(
        created,
        {
          type: "error",
          error: {
            type: "insufficient_quota",
            code: "insufficient_quota",
            message: "You exceeded your quota",
          },
        },
        {
          type: "response.failed",
          response: { status: "failed", error: { code: "insufficient_quota", message: "x" } },
        },
      ),
    );
    expect(events.slice(1)).toEqual([
      { type: "error", errorType: "insufficient_quota", message: "You exceeded your quota" },
    ]);
  });

  test("response.failed alone and the SDK's flat error event both give an error", () => {
    expect(
      decodeResponsesSSE(
        sse(created, {
          type: "response.failed",
          response: { error: { code: "server_error", message: "boom" } },
        }),
      ).at(-1),
    ).toEqual({ type: "error", errorType: "server_error", message: "boom" });
    expect(
      decodeResponsesSSE(sse({ type: "error", code: "rate_limit_exceeded", message: "slow down" })),
    ).toEqual([{ type: "error", errorType: "rate_limit_exceeded", message: "slow down" }]);
  });

  test("data-only events, keep-alive comments and unknown event types are read or skipped", () => {
    const text = [
      ": keep-alive\n\n",
      `data: ${JSON.stringify(created)}\n\n`,
      `data: ${JSON.stringify({ type: "response.something_new", output_index: 0 })}\n\n`,
      `data: ${JSON.stringify({ type: "response.output_text.delta", output_index: 0, delta: "Hi" })}\n\n`,
      ": still here\n\n",
      `data: ${JSON.stringify(completed())}\n\n`,
    ].join("");
    expect(decodeResponsesSSE(text)).toEqual([
      { type: "message_start", id: "resp_t", model: "gpt-5.2-pro", created: 1 },
      { type: "text_delta", text: "Hi" },
      { type: "usage", usage: { inputTokens: 5, outputTokens: 2 } },
      { type: "finish", reason: "end_turn" },
    ]);
  });

  test("items sent whole in output_item.done (no deltas) still give their text, reasoning and arguments", () => {
    const events = decodeResponsesSSE(
      sse(
        created,
        {
          type: "response.output_item.done",
          output_index: 0,
          item: {
            id: "rs_1",
            type: "reasoning",
            summary: [{ type: "summary_text", text: "Plan" }],
            encrypted_content: "ENC",
          },
        },
        {
          type: "response.output_item.done",
          output_index: 1,
          item: { id: "msg_1", type: "message", content: [{ type: "output_text", text: "Answer" }] },
        },
        {
          type: "response.output_item.done",
          output_index: 2,
          item: { id: "fc_1", type: "function_call", call_id: "call_1", name: "f", arguments: '{"a":1}' },
        },
        completed(),
      ),
    );
    expect(events.slice(1, -2)).toEqual([
      { type: "reasoning_delta", text: "Plan" },
      { type: "reasoning_signature", signature: "openai:rs_1:ENC" },
      { type: "text_delta", text: "Answer" },
      { type: "tool_call_start", toolIndex: 0, id: "call_1", name: "f" },
      { type: "tool_call_delta", toolIndex: 0, argumentsDelta: '{"a":1}' },
    ]);
  });

  test("a stream cut off before its terminal event ends with an error, not a finish", () => {
    const events = decodeResponsesSSE(
      sse(created, { type: "response.output_text.delta", output_index: 0, delta: "Hel" }),
    );
    expect(events.at(-1)).toEqual({
      type: "error",
      errorType: "api_error",
      message: "Responses stream ended before its terminal event",
    });
  });

  test("nothing after the terminal event; an empty body gives nothing", () => {
    const decoder = new ResponsesStreamDecoder();
    const push = (data: Record<string, unknown>): IRStreamEvent[] =>
      decoder.push({ event: "message", data: JSON.stringify(data) });
    push(created);
    expect(push(completed()).at(-1)).toEqual({ type: "finish", reason: "end_turn" });
    expect(push({ type: "response.output_text.delta", delta: "late" })).toEqual([]);
    expect(decoder.end()).toEqual([]);
    expect(new ResponsesStreamDecoder().end()).toEqual([]);
  });
});
