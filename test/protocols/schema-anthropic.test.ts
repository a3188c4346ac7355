import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import type { MessageCountTokensParams, MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";
import {
  validateAnthropicMessagesRequest as validate,
  validateAnthropicCountTokensRequest as validateCount,
} from "../../src/protocols/validate.ts";
import { fixturesDir, readFixture, recordedInteractions } from "../support/fixtures.ts";
import { expectInvalid } from "./schema-helpers.ts";

const cache = { type: "ephemeral", ttl: "1h" } as const;

// Typed with the official SDK's params so tsc proves each example is a request Anthropic defines.
const everyBlock: MessageCreateParams = {
  model: "claude-sonnet-4-6",
  max_tokens: 1024,
  system: [{ type: "text", text: "You are terse.", cache_control: cache }],
  messages: [
    {
      role: "user",
      content: [
        { type: "text", text: "Look:", cache_control: { type: "ephemeral" } },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
        { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
        { type: "image", source: { type: "file", file_id: "file_1" } },
        { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
        {
          type: "document",
          source: { type: "text", media_type: "text/plain", data: "plain" },
          title: "t",
          context: "c",
          citations: { enabled: true },
        },
        { type: "document", source: { type: "content", content: [{ type: "text", text: "chunk" }] } },
        { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } },
        { type: "document", source: { type: "file", file_id: "file_2" } },
        {
          type: "search_result",
          source: "https://example.com",
          title: "Result",
          content: [{ type: "text", text: "found" }],
          citations: { enabled: true },
        },
        { type: "container_upload", file_id: "file_3" },
      ],
    },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Let me think.", signature: "sig==" },
        { type: "redacted_thinking", data: "opaque" },
        { type: "text", text: "Checking." },
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
        { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "paris" } },
        {
          type: "web_search_tool_result",
          tool_use_id: "srvtoolu_1",
          content: [{ type: "web_search_result", url: "https://x", title: "X", encrypted_content: "e" }],
        },
      ],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: "18C" },
        {
          type: "tool_result",
          tool_use_id: "toolu_2",
          is_error: true,
          content: [
            { type: "text", text: "failed" },
            { type: "image", source: { type: "url", url: "https://x/e.png" } },
          ],
        },
      ],
    },
  ],
};

const everyParameter: MessageCreateParams = {
  model: "claude-opus-4-8",
  max_tokens: 4096,
  messages: [{ role: "user", content: "hi" }],
  system: "Be brief.",
  metadata: { user_id: "u-1" },
  stop_sequences: ["END"],
  stream: true,
  thinking: { type: "enabled", budget_tokens: 1024 },
  tool_choice: { type: "tool", name: "get_weather", disable_parallel_tool_use: true },
  tools: [
    {
      name: "get_weather",
      description: "Weather",
      input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      cache_control: { type: "ephemeral" },
    },
    { type: "web_search_20250305", name: "web_search", max_uses: 3 },
    { type: "bash_20250124", name: "bash" },
  ],
  output_config: { effort: "high", format: { type: "json_schema", schema: { type: "object" } } },
  service_tier: "auto",
  container: "container_1",
  cache_control: { type: "ephemeral" },
};

const base = { model: "claude-sonnet-4-6", max_tokens: 100, messages: [{ role: "user", content: "hi" }] };

describe("valid Anthropic requests pass", () => {
  test("every content block type", () => {
    expect(validate(everyBlock)).toBe(everyBlock);
  });

  test("every documented parameter, plus sampling and beta fields", () => {
    expect(validate(everyParameter)).toBe(everyParameter);
    validate({
      ...base,
      temperature: 1,
      top_p: 0.9,
      top_k: 1,
      output_format: { type: "json_schema", schema: { type: "object" } },
      mcp_servers: [{ type: "url", url: "https://mcp.example.com", name: "ex", authorization_token: "t" }],
      context_management: { edits: [{ type: "clear_tool_uses_20250919" }] },
      container: { id: "c1", skills: [{ type: "anthropic", skill_id: "pptx" }] },
    });
  });

  test("thinking, tool_choice and system forms; a mid-conversation system turn; max_tokens 1", () => {
    for (const thinking of [
      { type: "disabled" },
      { type: "adaptive" },
      { type: "enabled", budget_tokens: 2048 },
    ]) {
      validate({ ...base, thinking });
    }
    for (const tool_choice of [
      { type: "auto" },
      { type: "any", disable_parallel_tool_use: true },
      { type: "none" },
    ]) {
      validate({ ...base, tool_choice });
    }
    validate({ ...base, system: [{ type: "text", text: "a" }] });
    validate({
      ...base,
      messages: [
        { role: "user", content: "a" },
        { role: "system", content: "Now answer in French." },
        { role: "user", content: "b" },
      ],
    });
    validate({ ...base, max_tokens: 1 });
  });

  test("every request body recorded in the fixtures (SDK cassettes, nock) passes", () => {
    let count = 0;
    for (const file of readdirSync(`${fixturesDir()}anthropic`)) {
      if (!file.endsWith(".json") || file.startsWith("gomodel-")) continue;
      for (const ix of recordedInteractions(`anthropic/${file}`)) {
        if (!ix.url.startsWith("/v1/messages")) continue;
        const body = typeof ix.requestBody === "string" ? JSON.parse(ix.requestBody) : ix.requestBody;
        expect(validate(body) as unknown).toBe(body);
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(30);
  });

  test("assistant turns exactly as Anthropic returned them can be sent back", () => {
    const files = [
      "anthropic/gomodel-messages_extended_thinking.json",
      "anthropic/gomodel-messages_with_tools.json",
      "anthropic/gomodel-messages_multimodal.json",
    ];
    for (const file of files) {
      const { content } = JSON.parse(readFixture(file));
      const body = { ...base, messages: [...base.messages, { role: "assistant", content }] };
      expect(validate(body) as unknown).toBe(body);
    }
    // Server tool blocks with `caller`, web_search results, code execution results.
    for (const file of [
      "sdkpy-cassette-tools-web-search-server-tool.json",
      "sdkpy-cassette-tools-code-execution-server-tool-and-container.json",
    ]) {
      for (const ix of recordedInteractions(`anthropic/${file}`)) {
        const response = JSON.parse(ix.bodyText);
        if (!Array.isArray(response.content)) continue;
        validate({ ...base, messages: [...base.messages, { role: "assistant", content: response.content }] });
      }
    }
  });

  test("unknown fields and future block and tool types are kept, not stripped", () => {
    const body = {
      ...base,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "x", future_flag: true },
            { type: "tool_reference", tool_name: "t" },
          ],
        },
      ],
      tools: [{ type: "memory_20250818", name: "memory" }],
      inference_geo: "eu",
      speed: "fast",
    };
    const snapshot = structuredClone(body);
    expect(validate(body) as unknown).toBe(body);
    expect(body).toEqual(snapshot);
  });

  test("count_tokens: SDK-typed body passes, max_tokens not needed", () => {
    const body: MessageCountTokensParams = {
      model: "claude-sonnet-4-6",
      messages: [{ role: "user", content: "hi" }],
      system: "s",
      tools: [{ name: "t", input_schema: { type: "object" } }],
      tool_choice: { type: "auto" },
      thinking: { type: "enabled", budget_tokens: 1024 },
    };
    expect(validateCount(body) as unknown).toBe(body);
  });
});

describe("invalid Anthropic requests name the field, in Anthropic's dotted path style", () => {
  const withContent = (content: unknown) => ({ ...base, messages: [{ role: "user", content }] });

  test("required fields", () => {
    expectInvalid(
      validate,
      { model: "m", messages: base.messages },
      { param: "max_tokens", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { max_tokens: 1, messages: base.messages },
      { param: "model", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { ...base, messages: [] },
      { param: "messages", detail: "Expected at least 1 item" },
    );
    expectInvalid(validateCount, { model: "m" }, { param: "messages", detail: "Field required" });
    // As Anthropic does, a missing max_tokens is reported before other problems.
    expectInvalid(validate, { model: "m", messages: [] }, { param: "max_tokens", detail: "Field required" });
  });

  test("content of the wrong kind, wrong role", () => {
    expectInvalid(validate, withContent(1), {
      param: "messages[0].content",
      path: "messages.0.content",
      detail: "Expected string or array",
    });
    expectInvalid(
      validate,
      { ...base, messages: [{ role: "bot", content: "x" }] },
      {
        param: "messages[0].role",
        path: "messages.0.role",
        detail: "Invalid value 'bot'; expected one of 'user', 'assistant', 'system'",
      },
    );
  });

  test("blocks: missing type, missing members of known types", () => {
    expectInvalid(validate, withContent([{ text: "x" }]), {
      param: "messages[0].content[0].type",
      path: "messages.0.content.0.type",
      detail: "Field required",
    });
    expectInvalid(validate, withContent([{ type: "text" }]), {
      param: "messages[0].content[0].text",
      path: "messages.0.content.0.text",
      detail: "Field required",
    });
    expectInvalid(
      validate,
      withContent([{ type: "image", source: { type: "base64", media_type: "image/png" } }]),
      {
        param: "messages[0].content[0].source.data",
        path: "messages.0.content.0.source.data",
        detail: "Field required",
      },
    );
    expectInvalid(validate, withContent([{ type: "image", source: { type: "path", path: "/etc/x" } }]), {
      param: "messages[0].content[0].source.type",
      path: "messages.0.content.0.source.type",
      detail: "Invalid value 'path'; expected one of 'base64', 'url', 'file'",
    });
    // A source given as a URL string (as GoModel's schema allows) says which shapes are expected.
    expectInvalid(validate, withContent([{ type: "image", source: "https://example.com/cat.png" }]), {
      param: "messages[0].content[0].source",
      path: "messages.0.content.0.source",
      detail:
        'Expected an object such as {type: "base64", media_type, data}, {type: "url", url} or {type: "file", file_id}, not a string',
    });
    expectInvalid(validate, withContent([{ type: "document", source: "JVBERi0=" }]), {
      param: "messages[0].content[0].source",
      path: "messages.0.content.0.source",
      detail:
        'Expected an object such as {type: "base64", media_type, data}, {type: "text", media_type, data}, {type: "content", content}, {type: "url", url} or {type: "file", file_id}, not a string',
    });
    expectInvalid(validate, withContent([{ type: "tool_use", id: "t", name: "f", input: "{}" }]), {
      param: "messages[0].content[0].input",
      path: "messages.0.content.0.input",
      detail: "Expected object",
    });
    expectInvalid(validate, withContent([{ type: "thinking", thinking: "hm" }]), {
      param: "messages[0].content[0].signature",
      path: "messages.0.content.0.signature",
      detail: "Field required",
    });
  });

  test("tool_result: content blocks and is_error", () => {
    expectInvalid(
      validate,
      withContent([{ type: "tool_result", tool_use_id: "t", content: [{ type: "text", text: 1 }] }]),
      {
        param: "messages[0].content[0].content[0].text",
        path: "messages.0.content.0.content.0.text",
        detail: "Expected string",
      },
    );
    expectInvalid(validate, withContent([{ type: "tool_result", tool_use_id: "t", is_error: "yes" }]), {
      param: "messages[0].content[0].is_error",
      path: "messages.0.content.0.is_error",
      detail: "Expected boolean",
    });
    expectInvalid(validate, withContent([{ type: "tool_result", content: "x" }]), {
      param: "messages[0].content[0].tool_use_id",
      path: "messages.0.content.0.tool_use_id",
      detail: "Field required",
    });
  });

  test("system, tools, tool_choice", () => {
    expectInvalid(validate, { ...base, system: 4 }, { param: "system", detail: "Expected string or array" });
    expectInvalid(
      validate,
      { ...base, system: [{ type: "text" }] },
      { param: "system[0].text", path: "system.0.text", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { ...base, tools: [{ name: "f" }] },
      { param: "tools[0].input_schema", path: "tools.0.input_schema", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { ...base, tools: [{ type: "custom", name: "f" }] },
      { param: "tools[0].input_schema", path: "tools.0.input_schema", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { ...base, tools: [{ name: "f", input_schema: { type: "array" } }] },
      {
        param: "tools[0].input_schema.type",
        path: "tools.0.input_schema.type",
        detail: "Invalid value 'array'; expected one of 'object'",
      },
    );
    expectInvalid(
      validate,
      { ...base, tool_choice: { type: "tool" } },
      { param: "tool_choice.name", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { ...base, tool_choice: { type: "required" } },
      {
        param: "tool_choice.type",
        detail: "Invalid value 'required'; expected one of 'auto', 'any', 'tool', 'none'",
      },
    );
  });

  test("thinking and output_config", () => {
    expectInvalid(
      validate,
      { ...base, thinking: { type: "enabled", budget_tokens: 1000 } },
      { param: "thinking.budget_tokens", detail: "Must be greater than or equal to 1024" },
    );
    expectInvalid(
      validate,
      { ...base, thinking: { type: "enabled" } },
      { param: "thinking.budget_tokens", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { ...base, thinking: { type: "sometimes" } },
      {
        param: "thinking.type",
        detail: /^Invalid value 'sometimes'; expected one of 'enabled', 'disabled', 'adaptive'/,
      },
    );
    expectInvalid(
      validate,
      { ...base, output_config: { effort: "extreme" } },
      { param: "output_config.effort", detail: /^Invalid value 'extreme'/ },
    );
    expectInvalid(
      validate,
      { ...base, output_config: { format: { type: "json_schema" } } },
      { param: "output_config.format.schema", detail: "Field required" },
    );
  });

  test("sampling ranges and types", () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ temperature: 1.5 }, "temperature", "Must be less than or equal to 1"],
      [{ temperature: -1 }, "temperature", "Must be greater than or equal to 0"],
      [{ top_p: 2 }, "top_p", "Must be less than or equal to 1"],
      // The reference pages' minimums: max_tokens ≥ 1, top_k ≥ 1.
      [{ top_k: 0 }, "top_k", "Must be greater than or equal to 1"],
      [{ top_k: 1.5 }, "top_k", "Expected an integer"],
      [{ max_tokens: 0 }, "max_tokens", "Must be greater than or equal to 1"],
      [{ max_tokens: -1 }, "max_tokens", "Must be greater than or equal to 1"],
      [
        { output_format: { type: "json" } },
        "output_format.type",
        "Invalid value 'json'; expected one of 'json_schema'",
      ],
      [{ max_tokens: "100" }, "max_tokens", "Expected integer"],
      [{ stop_sequences: "END" }, "stop_sequences", "Expected array"],
      [{ stream: 1 }, "stream", "Expected boolean"],
      [{ metadata: { user_id: 5 } }, "metadata.user_id", "Expected string or null"],
    ];
    for (const [extra, param, detail] of cases)
      expectInvalid(validate, { ...base, ...extra }, { param, detail });
  });

  test("gateway controls", () => {
    expectInvalid(
      validate,
      { ...base, provider: { ignore: [1] } },
      { param: "provider.ignore[0]", path: "provider.ignore.0", detail: "Expected string" },
    );
    expectInvalid(validate, { ...base, fallbacks: "x" }, { param: "fallbacks", detail: "Expected array" });
  });
});
