/**
 * A Responses reasoning item travels to a client of another protocol inside a thinking signature
 * or reasoning_details (the `openai:` stash), and the client's next turn restores it: same id,
 * same encrypted content, in front of the output that followed it.
 */
import { describe, expect, test } from "bun:test";
import { anthropicClientCodec } from "../../../../src/protocols/anthropic/codec.ts";
import { openAIClientCodec } from "../../../../src/protocols/openai/codec.ts";
import { fromResponsesResponse } from "../../../../src/protocols/responses/from-responses-response.ts";
import { toResponsesRequest } from "../../../../src/protocols/responses/to-responses-request.ts";
import { encodeStream, parseSSE } from "../../../ir/translate-stream.ts";
import { assembleAnthropic, assembleChat } from "./assemble-client-stream.ts";
import {
  decodeResponsesSSE,
  fixtureEvents,
  makeContext,
  readResponsesFixture,
  readResponsesJson,
} from "./helpers.ts";

type Item = Record<string, unknown>;

const CODEX_STREAM = "vercel-ai-reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-stream.txt";
const tools = [{ name: "calculator", input_schema: { type: "object" } }];

/** The next Anthropic turn: the assistant content as received, then the tool's result. */
function anthropicNextTurn(assistant: unknown[]): Record<string, unknown> {
  return {
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    tools,
    messages: [
      { role: "user", content: "What is (12 + 7) * 3 * 10?" },
      { role: "assistant", content: assistant },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn", content: "19" }],
      },
    ],
  };
}

describe("the openai: stash round trip", () => {
  test("an Anthropic thinking block whose signature is an openai: stash → the reasoning item", () => {
    const request = anthropicClientCodec.decodeRequest(
      anthropicNextTurn([
        { type: "thinking", thinking: "Use the calculator.", signature: "openai:rs_abc:gAAAAABenc==" },
        { type: "tool_use", id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn", name: "calculator", input: { a: 12 } },
      ]),
    );
    const body = toResponsesRequest({ ...request, model: "gpt-5.1-codex-max" }, makeContext());
    expect(body.input).toEqual([
      {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "What is (12 + 7) * 3 * 10?" }],
      },
      {
        type: "reasoning",
        id: "rs_abc",
        summary: [{ type: "summary_text", text: "Use the calculator." }],
        encrypted_content: "gAAAAABenc==",
      },
      {
        type: "function_call",
        call_id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn",
        name: "calculator",
        arguments: '{"a":12}',
      },
      { type: "function_call_output", call_id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn", output: "19" },
    ]);
  });

  test("stream → Anthropic client → its next turn → the very item the upstream sent", () => {
    const sse = readResponsesFixture(CODEX_STREAM);
    const reasoning = fixtureEvents(sse, "response.output_item.done")[0]!.item as Item;
    const received = assembleAnthropic(
      parseSSE(
        encodeStream(anthropicClientCodec, decodeResponsesSSE(sse), { requestedModel: "claude-sonnet-4-5" }),
      ),
    );
    const request = anthropicClientCodec.decodeRequest(anthropicNextTurn(received.content));
    const input = toResponsesRequest(request, makeContext()).input as Item[];
    expect(input[1]).toEqual({
      type: "reasoning",
      id: reasoning.id,
      summary: [{ type: "summary_text", text: (reasoning.summary as Array<{ text: string }>)[0]!.text }],
      encrypted_content: reasoning.encrypted_content,
    });
    expect(input[2]).toMatchObject({ type: "function_call", call_id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn" });
  });

  test("stream → OpenAI Chat client (reasoning_details) → its next turn → the same item", () => {
    const sse = readResponsesFixture(CODEX_STREAM);
    const reasoning = fixtureEvents(sse, "response.output_item.done")[0]!.item as Item;
    const chat = assembleChat(
      parseSSE(encodeStream(openAIClientCodec, decodeResponsesSSE(sse), { requestedModel: "gpt-4o" })),
    );
    const request = openAIClientCodec.decodeRequest({
      model: "gpt-4o",
      messages: [
        { role: "user", content: "What is (12 + 7) * 3 * 10?" },
        {
          role: "assistant",
          content: null,
          reasoning_details: chat.reasoningDetails,
          tool_calls: chat.toolCalls.map((c) => ({
            id: c.id,
            type: "function",
            function: { name: c.name, arguments: c.arguments },
          })),
        },
        { role: "tool", tool_call_id: "call_AB6AaRZ1FYZB2RwS6A5vbdqn", content: "19" },
      ],
    });
    const input = toResponsesRequest(request, makeContext()).input as Item[];
    expect(input.map((i) => i.type)).toEqual([
      "message",
      "reasoning",
      "function_call",
      "function_call_output",
    ]);
    expect(input[1]).toMatchObject({ id: reasoning.id, encrypted_content: reasoning.encrypted_content });
  });

  test("JSON: response → Anthropic client response → next turn → the same item", () => {
    const name = "vercel-ai-reasoning-summary-encrypted-gpt-5-mini.json";
    const reasoning = (readResponsesJson(name) as { output: Item[] }).output[0]!;
    const answer = anthropicClientCodec.encodeResponse(
      fromResponsesResponse(readResponsesJson(name)),
      "claude-x",
    );
    const request = anthropicClientCodec.decodeRequest({
      model: "claude-x",
      max_tokens: 1024,
      messages: [
        { role: "user", content: "Compute it" },
        { role: "assistant", content: answer.content },
        { role: "user", content: "Thanks. And times 2?" },
      ],
    });
    const input = toResponsesRequest(request, makeContext()).input as Item[];
    expect(input.map((i) => i.type)).toEqual(["message", "reasoning", "message", "message"]);
    expect(input[1]).toMatchObject({ id: reasoning.id, encrypted_content: reasoning.encrypted_content });
    expect(input[2]).toEqual({
      type: "message",
      role: "assistant",
      content: [
        {
          type: "output_text",
          text: "12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570",
          annotations: [],
        },
      ],
    });
  });
});
