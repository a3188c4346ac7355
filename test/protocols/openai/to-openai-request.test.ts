import { describe, expect, test } from "bun:test";
import { isGatewayError } from "../../../src/errors/gateway-error.ts";
import type { EncodeContext } from "../../../src/ir/codec.ts";
import { anthropicClientCodec } from "../../../src/protocols/anthropic/codec.ts";
import { openAIProviderCodec } from "../../../src/protocols/openai/codec.ts";

/** Anthropic client body → OpenAI upstream body, through the IR. */
function translate(body: Record<string, unknown>, options: { strict?: boolean; model?: string } = {}) {
  const ir = anthropicClientCodec.decodeRequest({ model: "alias", max_tokens: 1024, ...body });
  ir.model = options.model ?? "gpt-4.1";
  const context: EncodeContext = {
    providerName: "openai",
    strict: options.strict ?? false,
    dropped: [],
    adjusted: [],
  };
  const { path, body: out } = openAIProviderCodec.encodeRequest(ir, context);
  return { path, body: out, dropped: context.dropped };
}

function expectGatewayError(fn: () => unknown, messagePart: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isGatewayError(caught)).toBe(true);
  if (isGatewayError(caught)) {
    expect(caught.status).toBe(400);
    expect(caught.message).toContain(messagePart);
  }
}

const user = (content: unknown) => ({ role: "user", content });

describe("Anthropic request → OpenAI request", () => {
  test("minimal: path, system string → system message, max_tokens", () => {
    const { path, body } = translate({ system: "Be brief.", messages: [user("Hi")] });
    expect(path).toBe("/chat/completions");
    expect(body).toEqual({
      model: "gpt-4.1",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      max_tokens: 1024,
    });
  });

  test("system blocks joined into one system message; cache_control listed as dropped", () => {
    const { body, dropped } = translate({
      system: [
        { type: "text", text: "A" },
        { type: "text", text: "B", cache_control: { type: "ephemeral" } },
      ],
      messages: [user("x")],
    });
    expect((body.messages as unknown[])[0]).toEqual({ role: "system", content: "A\n\nB" });
    expect(dropped).toEqual(["cache_control"]);
  });

  test("a mid-conversation role: system message is hoisted into the system prompt", () => {
    const { body } = translate({
      system: "S1",
      messages: [user("q"), { role: "system", content: "S2" }, { role: "assistant", content: "a" }],
    });
    expect(body.messages).toEqual([
      { role: "system", content: "S1\n\nS2" },
      { role: "user", content: "q" },
      { role: "assistant", content: "a" },
    ]);
  });

  test("images and PDF documents: base64 → data URLs, url → image_url, pdf → file part", () => {
    const { body } = translate({
      messages: [
        user([
          { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
          { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
          {
            type: "document",
            title: "Q3.pdf",
            source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
          },
          { type: "document", source: { type: "text", media_type: "text/plain", data: "plain doc" } },
          { type: "text", text: "Summarize." },
        ]),
      ],
    });
    expect((body.messages as unknown[])[0]).toEqual({
      role: "user",
      content: [
        { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } },
        { type: "image_url", image_url: { url: "https://example.com/a.png" } },
        { type: "file", file: { filename: "Q3.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
        { type: "text", text: "plain doc" },
        { type: "text", text: "Summarize." },
      ],
    });
  });

  test("a document by URL cannot be fetched by OpenAI: 400 naming the field", () => {
    expectGatewayError(
      () =>
        translate({
          messages: [user([{ type: "document", source: { type: "url", url: "https://x/y.pdf" } }])],
        }),
      "document.source.url",
    );
  });

  test("tool loop: tool_use → tool_calls with JSON arguments; tool_result → tool messages first, then the user's text; is_error → Error: prefix", () => {
    const { body } = translate({
      messages: [
        user("weather?"),
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
            { type: "tool_use", id: "toolu_2", name: "get_weather", input: {} },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "toolu_1", content: "18C" },
            {
              type: "tool_result",
              tool_use_id: "toolu_2",
              content: [{ type: "text", text: "city missing" }],
              is_error: true,
            },
            { type: "text", text: "thanks" },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: "weather?" },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [
          {
            id: "toolu_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
          { id: "toolu_2", type: "function", function: { name: "get_weather", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "18C" },
      { role: "tool", tool_call_id: "toolu_2", content: "Error: city missing" },
      { role: "user", content: "thanks" },
    ]);
  });

  test("an image inside a tool result follows the tool message in a user message naming the call", () => {
    const { body } = translate({
      messages: [
        user("shot?"),
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "screenshot", input: {} }] },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "t1",
              content: [
                { type: "text", text: "here" },
                { type: "image", source: { type: "base64", media_type: "image/png", data: "AAA" } },
              ],
            },
          ],
        },
      ],
    });
    expect((body.messages as unknown[]).slice(2)).toEqual([
      { role: "tool", tool_call_id: "t1", content: "here" },
      {
        role: "user",
        content: [
          { type: "text", text: "Images returned by tool call t1:" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAA" } },
        ],
      },
    ]);
  });

  test("thinking blocks in history are not sent to OpenAI (no input field for them)", () => {
    const { body, dropped } = translate({
      messages: [
        user("q"),
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "sig" },
            { type: "text", text: "a" },
          ],
        },
        user("q2"),
      ],
    });
    expect((body.messages as unknown[])[1]).toEqual({ role: "assistant", content: "a" });
    expect(dropped).toEqual([]);
  });

  test("tools and tool_choice any/tool/none/auto; disable_parallel_tool_use → parallel_tool_calls false", () => {
    const tools = [{ name: "f", description: "d", input_schema: { type: "object", properties: {} } }];
    const { body } = translate({
      messages: [user("x")],
      tools,
      tool_choice: { type: "any", disable_parallel_tool_use: true },
    });
    expect(body.tools).toEqual([
      {
        type: "function",
        function: { name: "f", description: "d", parameters: { type: "object", properties: {} } },
      },
    ]);
    expect(body.tool_choice).toBe("required");
    expect(body.parallel_tool_calls).toBe(false);
    const choice = (tc: unknown) =>
      translate({ messages: [user("x")], tools, tool_choice: tc }).body.tool_choice;
    expect(choice({ type: "tool", name: "f" })).toEqual({ type: "function", function: { name: "f" } });
    expect(choice({ type: "none" })).toBe("none");
    expect(choice({ type: "auto" })).toBe("auto");
  });

  test("server tools (web_search etc.) cannot run elsewhere: 400 naming the tool", () => {
    expectGatewayError(
      () =>
        translate({ messages: [user("x")], tools: [{ type: "web_search_20250305", name: "web_search" }] }),
      "web_search_20250305",
    );
  });

  test.each([
    [{ type: "enabled", budget_tokens: 1024 }, undefined, "low"],
    [{ type: "enabled", budget_tokens: 8000 }, undefined, "medium"],
    [{ type: "enabled", budget_tokens: 32000 }, undefined, "high"],
    [{ type: "adaptive" }, undefined, undefined],
    [{ type: "adaptive" }, "max", "xhigh"],
    [{ type: "adaptive" }, "xhigh", "xhigh"],
    [undefined, "low", "low"],
    [{ type: "disabled" }, undefined, undefined],
  ])("thinking %j + effort %s → reasoning_effort %s", (thinking, effort, expected) => {
    const body: Record<string, unknown> = { messages: [user("x")] };
    if (thinking) body.thinking = thinking;
    if (effort) body.output_config = { effort };
    expect(translate(body).body.reasoning_effort).toBe(expected);
  });

  test("output_config.format json_schema → response_format json_schema (strict)", () => {
    const schema = {
      type: "object",
      properties: { n: { type: "integer" } },
      required: ["n"],
      additionalProperties: false,
    };
    const { body } = translate({
      messages: [user("x")],
      output_config: { format: { type: "json_schema", schema } },
    });
    expect(body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "response", schema, strict: true },
    });
  });

  test("sampling and identity: temperature, top_p, stop_sequences → stop, metadata.user_id → user, top_k dropped", () => {
    const { body, dropped } = translate({
      messages: [user("x")],
      temperature: 0.5,
      top_p: 0.8,
      top_k: 10,
      stop_sequences: ["###"],
      metadata: { user_id: "u-9" },
    });
    expect(body.temperature).toBe(0.5);
    expect(body.top_p).toBe(0.8);
    expect(body.stop).toEqual(["###"]);
    expect(body.user).toBe("u-9");
    expect(body.top_k).toBeUndefined();
    expect(dropped).toEqual(["top_k"]);
  });

  test("streaming always asks for include_usage (message_delta needs output tokens)", () => {
    const { body } = translate({ messages: [user("x")], stream: true });
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  test("unknown Anthropic fields: dropped and listed; MCP servers and containers are 400s; strict refuses drops", () => {
    expect(translate({ messages: [user("x")], context_management: { edits: [] } }).dropped).toEqual([
      "context_management",
    ]);
    expectGatewayError(
      () => translate({ messages: [user("x")], mcp_servers: [{ type: "url", url: "x", name: "m" }] }),
      "mcp_servers",
    );
    expectGatewayError(
      () => translate({ messages: [user("x")], top_k: 3 }, { strict: true }),
      "'top_k' is not supported by provider 'openai'",
    );
  });

  test("service_tier: auto kept, standard_only dropped", () => {
    expect(translate({ messages: [user("x")], service_tier: "auto" }).body.service_tier).toBe("auto");
    expect(translate({ messages: [user("x")], service_tier: "standard_only" }).dropped).toEqual([
      "service_tier",
    ]);
  });
});
