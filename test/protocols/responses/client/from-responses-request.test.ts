/** Responses request bodies → IR, through the real client decoder. */
import { describe, expect, test } from "bun:test";
import type {
  ResponseCreateParamsNonStreaming,
  ResponseInputItem,
} from "openai/resources/responses/responses";
import { GatewayError } from "../../../../src/errors/gateway-error.ts";
import type { EncodeContext } from "../../../../src/ir/codec.ts";
import { anthropicProviderCodec } from "../../../../src/protocols/anthropic/codec.ts";
import { geminiProviderCodec } from "../../../../src/protocols/gemini/codec.ts";
import { openAIProviderCodec } from "../../../../src/protocols/openai/codec.ts";
import { fromResponsesRequest } from "../../../../src/protocols/responses/from-responses-request.ts";
import type { Json } from "./helpers.ts";

// Typed with the official SDK's params so tsc proves each body is a request OpenAI defines.
const decode = (body: ResponseCreateParamsNonStreaming | Json) => fromResponsesRequest(body as Json);
const withInput = (input: ResponseInputItem[]) => decode({ model: "m", input });

function rejection(body: Json | ResponseCreateParamsNonStreaming): GatewayError {
  try {
    decode(body);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error("expected a 400");
}

const context = (strict = false): EncodeContext => ({ providerName: "p", strict, dropped: [], adjusted: [] });

describe("fromResponsesRequest: input", () => {
  test("string input and instructions: one user message, the system prompt, source 'responses'", () => {
    expect(decode({ model: "gpt-5", input: "Hello", instructions: "Be brief." })).toEqual({
      model: "gpt-5",
      system: [{ type: "text", text: "Be brief." }],
      messages: [{ role: "user", parts: [{ type: "text", text: "Hello" }] }],
      stream: false,
      unknown: {},
      sourceProtocol: "responses",
    });
  });

  test("every item kind: system hoisted, one assistant turn per run of assistant items, tool outputs in one user message", () => {
    const request = withInput([
      { role: "developer", content: "Use tools." },
      { type: "message", role: "user", content: "What is in these?" },
      {
        role: "user",
        content: [
          { type: "input_text", text: "Look:" },
          { type: "input_image", image_url: "https://example.com/cat.png", detail: "high" },
          { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" },
          { type: "input_image", file_id: "file-img", detail: "low" },
          { type: "input_file", file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" },
          { type: "input_file", file_id: "file-pdf" },
          { type: "input_file", file_url: "https://example.com/b.pdf" },
        ],
      },
      {
        type: "reasoning",
        id: "rs_1",
        summary: [
          { type: "summary_text", text: "First." },
          { type: "summary_text", text: "Second." },
        ],
        encrypted_content: "gAAAAB-real-openai",
      },
      {
        type: "message",
        id: "msg_1",
        role: "assistant",
        status: "completed",
        content: [
          { type: "output_text", text: "Checking.", annotations: [] },
          { type: "refusal", refusal: "Not that one." },
        ],
      },
      { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "custom_tool_call", call_id: "call_2", name: "sql", input: 'SELECT "x"' },
      { type: "function_call_output", call_id: "call_1", output: "18C" },
      {
        type: "custom_tool_call_output",
        call_id: "call_2",
        output: [
          { type: "input_text", text: "1 row" },
          { type: "input_image", image_url: "https://example.com/chart.png", detail: "auto" },
        ],
      },
      { role: "system", content: [{ type: "input_text", text: "Answer in French." }] },
      { role: "user", content: "Thanks" },
      { role: "assistant", content: "De rien." },
    ]);
    expect(request.system).toEqual([
      { type: "text", text: "Use tools." },
      { type: "text", text: "Answer in French." },
    ]);
    expect(request.messages).toEqual([
      { role: "user", parts: [{ type: "text", text: "What is in these?" }] },
      {
        role: "user",
        parts: [
          { type: "text", text: "Look:" },
          { type: "image", source: { kind: "url", url: "https://example.com/cat.png" }, detail: "high" },
          {
            type: "image",
            source: { kind: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" },
            detail: "auto",
          },
          { type: "image", source: { kind: "file_id", fileId: "file-img" }, detail: "low" },
          {
            type: "document",
            source: { kind: "base64", mediaType: "application/pdf", data: "JVBERi0=" },
            filename: "a.pdf",
          },
          { type: "document", source: { kind: "file_id", fileId: "file-pdf" } },
          { type: "document", source: { kind: "url", url: "https://example.com/b.pdf" } },
        ],
      },
      {
        role: "assistant",
        parts: [
          { type: "reasoning", text: "First.\n\nSecond.", signature: "openai:rs_1:gAAAAB-real-openai" },
          { type: "text", text: "Checking." },
          { type: "text", text: "Not that one." },
          { type: "tool_call", id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
          { type: "tool_call", id: "call_2", name: "sql", arguments: '{"input":"SELECT \\"x\\""}' },
        ],
      },
      {
        role: "user",
        parts: [
          {
            type: "tool_result",
            toolCallId: "call_1",
            name: "get_weather",
            content: [{ type: "text", text: "18C" }],
          },
          {
            type: "tool_result",
            toolCallId: "call_2",
            name: "sql",
            content: [
              { type: "text", text: "1 row" },
              {
                type: "image",
                source: { kind: "url", url: "https://example.com/chart.png" },
                detail: "auto",
              },
            ],
          },
        ],
      },
      { role: "user", parts: [{ type: "text", text: "Thanks" }] },
      { role: "assistant", parts: [{ type: "text", text: "De rien." }] },
    ]);
  });

  test("a function_call without a preceding assistant message opens the assistant turn; empty arguments read as {}", () => {
    const request = withInput([
      { role: "user", content: "hi" },
      { type: "function_call", call_id: "c1", name: "now", arguments: "" },
      { type: "function_call", call_id: "c2", name: "now", arguments: "{}" },
    ]);
    expect(request.messages[1]).toEqual({
      role: "assistant",
      parts: [
        { type: "tool_call", id: "c1", name: "now", arguments: "{}" },
        { type: "tool_call", id: "c2", name: "now", arguments: "{}" },
      ],
    });
  });
});

describe("fromResponsesRequest: reasoning items and their encrypted_content", () => {
  const reasoningOf = (encrypted: string | undefined, summary = "Thought.") =>
    withInput([
      { role: "user", content: "q" },
      {
        type: "reasoning",
        id: "rs_9",
        summary: summary ? [{ type: "summary_text", text: summary }] : [],
        ...(encrypted !== undefined ? { encrypted_content: encrypted } : {}),
      },
      { role: "assistant", content: "a" },
    ]).messages[1]?.parts[0];

  test("anthropic: → the raw Anthropic signature", () => {
    expect(reasoningOf("anthropic:EqQBCkYIBRgC")).toEqual({
      type: "reasoning",
      text: "Thought.",
      signature: "EqQBCkYIBRgC",
    });
  });

  test("anthropic:redacted: → a redacted part with its data", () => {
    expect(reasoningOf("anthropic:redacted:ENCRYPTED", "")).toEqual({
      type: "reasoning",
      text: "",
      redacted: true,
      data: "ENCRYPTED",
    });
  });

  test("gemini: and openai: marks are kept as they are (their codecs read them)", () => {
    expect(reasoningOf("gemini:call:call_0:FS")).toMatchObject({ signature: "gemini:call:call_0:FS" });
    expect(reasoningOf("gemini:text:TS")).toMatchObject({ signature: "gemini:text:TS" });
    expect(reasoningOf("openai:rs_old:gAAA")).toMatchObject({ signature: "openai:rs_old:gAAA" });
  });

  test("a real OpenAI encrypted_content is marked with its item id", () => {
    expect(reasoningOf("gAAAAABpPMlc")).toEqual({
      type: "reasoning",
      text: "Thought.",
      signature: "openai:rs_9:gAAAAABpPMlc",
    });
  });

  test("no encrypted_content: the summary text alone; nothing at all: no part", () => {
    expect(reasoningOf(undefined)).toEqual({ type: "reasoning", text: "Thought." });
    expect(reasoningOf(undefined, "")).toEqual({ type: "text", text: "a" });
  });

  test("raw reasoning_text content is the text when there is no summary", () => {
    const request = decode({
      model: "m",
      input: [
        {
          type: "reasoning",
          id: "rs_x",
          summary: [],
          content: [{ type: "reasoning_text", text: "raw thinking" }],
          status: "completed",
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: "assistant", parts: [{ type: "reasoning", text: "raw thinking" }] },
    ]);
  });
});

describe("fromResponsesRequest: untranslatable input is a 400 naming its path", () => {
  test("item_reference", () => {
    const error = rejection({
      model: "m",
      input: [
        { role: "user", content: "a" },
        { role: "assistant", content: "b" },
        { role: "user", content: "c" },
        { type: "item_reference", id: "msg_123" },
      ],
    });
    expect(error.status).toBe(400);
    expect(error.param).toBe("input[3]");
    expect(error.message).toStartWith("input[3]: an item_reference");
  });

  test("a built-in tool's call item (web_search_call)", () => {
    const error = rejection({
      model: "m",
      input: [
        { role: "user", content: "search" },
        { type: "web_search_call", id: "ws_1", status: "completed", action: { type: "search", query: "q" } },
      ],
    });
    expect(error.param).toBe("input[1]");
    expect(error.message).toBe("input[1]: 'web_search_call' items cannot be translated for this provider");
  });

  test("an image without image_url or file_id, an image in a system message, an image in an assistant message", () => {
    expect(
      rejection({ model: "m", input: [{ role: "user", content: [{ type: "input_image", detail: "auto" }] }] })
        .param,
    ).toBe("input[0].content[0]");
    expect(
      rejection({
        model: "m",
        input: [
          {
            role: "system",
            content: [{ type: "input_image", image_url: "https://x/y.png", detail: "auto" }],
          },
        ],
      }).param,
    ).toBe("input[0].content[0]");
    expect(
      rejection({
        model: "m",
        input: [
          { role: "user", content: "hi" },
          {
            role: "assistant",
            content: [{ type: "input_image", image_url: "https://x/y.png", detail: "auto" }],
          },
        ],
      }).param,
    ).toBe("input[1].content[0]");
  });

  test("an unknown content part type names its type field", () => {
    const error = rejection({
      model: "m",
      input: [{ role: "user", content: [{ type: "input_audio", data: "x" }] }],
    });
    expect(error.param).toBe("input[0].content[0].type");
  });
});

describe("fromResponsesRequest: tools and tool_choice", () => {
  test("function tools map one to one; parameters default to an empty object schema", () => {
    const request = decode({
      model: "m",
      input: "hi",
      tools: [
        {
          type: "function",
          name: "get_weather",
          description: "Weather",
          parameters: { type: "object", properties: { city: { type: "string" } } },
          strict: true,
        },
        { type: "function", name: "now", parameters: null, strict: null },
      ],
    });
    expect(request.tools).toEqual([
      {
        name: "get_weather",
        description: "Weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
        strict: true,
      },
      { name: "now", parameters: { type: "object", properties: {} } },
    ]);
  });

  test("a custom tool becomes a function of one string `input`, remembered as custom with its format", () => {
    const format = { type: "grammar", syntax: "lark", definition: "start: expr" } as const;
    const request = decode({
      model: "m",
      input: "hi",
      tools: [{ type: "custom", name: "math_exp", description: "Math", format }],
    });
    expect(request.tools).toEqual([
      {
        name: "math_exp",
        description: "Math",
        parameters: {
          type: "object",
          properties: {
            input: { type: "string", description: expect.stringContaining("lark grammar:\nstart: expr") },
          },
          required: ["input"],
          additionalProperties: false,
        },
        custom: { format },
      },
    ]);
  });

  test("built-in tools land in `unknown` as tools.<type>, and every provider encoder lists them as dropped", () => {
    const request = decode({
      model: "m",
      input: "hi",
      tools: [
        { type: "function", name: "f", parameters: {}, strict: null },
        { type: "web_search" },
        { type: "mcp", server_label: "deepwiki", server_url: "https://mcp.deepwiki.com/mcp" },
        { type: "web_search_preview" },
        { type: "mcp", server_label: "other", server_url: "https://example.com/mcp" },
      ],
    });
    expect(request.tools?.map((t) => t.name)).toEqual(["f"]);
    expect(Object.keys(request.unknown)).toEqual([
      "tools.web_search",
      "tools.mcp",
      "tools.web_search_preview",
    ]);
    expect((request.unknown["tools.mcp"] as unknown[]).length).toBe(2);
    for (const provider of [anthropicProviderCodec, openAIProviderCodec, geminiProviderCodec]) {
      const ctx = context();
      provider.encodeRequest({ ...request, model: "claude-sonnet-4-5" }, ctx);
      expect(ctx.dropped).toEqual(["tools.web_search", "tools.mcp", "tools.web_search_preview"]);
    }
    expect(() => anthropicProviderCodec.encodeRequest(request, context(true))).toThrow(
      "'tools.web_search' is not supported by provider 'p'",
    );
  });

  test("tool_choice: strings as they are, a named function or custom tool forced by name", () => {
    const choice = (tool_choice: ResponseCreateParamsNonStreaming["tool_choice"]) =>
      decode({ model: "m", input: "hi", tool_choice });
    expect(choice("required").toolChoice).toEqual({ type: "required" });
    expect(choice("none").toolChoice).toEqual({ type: "none" });
    expect(choice({ type: "function", name: "f" }).toolChoice).toEqual({ type: "tool", name: "f" });
    expect(choice({ type: "custom", name: "sql" }).toolChoice).toEqual({ type: "tool", name: "sql" });
  });

  test("tool_choice allowed_tools keeps its mode and lists the lost subset; a built-in forced by type → auto, listed", () => {
    const allowed = decode({
      model: "m",
      input: "hi",
      tool_choice: { type: "allowed_tools", mode: "required", tools: [{ type: "function", name: "f" }] },
    });
    expect(allowed.toolChoice).toEqual({ type: "required" });
    expect(allowed.unknown).toEqual({ "tool_choice.allowed_tools": [{ type: "function", name: "f" }] });
    const builtIn = decode({ model: "m", input: "hi", tool_choice: { type: "web_search_preview" } });
    expect(builtIn.toolChoice).toEqual({ type: "auto" });
    expect(builtIn.unknown).toEqual({ tool_choice: { type: "web_search_preview" } });
  });
});

describe("fromResponsesRequest: settings", () => {
  test("every mapped setting", () => {
    const request = decode({
      model: "gpt-5",
      input: "hi",
      max_output_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      parallel_tool_calls: false,
      reasoning: { effort: "high", summary: "auto" },
      text: {
        format: {
          type: "json_schema",
          name: "Person",
          schema: { type: "object" },
          strict: true,
          description: "A person",
        },
      },
      metadata: { team: "a" },
      prompt_cache_key: "k",
      prompt_cache_retention: "24h",
      service_tier: "flex",
      safety_identifier: "user-1",
    });
    expect(request).toMatchObject({
      maxTokens: 500,
      temperature: 0.2,
      topP: 0.9,
      parallelToolCalls: false,
      reasoning: { effort: "high", includeThoughts: true },
      responseFormat: {
        type: "json_schema",
        name: "Person",
        schema: { type: "object" },
        strict: true,
        description: "A person",
      },
      metadata: { team: "a" },
      promptCacheKey: "k",
      promptCacheRetention: "24h",
      serviceTier: "flex",
      user: "user-1",
      unknown: {},
    });
  });

  test("reasoning: none disables; no summary leaves thoughts to the default; absent stays undefined", () => {
    expect(decode({ model: "m", input: "x", reasoning: { effort: "none" } }).reasoning).toEqual({
      disabled: true,
      effort: "none",
    });
    expect(decode({ model: "m", input: "x", reasoning: { effort: "low" } }).reasoning).toEqual({
      effort: "low",
    });
    expect(decode({ model: "m", input: "x", reasoning: { generate_summary: "concise" } }).reasoning).toEqual({
      includeThoughts: true,
    });
    expect(decode({ model: "m", input: "x" }).reasoning).toBeUndefined();
    expect(decode({ model: "m", input: "x", reasoning: null }).reasoning).toBeUndefined();
  });

  test("`user` wins over safety_identifier; json_object and text formats", () => {
    expect(decode({ model: "m", input: "x", user: "u", safety_identifier: "s" }).user).toBe("u");
    expect(
      decode({ model: "m", input: "x", text: { format: { type: "json_object" } } }).responseFormat,
    ).toEqual({
      type: "json_object",
    });
    expect(decode({ model: "m", input: "x", text: { format: { type: "text" } } }).responseFormat).toEqual({
      type: "text",
    });
  });

  test("fields the pipeline answers never reach `unknown`; untranslated ones do, by wire name", () => {
    const request = decode({
      model: "m",
      input: "x",
      stream: true,
      stream_options: { include_obfuscation: false },
      store: false,
      include: ["reasoning.encrypted_content"],
      previous_response_id: "resp_1",
      background: false,
      truncation: "disabled",
      top_logprobs: 0,
      text: { verbosity: "low" },
      max_tool_calls: 3,
      prompt: { id: "pmpt_1" },
    });
    expect(request.stream).toBe(true);
    expect(request.unknown).toEqual({ "text.verbosity": "low", max_tool_calls: 3, prompt: { id: "pmpt_1" } });
    const auto = decode({ model: "m", input: "x", truncation: "auto", top_logprobs: 5 });
    expect(auto.unknown).toEqual({ truncation: "auto", top_logprobs: 5 });
  });

  test("an unknown reasoning effort or text format is a 400 naming the field", () => {
    expect(rejection({ model: "m", input: "x", reasoning: { effort: "extreme" } }).param).toBe(
      "reasoning.effort",
    );
    expect(rejection({ model: "m", input: "x", text: { format: { type: "yaml" } } }).param).toBe(
      "text.format.type",
    );
  });
});
