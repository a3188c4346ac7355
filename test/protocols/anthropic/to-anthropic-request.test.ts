import { describe, expect, test } from "bun:test";
import { isGatewayError } from "../../../src/errors/gateway-error.ts";
import type { EncodeContext } from "../../../src/ir/codec.ts";
import { anthropicProviderCodec } from "../../../src/protocols/anthropic/codec.ts";
import { openAIClientCodec } from "../../../src/protocols/openai/codec.ts";

/** OpenAI client body → Anthropic upstream body, through the IR, as the pipeline does it. */
function translate(body: Record<string, unknown>, options: { strict?: boolean; model?: string } = {}) {
  const ir = openAIClientCodec.decodeRequest({ model: "client-alias", ...body });
  ir.model = options.model ?? "claude-sonnet-4-5";
  const context: EncodeContext = {
    providerName: "anthropic",
    strict: options.strict ?? false,
    dropped: [],
    adjusted: [],
  };
  const { path, body: out } = anthropicProviderCodec.encodeRequest(ir, context);
  return { path, body: out, dropped: context.dropped };
}

function expectGatewayError(fn: () => unknown, status: number, messagePart: string): void {
  try {
    fn();
  } catch (error) {
    expect(isGatewayError(error)).toBe(true);
    if (isGatewayError(error)) {
      expect(error.status).toBe(status);
      expect(error.message).toContain(messagePart);
    }
    return;
  }
  throw new Error("expected a GatewayError");
}

const user = (content: unknown) => ({ role: "user", content });

describe("OpenAI request → Anthropic request", () => {
  test("path, upstream model, default max_tokens, system string", () => {
    const { path, body } = translate({ messages: [{ role: "system", content: "Be brief." }, user("Hi")] });
    expect(path).toBe("/v1/messages");
    expect(body).toEqual({
      model: "claude-sonnet-4-5",
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      max_tokens: 8192,
    });
  });

  test("Claude 3 models get 4096 as the default max_tokens; a client max_tokens wins", () => {
    expect(translate({ messages: [user("x")] }, { model: "claude-3-haiku-20240307" }).body.max_tokens).toBe(
      4096,
    );
    expect(translate({ messages: [user("x")], max_tokens: 100 }).body.max_tokens).toBe(100);
    expect(
      translate({ messages: [user("x")], max_completion_tokens: 300, max_tokens: 100 }).body.max_tokens,
    ).toBe(300);
  });

  test("developer and mid-conversation system messages are hoisted into system, in order", () => {
    const { body } = translate({
      messages: [
        { role: "developer", content: "Rule 1." },
        user("Q1"),
        { role: "assistant", content: "A1" },
        { role: "system", content: [{ type: "text", text: "Rule 2." }] },
        user("Q2"),
      ],
    });
    expect(body.system).toEqual([
      { type: "text", text: "Rule 1." },
      { type: "text", text: "Rule 2." },
    ]);
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Q1" }] },
      { role: "assistant", content: [{ type: "text", text: "A1" }] },
      { role: "user", content: [{ type: "text", text: "Q2" }] },
    ]);
  });

  test("images: data URL → base64 source, https URL → url source; detail high is listed as dropped", () => {
    const { body, dropped } = translate({
      messages: [
        user([
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "high" } },
        ]),
      ],
    });
    expect((body.messages as Array<{ content: unknown }>)[0]?.content).toEqual([
      { type: "text", text: "What is this?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
    expect(dropped).toEqual(["image_url.detail"]);
  });

  test("file part with a PDF data URL → document block with base64 source and the filename as title", () => {
    const { body } = translate({
      messages: [
        user([
          {
            type: "file",
            file: { filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
          },
        ]),
      ],
    });
    expect((body.messages as Array<{ content: unknown }>)[0]?.content).toEqual([
      {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
        title: "report.pdf",
      },
    ]);
  });

  test("an OpenAI file_id cannot be used by Anthropic: 400 naming the field and provider", () => {
    expectGatewayError(
      () => translate({ messages: [user([{ type: "file", file: { file_id: "file-abc" } }])] }),
      400,
      "provider 'anthropic'",
    );
  });

  test("tools, named tool_choice, parallel_tool_calls false → disable_parallel_tool_use", () => {
    const { body } = translate({
      messages: [user("weather?")],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Weather by city",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: false,
    });
    expect(body.tools).toEqual([
      {
        name: "get_weather",
        description: "Weather by city",
        input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    ]);
    expect(body.tool_choice).toEqual({ type: "tool", name: "get_weather", disable_parallel_tool_use: true });
  });

  test("tool_choice auto/none/required → auto/none/any", () => {
    const tools = [{ type: "function", function: { name: "f", parameters: { type: "object" } } }];
    const choice = (tc: unknown) =>
      translate({ messages: [user("x")], tools, tool_choice: tc }).body.tool_choice;
    expect(choice("auto")).toEqual({ type: "auto" });
    expect(choice("none")).toEqual({ type: "none" });
    expect(choice("required")).toEqual({ type: "any" });
  });

  test("a tool loop: tool_calls → tool_use (parsed input), consecutive tool messages + the next user message → ONE user turn, tool_results first", () => {
    const { body } = translate({
      messages: [
        user("weather in Paris and Rome?"),
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
            {
              id: "call_2",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "18C" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "25C" }] },
        user("and now?"),
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "weather in Paris and Rome?" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: [{ type: "text", text: "18C" }] },
          { type: "tool_result", tool_use_id: "call_2", content: [{ type: "text", text: "25C" }] },
          { type: "text", text: "and now?" },
        ],
      },
    ]);
  });

  test("tool call ids with characters Anthropic refuses are rewritten the same way on both sides", () => {
    const { body } = translate({
      messages: [
        user("x"),
        {
          role: "assistant",
          tool_calls: [{ id: "call:1/a", type: "function", function: { name: "f", arguments: "" } }],
        },
        { role: "tool", tool_call_id: "call:1/a", content: "ok", is_error: true },
      ],
    });
    const messages = body.messages as Array<{ content: Array<Record<string, unknown>> }>;
    expect(messages[1]?.content[0]).toEqual({ type: "tool_use", id: "call_1_a", name: "f", input: {} });
    expect(messages[2]?.content[0]).toEqual({
      type: "tool_result",
      tool_use_id: "call_1_a",
      content: [{ type: "text", text: "ok" }],
      is_error: true,
    });
  });

  test("consecutive same-role messages are merged (Anthropic requires alternation); empty assistant text left out", () => {
    const { body } = translate({
      messages: [
        user("a"),
        user("b"),
        { role: "assistant", content: "" },
        { role: "assistant", content: "c" },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "c" }] },
    ]);
  });

  test("sampling: temperature above 1 is clamped to 1; top_p, stop → stop_sequences, user → metadata.user_id", () => {
    const { body } = translate({
      messages: [user("x")],
      temperature: 1.6,
      top_p: 0.9,
      stop: "END",
      user: "u-1",
    });
    expect(body.temperature).toBe(1);
    expect(body.top_p).toBe(0.9);
    expect(body.stop_sequences).toEqual(["END"]);
    expect(body.metadata).toEqual({ user_id: "u-1" });
    expect(translate({ messages: [user("x")], temperature: 0.3 }).body.temperature).toBe(0.3);
  });

  test("top_k sent by an OpenAI client as an extension is honoured", () => {
    expect(translate({ messages: [user("x")], top_k: 40 }).body.top_k).toBe(40);
  });

  test.each([
    ["minimal", 1024],
    ["low", 2048],
    ["medium", 8192],
    ["high", 16384],
    ["xhigh", 24576],
  ])(
    "reasoning_effort %s → thinking enabled with budget %d, max_tokens = budget + default",
    (effort, budget) => {
      const { body } = translate({ messages: [user("x")], reasoning_effort: effort });
      expect(body.thinking).toEqual({ type: "enabled", budget_tokens: budget });
      expect(body.max_tokens).toBe(budget + 8192);
    },
  );

  test("reasoning_effort none → no thinking", () => {
    const { body } = translate({ messages: [user("x")], reasoning_effort: "none" });
    expect(body.thinking).toBeUndefined();
    expect(body.max_tokens).toBe(8192);
  });

  test("max_tokens vs budget: above the budget kept; at or below raised to budget + limit", () => {
    expect(
      translate({ messages: [user("x")], reasoning_effort: "low", max_completion_tokens: 10000 }).body
        .max_tokens,
    ).toBe(10000);
    expect(
      translate({ messages: [user("x")], reasoning_effort: "low", max_completion_tokens: 500 }).body
        .max_tokens,
    ).toBe(2548);
    expect(
      translate({ messages: [user("x")], reasoning_effort: "low", max_completion_tokens: 2048 }).body
        .max_tokens,
    ).toBe(4096);
  });

  test("a raised max_tokens is clamped to the model's output cap (Opus 4.1: 32000), the budget shrunk to fit", () => {
    const opus41 = { model: "claude-opus-4-1-20250805" };
    expect(translate({ messages: [user("x")], reasoning_effort: "xhigh" }, opus41).body).toMatchObject({
      max_tokens: 32000,
      thinking: { type: "enabled", budget_tokens: 24576 },
    });
    expect(translate({ messages: [user("x")], reasoning: { max_tokens: 40000 } }, opus41).body).toMatchObject(
      {
        max_tokens: 32000,
        thinking: { type: "enabled", budget_tokens: 30976 },
      },
    );
    // A later model has room: nothing clamped.
    expect(
      translate({ messages: [user("x")], reasoning_effort: "xhigh" }, { model: "claude-opus-4-5" }).body
        .max_tokens,
    ).toBe(32768);
    // A client's own max_tokens is never clamped.
    expect(translate({ messages: [user("x")], max_tokens: 50000 }, opus41).body.max_tokens).toBe(50000);
  });

  test("OpenRouter-style reasoning.max_tokens is a budget (floored at 1024)", () => {
    expect(translate({ messages: [user("x")], reasoning: { max_tokens: 3000 } }).body.thinking).toEqual({
      type: "enabled",
      budget_tokens: 3000,
    });
    expect(translate({ messages: [user("x")], reasoning: { max_tokens: 100 } }).body.thinking).toEqual({
      type: "enabled",
      budget_tokens: 1024,
    });
  });

  test("thinking on: temperature ≠ 1 and top_k are dropped and listed (Anthropic refuses them with thinking)", () => {
    const { body, dropped } = translate({
      messages: [user("x")],
      reasoning_effort: "low",
      temperature: 0.2,
      top_k: 5,
    });
    expect(body.temperature).toBeUndefined();
    expect(body.top_k).toBeUndefined();
    expect(dropped).toEqual(["temperature", "top_k"]);
  });

  test("thinking with a forced tool choice: thinking dropped and listed, tool choice kept", () => {
    const { body, dropped } = translate({
      messages: [user("x")],
      reasoning_effort: "high",
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
      tool_choice: "required",
    });
    expect(body.thinking).toBeUndefined();
    expect(body.tool_choice).toEqual({ type: "any" });
    expect(dropped).toEqual(["reasoning_effort"]);
  });

  test("tool loop whose assistant turn came back without reasoning_details: thinking dropped and listed (Anthropic would 400)", () => {
    const loop = [
      user("q"),
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "r" },
    ];
    const without = translate({ messages: loop, reasoning_effort: "low" });
    expect(without.body.thinking).toBeUndefined();
    expect(without.dropped).toEqual(["reasoning_effort"]);
    const withStash = translate({
      messages: [
        loop[0],
        { ...loop[1], reasoning_details: [{ type: "reasoning.text", text: "t", signature: "S", index: 0 }] },
        loop[2],
      ],
      reasoning_effort: "low",
    });
    expect(withStash.body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(withStash.dropped).toEqual([]);
  });

  test("Gemini thought signatures stashed in reasoning_details are not sent to Anthropic (it would refuse them)", () => {
    const { body, dropped } = translate({
      messages: [
        user("q"),
        {
          role: "assistant",
          content: "a",
          reasoning_details: [
            { type: "reasoning.text", text: "", signature: "gemini:call:call_1:QUJD", index: 0 },
            { type: "reasoning.text", text: "real", signature: "EoQD", index: 1 },
          ],
        },
        user("q2"),
      ],
    });
    expect((body.messages as Array<{ content: unknown }>)[1]?.content).toEqual([
      { type: "thinking", thinking: "real", signature: "EoQD" },
      { type: "text", text: "a" },
    ]);
    expect(dropped).toEqual([]);
  });

  test("response_format json_schema → output_config.format", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: false,
    };
    const { body } = translate({
      messages: [user("x")],
      response_format: { type: "json_schema", json_schema: { name: "thing", schema, strict: true } },
    });
    expect(body.output_config).toEqual({ format: { type: "json_schema", schema } });
  });

  test("response_format json_object: emulated with a system instruction and listed as dropped; 400 in strict mode", () => {
    const { body, dropped } = translate({
      messages: [{ role: "system", content: "S" }, user("x")],
      response_format: { type: "json_object" },
    });
    expect(body.system).toEqual([
      { type: "text", text: "S" },
      { type: "text", text: "Respond with a single valid JSON object and nothing else." },
    ]);
    expect(dropped).toEqual(["response_format"]);
    expectGatewayError(
      () => translate({ messages: [user("x")], response_format: { type: "json_object" } }, { strict: true }),
      400,
      "response_format",
    );
  });

  test("drop policy: seed, penalties, logprobs, store dropped and listed; n>1 and logit_bias are 400s", () => {
    const { dropped, body } = translate({
      messages: [user("x")],
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: 0.1,
      logprobs: true,
      store: false,
      prompt_cache_key: "k",
    });
    expect(dropped.sort()).toEqual([
      "frequency_penalty",
      "logprobs",
      "presence_penalty",
      "prompt_cache_key",
      "seed",
      "store",
    ]);
    expect(body.seed).toBeUndefined();
    expect(body.logprobs).toBeUndefined();
    expectGatewayError(
      () => translate({ messages: [user("x")], n: 2 }),
      400,
      "'n' is not supported by provider 'anthropic'",
    );
    expectGatewayError(
      () => translate({ messages: [user("x")], logit_bias: { "50256": -100 } }),
      400,
      "logit_bias",
    );
    expect(translate({ messages: [user("x")], n: 1 }).dropped).toEqual([]);
  });

  test("strict mode: any drop is a 400 naming the field and the provider", () => {
    expectGatewayError(
      () => translate({ messages: [user("x")], seed: 1 }, { strict: true }),
      400,
      "'seed' is not supported by provider 'anthropic'",
    );
  });

  test("cache_control on OpenAI content parts (extension) is carried to Anthropic", () => {
    const { body } = translate({
      messages: [
        { role: "system", content: [{ type: "text", text: "long", cache_control: { type: "ephemeral" } }] },
        user([{ type: "text", text: "q", cache_control: { type: "ephemeral", ttl: "1h" } }]),
      ],
    });
    expect(body.system).toEqual([{ type: "text", text: "long", cache_control: { type: "ephemeral" } }]);
    expect((body.messages as Array<{ content: unknown }>)[0]?.content).toEqual([
      { type: "text", text: "q", cache_control: { type: "ephemeral", ttl: "1h" } },
    ]);
  });

  test("stream: true is forwarded", () => {
    expect(
      translate({ messages: [user("x")], stream: true, stream_options: { include_usage: true } }).body.stream,
    ).toBe(true);
  });

  test("audio input and non-function tools are refused with 400s", () => {
    expectGatewayError(
      () =>
        translate({ messages: [user([{ type: "input_audio", input_audio: { data: "x", format: "wav" } }])] }),
      400,
      "audio",
    );
    expectGatewayError(
      () => translate({ messages: [user("x")], tools: [{ type: "custom", custom: { name: "g" } }] }),
      400,
      "function tools",
    );
  });
});
