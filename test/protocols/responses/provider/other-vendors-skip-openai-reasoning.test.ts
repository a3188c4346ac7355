/**
 * An `openai:` reasoning stash is meaningful to a Responses upstream only: when a conversation that
 * went through one continues on Anthropic, Gemini or a Chat Completions upstream, the stash must not
 * reach them (each would refuse, or be confused by, a foreign signature).
 */
import { describe, expect, test } from "bun:test";
import type { IRRequest } from "../../../../src/ir/types.ts";
import { toAnthropicRequest } from "../../../../src/protocols/anthropic/to-anthropic-request.ts";
import { toGeminiRequest } from "../../../../src/protocols/gemini/to-gemini-request.ts";
import { toOpenAIRequest } from "../../../../src/protocols/openai/to-openai-request.ts";
import { markOpenAIReasoning } from "../../../../src/protocols/responses/reasoning-stash.ts";
import { makeContext, makeRequest } from "./helpers.ts";

const STASH = markOpenAIReasoning("rs_123", "gAAAAABsecret");

/** A tool loop whose assistant turn came from a Responses upstream. */
const afterResponsesTurn = (overrides: Partial<IRRequest> = {}): IRRequest =>
  makeRequest({
    tools: [{ name: "calculator", parameters: { type: "object" } }],
    messages: [
      { role: "user", parts: [{ type: "text", text: "12 + 7?" }] },
      {
        role: "assistant",
        parts: [
          { type: "reasoning", text: "Use the calculator.", signature: STASH },
          { type: "tool_call", id: "call_1", name: "calculator", arguments: '{"a":12,"b":7}' },
        ],
      },
      {
        role: "user",
        parts: [{ type: "tool_result", toolCallId: "call_1", content: [{ type: "text", text: "19" }] }],
      },
    ],
    ...overrides,
  });

describe("other vendors never receive an openai: reasoning stash", () => {
  test("Anthropic: the reasoning part is left out, not sent as a thinking block", () => {
    const context = makeContext();
    const body = toAnthropicRequest(afterResponsesTurn({ model: "claude-sonnet-4-5" }), context);
    expect(JSON.stringify(body)).not.toContain("gAAAAABsecret");
    expect((body.messages as Array<{ content: unknown[] }>)[1]!.content).toEqual([
      { type: "tool_use", id: "call_1", name: "calculator", input: { a: 12, b: 7 } },
    ]);
    expect(context.dropped).toEqual([]);
  });

  test("Anthropic: a tool loop that started on OpenAI lacks a signed thinking block, so thinking is dropped", () => {
    const context = makeContext();
    const body = toAnthropicRequest(
      afterResponsesTurn({
        model: "claude-sonnet-4-5",
        reasoning: { budgetTokens: 4096 },
        sourceProtocol: "anthropic",
      }),
      context,
    );
    expect(body).not.toHaveProperty("thinking");
    expect(context.dropped).toEqual(["thinking"]);
  });

  test("Gemini: only its own marks are read; the stash is not sent as a thought", () => {
    const body = toGeminiRequest(afterResponsesTurn({ model: "gemini-2.5-flash" }), makeContext());
    expect(JSON.stringify(body)).not.toContain("gAAAAABsecret");
    expect(JSON.stringify(body)).not.toContain("Use the calculator.");
  });

  test("Chat Completions: assistant reasoning is not sent upstream at all", () => {
    const body = toOpenAIRequest(
      afterResponsesTurn({ model: "gpt-4.1", sourceProtocol: "anthropic" }),
      makeContext(),
    );
    expect(JSON.stringify(body)).not.toContain("gAAAAABsecret");
    const assistant = (body.messages as Array<Record<string, unknown>>)[1]!;
    expect(assistant).not.toHaveProperty("reasoning_details");
    expect(assistant).not.toHaveProperty("reasoning_content");
  });
});
