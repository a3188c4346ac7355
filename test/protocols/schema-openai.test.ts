import { describe, expect, test } from "bun:test";
import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import { validateOpenAIChatRequest as validate } from "../../src/protocols/validate.ts";
import { readFixture } from "../support/fixtures.ts";
import { expectInvalid } from "./schema-helpers.ts";

// Typed with the official SDK's params so tsc proves each example is a request OpenAI defines.
const everyRole: ChatCompletionCreateParams = {
  model: "gpt-5.4",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "developer", content: [{ type: "text", text: "Answer in French." }], name: "dev" },
    {
      role: "user",
      content: [
        { type: "text", text: "What is in this image and this file?" },
        { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "high" } },
        { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
        { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
        { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" } },
        { type: "file", file: { file_id: "file-abc" } },
      ],
      name: "alice",
    },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "call_2", type: "custom", custom: { name: "sql", input: "SELECT 1" } },
      ],
    },
    { role: "tool", tool_call_id: "call_1", content: "18C and sunny" },
    { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "1" }] },
    {
      role: "assistant",
      content: [
        { type: "text", text: "Hi" },
        { type: "refusal", refusal: "No." },
      ],
      refusal: null,
    },
    { role: "function", name: "legacy_fn", content: null },
    {
      role: "assistant",
      content: "Sure.",
      audio: { id: "audio_1" },
      function_call: { name: "f", arguments: "{}" },
    },
  ],
};

const everyParameter: ChatCompletionCreateParams = {
  model: "gpt-5.4",
  messages: [{ role: "user", content: "hi" }],
  audio: { format: "mp3", voice: "alloy" },
  frequency_penalty: -2,
  presence_penalty: 2,
  logit_bias: { "50256": -100 },
  logprobs: true,
  top_logprobs: 20,
  max_completion_tokens: 1024,
  max_tokens: 1,
  metadata: { team: "ml" },
  modalities: ["text", "audio"],
  n: 2,
  parallel_tool_calls: false,
  prediction: { type: "content", content: "predicted" },
  prompt_cache_key: "k1",
  prompt_cache_retention: "24h",
  reasoning_effort: "xhigh",
  response_format: {
    type: "json_schema",
    json_schema: { name: "out", schema: { type: "object", properties: {} }, strict: true },
  },
  safety_identifier: "user-hash",
  seed: 42,
  service_tier: "flex",
  stop: ["\n\n", "END"],
  store: false,
  stream: true,
  stream_options: { include_usage: true, include_obfuscation: false },
  temperature: 0,
  tool_choice: { type: "function", function: { name: "get_weather" } },
  tools: [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Weather",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        strict: true,
      },
    },
    { type: "custom", custom: { name: "sql", description: "Run SQL", format: { type: "text" } } },
  ],
  top_p: 1,
  user: "u-1",
  verbosity: "low",
  web_search_options: {
    search_context_size: "medium",
    user_location: { type: "approximate", approximate: { city: "Paris", country: "FR" } },
  },
};

const base = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };

describe("valid OpenAI requests pass", () => {
  test("every message role and content part type", () => {
    expect(validate(everyRole)).toBe(everyRole);
  });

  test("every documented parameter at its limits", () => {
    expect(validate(everyParameter)).toBe(everyParameter);
  });

  test("tool_choice forms, response_format forms, stop string, nulls where the API allows them", () => {
    for (const tool_choice of [
      "none",
      "auto",
      "required",
      { type: "custom", custom: { name: "sql" } },
      {
        type: "allowed_tools",
        allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "f" } }] },
      },
    ]) {
      validate({ ...base, tool_choice });
    }
    for (const response_format of [{ type: "text" }, { type: "json_object" }])
      validate({ ...base, response_format });
    for (const reasoning_effort of ["none", "minimal", "low", "medium", "high", "xhigh", null]) {
      validate({ ...base, reasoning_effort });
    }
    validate({
      ...base,
      stop: "END",
      temperature: null,
      max_tokens: null,
      stream: null,
      seed: null,
      top_p: null,
    });
  });

  test("gateway controls: provider as a name or order/only/ignore, fallbacks", () => {
    validate({ ...base, provider: "openai", fallbacks: ["smart", "anthropic/claude-sonnet-4-6"] });
    validate({ ...base, provider: { order: ["a", "b"], only: ["a"], ignore: ["c"] } });
  });

  test("assistant turns exactly as providers returned them can be sent back", () => {
    const files = [
      "openai/gomodel-chat_with_tools.json",
      "openai/gomodel-chat_completion.json",
      "openai/gomodel-chat_completion_reasoning.json",
      "openai/openai-node-chat-completion-structured-output-basic.json",
      "groq/gomodel-chat_with_tools.json",
      "gemini/gomodel-openai-compat-chat_with_tools.json",
      "other/kimi-chat_completion.json",
      "other/kimi-chat_with_tools.json",
    ];
    for (const file of files) {
      const message = JSON.parse(readFixture(file)).choices[0].message;
      const body = { ...base, messages: [...base.messages, message, { role: "user", content: "thanks" }] };
      expect(validate(body) as unknown).toBe(body);
    }
  });

  test("unknown fields anywhere are kept, not stripped, and extension part types pass", () => {
    const body = {
      ...base,
      messages: [
        { role: "user", content: [{ type: "video_url", video_url: { url: "https://x/v.mp4" } }], extra: 1 },
        { role: "assistant", content: "a", reasoning_content: "because" },
      ],
      reasoning: { effort: "high" },
      top_k: 40,
      provider: { order: ["groq"], allow_fallbacks: false },
    };
    const snapshot = structuredClone(body);
    const out = validate(body);
    expect(out as unknown).toBe(body);
    expect(body).toEqual(snapshot);
  });
});

describe("invalid OpenAI requests name the field", () => {
  const messagesWith = (message: unknown) => ({ ...base, messages: [message] });

  test("content of the wrong kind", () => {
    expectInvalid(validate, messagesWith({ role: "user", content: 5 }), {
      param: "messages[0].content",
      detail: "Expected string or array",
    });
  });

  test("unknown role", () => {
    expectInvalid(validate, messagesWith({ role: "robot", content: "x" }), {
      param: "messages[0].role",
      detail:
        "Invalid value 'robot'; expected one of 'system', 'developer', 'user', 'assistant', 'tool', 'function'",
    });
  });

  test("missing role, model, messages; empty messages", () => {
    expectInvalid(validate, messagesWith({ content: "x" }), {
      param: "messages[0].role",
      detail: "Field required",
    });
    expectInvalid(validate, { messages: base.messages }, { param: "model", detail: "Field required" });
    expectInvalid(validate, { model: "m" }, { param: "messages", detail: "Field required" });
    expectInvalid(
      validate,
      { model: "m", messages: [] },
      { param: "messages", detail: "Expected at least 1 item" },
    );
  });

  test("a known part type with a missing member is reported inside that part", () => {
    expectInvalid(
      validate,
      messagesWith({
        role: "user",
        content: [
          { type: "text", text: "a" },
          { type: "image_url", image_url: {} },
        ],
      }),
      {
        param: "messages[0].content[1].image_url.url",
        detail: "Field required",
      },
    );
    expectInvalid(
      validate,
      messagesWith({ role: "system", content: [{ type: "image_url", image_url: { url: "u" } }] }),
      {
        param: "messages[0].content[0].type",
        detail: "Invalid value 'image_url'; expected one of 'text'",
      },
    );
  });

  test("tool messages need tool_call_id; tool call arguments must be a string", () => {
    expectInvalid(validate, messagesWith({ role: "tool", content: "x" }), {
      param: "messages[0].tool_call_id",
      detail: "Field required",
    });
    expectInvalid(
      validate,
      messagesWith({
        role: "assistant",
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: { a: 1 } } }],
      }),
      { param: "messages[0].tool_calls[0].function.arguments", detail: "Expected string" },
    );
  });

  test("ranges: temperature, top_p, penalties, max tokens, n, top_logprobs, logit_bias", () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ temperature: 2.5 }, "temperature", "Must be less than or equal to 2"],
      [{ temperature: -0.1 }, "temperature", "Must be greater than or equal to 0"],
      [{ top_p: 1.5 }, "top_p", "Must be less than or equal to 1"],
      [{ presence_penalty: -3 }, "presence_penalty", "Must be greater than or equal to -2"],
      [{ frequency_penalty: 2.1 }, "frequency_penalty", "Must be less than or equal to 2"],
      [{ max_tokens: 0 }, "max_tokens", "Must be greater than or equal to 1"],
      [{ max_completion_tokens: 0 }, "max_completion_tokens", "Must be greater than or equal to 1"],
      [{ max_tokens: 10.5 }, "max_tokens", "Expected an integer"],
      [{ max_tokens: "100" }, "max_tokens", "Expected integer or null"],
      [{ n: 0 }, "n", "Must be greater than or equal to 1"],
      [{ top_logprobs: 21 }, "top_logprobs", "Must be less than or equal to 20"],
      [{ logit_bias: { "42": 101 } }, "logit_bias[42]", "Must be less than or equal to 100"],
    ];
    for (const [extra, param, detail] of cases)
      expectInvalid(validate, { ...base, ...extra }, { param, detail });
  });

  test("enumerations: reasoning_effort, verbosity, modalities, tool_choice, response_format", () => {
    expectInvalid(
      validate,
      { ...base, reasoning_effort: "extreme" },
      {
        param: "reasoning_effort",
        detail:
          /^Invalid value 'extreme'; expected one of 'none', 'minimal', 'low', 'medium', 'high', 'xhigh'/,
      },
    );
    expectInvalid(
      validate,
      { ...base, verbosity: "loud" },
      { param: "verbosity", detail: /^Invalid value 'loud'/ },
    );
    expectInvalid(
      validate,
      { ...base, modalities: ["text", "video"] },
      { param: "modalities[1]", detail: /^Invalid value 'video'/ },
    );
    expectInvalid(
      validate,
      { ...base, tool_choice: "sometimes" },
      { param: "tool_choice", detail: "Expected 'none', 'auto', 'required' or object" },
    );
    expectInvalid(
      validate,
      { ...base, tool_choice: { type: "function", function: {} } },
      { param: "tool_choice.function.name", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { ...base, response_format: { type: "yaml" } },
      {
        param: "response_format.type",
        detail: "Invalid value 'yaml'; expected one of 'text', 'json_object', 'json_schema'",
      },
    );
    expectInvalid(
      validate,
      { ...base, response_format: { type: "json_schema", json_schema: { schema: {} } } },
      { param: "response_format.json_schema.name", detail: "Field required" },
    );
  });

  test("stop, stream, tools, stream_options", () => {
    expectInvalid(
      validate,
      { ...base, stop: 5 },
      { param: "stop", detail: "Expected string, array or null" },
    );
    expectInvalid(validate, { ...base, stop: ["a", 5] }, { param: "stop[1]", detail: "Expected string" });
    expectInvalid(
      validate,
      { ...base, stream: "yes" },
      { param: "stream", detail: "Expected boolean or null" },
    );
    expectInvalid(
      validate,
      { ...base, tools: [{ type: "function", function: { parameters: {} } }] },
      { param: "tools[0].function.name", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { ...base, tools: [{ type: "retrieval" }] },
      { param: "tools[0].type", detail: "Invalid value 'retrieval'; expected one of 'function', 'custom'" },
    );
    expectInvalid(
      validate,
      { ...base, stream_options: { include_usage: "yes" } },
      { param: "stream_options.include_usage", detail: "Expected boolean" },
    );
  });

  test("gateway controls", () => {
    expectInvalid(
      validate,
      { ...base, provider: 5 },
      { param: "provider", detail: "Expected string or object" },
    );
    expectInvalid(
      validate,
      { ...base, provider: { only: "openai" } },
      { param: "provider.only", detail: "Expected array" },
    );
    expectInvalid(
      validate,
      { ...base, fallbacks: "smart" },
      { param: "fallbacks", detail: "Expected array" },
    );
    expectInvalid(
      validate,
      { ...base, fallbacks: ["a", 1] },
      { param: "fallbacks[1]", detail: "Expected string" },
    );
  });

  test("a body that is not an object", () => {
    for (const body of [[], "x", 1, null]) {
      expect(() => validate(body)).toThrow("Request body must be a JSON object");
    }
  });
});
