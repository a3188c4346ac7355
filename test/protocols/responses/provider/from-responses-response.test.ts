/** Recorded Responses API JSON bodies → IR, through the real decoder. */
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../../../src/errors/gateway-error.ts";
import { fromResponsesResponse } from "../../../../src/protocols/responses/from-responses-response.ts";
import { fromResponsesUsage } from "../../../../src/protocols/responses/from-responses-usage.ts";
import { readResponsesJson } from "./helpers.ts";

type Item = Record<string, unknown>;
const outputOf = (name: string): Item[] => (readResponsesJson(name) as { output: Item[] }).output;

describe("fromResponsesResponse: recorded bodies", () => {
  test("plain text (GoModel gpt-4o-mini): text, end_turn, usage, created and tier", () => {
    expect(fromResponsesResponse(readResponsesJson("gomodel-text-gpt-4o-mini.json"))).toEqual({
      id: "resp_0d8b81b7c805508d0069a31431b68c8194af45c94a6952706b",
      model: "gpt-4o-mini-2024-07-18",
      parts: [{ type: "text", text: "Hello, World!" }],
      stopReason: "end_turn",
      usage: { inputTokens: 17, outputTokens: 5, cacheReadTokens: 0, reasoningTokens: 0 },
      created: 1772295217,
      serviceTier: "default",
    });
  });

  test("parallel function calls: two tool calls with their call_ids and arguments, tool_use", () => {
    const response = fromResponsesResponse(
      readResponsesJson("openllmetry-parallel-function-calls-gpt-4.1-nano.json"),
    );
    expect(response.parts).toEqual([
      {
        type: "tool_call",
        id: "call_grggfsR0ccRoMcXy17gsju6I",
        name: "get_weather",
        arguments: '{"location":"London"}',
      },
      {
        type: "tool_call",
        id: "call_jQ4vl5MZL0h55SoqPmlfYYyd",
        name: "get_weather",
        arguments: '{"location":"London"}',
      },
    ]);
    expect(response.stopReason).toBe("tool_use");
    expect(response.usage).toEqual({
      inputTokens: 59,
      outputTokens: 45,
      cacheReadTokens: 0,
      reasoningTokens: 0,
    });
  });

  test("custom tool call: arguments are {input}, the reasoning item without text or encrypted content is left out", () => {
    const response = fromResponsesResponse(
      readResponsesJson("ddtrace-custom-tool-call-reasoning-gpt-5.json"),
    );
    expect(response.parts).toEqual([
      {
        type: "tool_call",
        id: "call_H8YsBUDPYjNHSq9fWOzwetxr",
        name: "math_exp",
        arguments: '{"input":"4 + 4"}',
      },
    ]);
    expect(response.stopReason).toBe("tool_use");
    expect(response.usage).toEqual({
      inputTokens: 159,
      outputTokens: 275,
      cacheReadTokens: 0,
      reasoningTokens: 256,
    });
  });

  test("reasoning with summary and encrypted content: summary text, signature = openai:<id>:<enc>", () => {
    const name = "vercel-ai-reasoning-summary-encrypted-gpt-5-mini.json";
    const [reasoning, message] = outputOf(name) as [Item, Item];
    const summary = (reasoning.summary as Array<{ text: string }>).map((s) => s.text);
    const response = fromResponsesResponse(readResponsesJson(name));
    expect(response.parts).toEqual([
      {
        type: "reasoning",
        text: summary.join("\n\n"),
        signature: `openai:${reasoning.id}:${reasoning.encrypted_content}`,
      },
      { type: "text", text: (message.content as Array<{ text: string }>)[0]!.text },
    ]);
    expect(response.parts[1]).toEqual({
      type: "text",
      text: "12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570",
    });
    expect(response.stopReason).toBe("end_turn");
    expect(response.usage).toEqual({
      inputTokens: 865,
      outputTokens: 163,
      cacheReadTokens: 0,
      reasoningTokens: 128,
    });
  });

  test("reasoning summary without encrypted content (not requested): text only, no signature", () => {
    const name = "openllmetry-reasoning-summary-gpt-5-nano.json";
    const summary = ((outputOf(name)[0] as Item).summary as Array<{ text: string }>).map((s) => s.text);
    const response = fromResponsesResponse(readResponsesJson(name));
    expect(response.parts[0]).toEqual({ type: "reasoning", text: summary.join("\n\n") });
    expect(response.parts[0]).not.toHaveProperty("signature");
    expect((response.parts[1] as { text: string }).text.startsWith("The sky looks blue mainly because")).toBe(
      true,
    );
    expect(response.usage).toEqual({
      inputTokens: 12,
      outputTokens: 841,
      cacheReadTokens: 0,
      reasoningTokens: 576,
    });
  });

  test("structured output: the JSON text as it came", () => {
    const response = fromResponsesResponse(
      readResponsesJson("openllmetry-structured-output-json-schema-gpt-4.1-nano.json"),
    );
    expect(response.parts).toEqual([{ type: "text", text: '{"name":"Alice","age":30}' }]);
    expect(JSON.parse((response.parts[0] as { text: string }).text)).toEqual({ name: "Alice", age: 30 });
  });

  test("cached tokens: input_tokens includes them, IR inputTokens does not (1515 - 1390)", () => {
    const response = fromResponsesResponse(readResponsesJson("ddtrace-cached-tokens-gpt-4o.json"));
    expect(response.parts).toEqual([{ type: "text", text: "2, 3, 4" }]);
    expect(response.usage).toEqual({
      inputTokens: 125,
      outputTokens: 8,
      cacheReadTokens: 1390,
      reasoningTokens: 0,
    });
  });

  test("incomplete at max_output_tokens: max_tokens; cache writes come out of the input (1220 - 1217)", () => {
    const response = fromResponsesResponse(
      readResponsesJson("ddtrace-incomplete-cache-write-gpt-5.6-sol.json"),
    );
    expect(response.stopReason).toBe("max_tokens");
    expect(response.parts).toHaveLength(1);
    expect(
      (response.parts[0] as { text: string }).text.endsWith(
        "Identify core workflows before defining endpoints",
      ),
    ).toBe(true);
    expect(response.usage).toEqual({
      inputTokens: 3,
      outputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 1217,
      reasoningTokens: 54,
    });
  });
});

describe("fromResponsesResponse: shapes the recordings lack", () => {
  const body = (output: unknown[], extra: Record<string, unknown> = {}) => ({
    id: "resp_1",
    model: "gpt-5.1-codex-max",
    status: "completed",
    output,
    ...extra,
  });

  test("a refusal: text with stop reason refusal, and IRResponse.refusal", () => {
    const response = fromResponsesResponse(
      body([
        {
          type: "message",
          role: "assistant",
          content: [{ type: "refusal", refusal: "I can't help with that." }],
        },
      ]),
    );
    expect(response.parts).toEqual([{ type: "text", text: "I can't help with that." }]);
    expect(response.stopReason).toBe("refusal");
    expect(response.refusal).toBe("I can't help with that.");
  });

  test("incomplete by the content filter: refusal", () => {
    const response = fromResponsesResponse(
      body([], { status: "incomplete", incomplete_details: { reason: "content_filter" } }),
    );
    expect(response.stopReason).toBe("refusal");
  });

  test("built-in tool items are ignored; a function call without arguments gets {}", () => {
    const response = fromResponsesResponse(
      body([
        { type: "web_search_call", id: "ws_1", status: "completed" },
        { type: "mcp_call", id: "mcp_1", name: "ask", arguments: "{}", output: "x" },
        { type: "function_call", id: "fc_1", call_id: "call_1", name: "now", arguments: "" },
      ]),
    );
    expect(response.parts).toEqual([{ type: "tool_call", id: "call_1", name: "now", arguments: "{}" }]);
    expect(response.stopReason).toBe("tool_use");
  });

  test("xAI reasoning (raw reasoning_text in content, no summary) becomes the reasoning text", () => {
    const response = fromResponsesResponse(
      body([
        {
          type: "reasoning",
          id: "rs_x",
          summary: [],
          content: [{ type: "reasoning_text", text: "Thinking." }],
        },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hi" }] },
      ]),
    );
    expect(response.parts).toEqual([
      { type: "reasoning", text: "Thinking." },
      { type: "text", text: "Hi" },
    ]);
  });

  test("no usage reads as zero; missing id gets one", () => {
    const response = fromResponsesResponse({ output: [] });
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(response.id.startsWith("resp_")).toBe(true);
  });

  test("a failed response or a body without output is an upstream error (502)", () => {
    const failed = () =>
      fromResponsesResponse(body([], { status: "failed", error: { code: "server_error", message: "boom" } }));
    expect(failed).toThrow(GatewayError);
    expect(failed).toThrow("boom");
    expect(() => fromResponsesResponse({ error: { message: "x" } })).toThrow(GatewayError);
  });
});

describe("fromResponsesUsage", () => {
  test("absent → undefined; reasoning tokens stay inside outputTokens", () => {
    expect(fromResponsesUsage(null)).toBeUndefined();
    expect(
      fromResponsesUsage({
        input_tokens: 10,
        output_tokens: 30,
        output_tokens_details: { reasoning_tokens: 20 },
      }),
    ).toEqual({ inputTokens: 10, outputTokens: 30, reasoningTokens: 20 });
  });
});
