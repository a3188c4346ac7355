/** IR → Responses request body: every mapping, and what the drop policy makes of the rest. */

import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { GatewayError } from "../../../../src/errors/gateway-error.ts";
import type { IRMessage, IRRequest, IRTool } from "../../../../src/ir/types.ts";
import { responsesProviderCodec } from "../../../../src/protocols/responses/provider-codec.ts";
import { markOpenAIReasoning } from "../../../../src/protocols/responses/reasoning-stash.ts";
import { toResponsesRequest } from "../../../../src/protocols/responses/to-responses-request.ts";
import { makeContext, makeRequest } from "./helpers.ts";

const weather: IRTool = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } } },
};

describe("toResponsesRequest: the body", () => {
  test("minimal: model, input as a user message item, stateless (store false, encrypted reasoning included)", () => {
    expect(toResponsesRequest(makeRequest(), makeContext())).toEqual({
      model: "gpt-5.1-codex-max",
      input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
      store: false,
      include: ["reasoning.encrypted_content"],
    });
  });

  test("the provider codec posts to /responses", () => {
    const { path, body } = responsesProviderCodec.encodeRequest(makeRequest({ stream: true }), makeContext());
    expect(path).toBe("/responses");
    expect(body.stream).toBe(true);
    expect(body).not.toHaveProperty("stream_options");
  });

  test("system parts → instructions, joined by a blank line", () => {
    const body = toResponsesRequest(
      makeRequest({
        system: [
          { type: "text", text: "Be brief." },
          { type: "text", text: "Answer in French." },
        ],
      }),
      makeContext(),
    );
    expect(body.instructions).toBe("Be brief.\n\nAnswer in French.");
  });

  test("sampling and limits: max_output_tokens, temperature, top_p; a limit below 16 is raised to 16", () => {
    const body = toResponsesRequest(
      makeRequest({ model: "gpt-4.1", maxTokens: 500, temperature: 0.2, topP: 0.9 }),
      makeContext(),
    );
    expect(body).toMatchObject({ max_output_tokens: 500, temperature: 0.2, top_p: 0.9 });
    expect(toResponsesRequest(makeRequest({ maxTokens: 1 }), makeContext()).max_output_tokens).toBe(16);
  });

  test("a reasoning model takes no temperature or top_p while it reasons: dropped and listed", () => {
    const context = makeContext();
    const body = toResponsesRequest(
      makeRequest({ model: "gpt-5.1-codex-max", temperature: 1, topP: 0.9 }),
      context,
    );
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("top_p");
    expect(context.dropped).toEqual(["temperature", "top_p"]);
    const notReasoning = toResponsesRequest(
      makeRequest({ model: "gpt-5.2", temperature: 0.3, reasoning: { effort: "none", disabled: true } }),
      makeContext(),
    );
    expect(notReasoning).toMatchObject({ temperature: 0.3, reasoning: { effort: "none" } });
    const chat = toResponsesRequest(
      makeRequest({ model: "gpt-5-chat-latest", temperature: 0.3 }),
      makeContext(),
    );
    expect(chat.temperature).toBe(0.3);
  });

  test("tools are flat function tools, strict false unless said; parallel_tool_calls with them", () => {
    const body = toResponsesRequest(
      makeRequest({
        tools: [weather, { ...weather, name: "strict_one", strict: true }],
        parallelToolCalls: false,
      }),
      makeContext(),
    );
    expect(body.tools).toEqual([
      {
        type: "function",
        name: "get_weather",
        description: "Weather for a city",
        parameters: weather.parameters,
        strict: false,
      },
      {
        type: "function",
        name: "strict_one",
        description: "Weather for a city",
        parameters: weather.parameters,
        strict: true,
      },
    ]);
    expect(body.parallel_tool_calls).toBe(false);
    expect(toResponsesRequest(makeRequest({ parallelToolCalls: true }), makeContext())).not.toHaveProperty(
      "parallel_tool_calls",
    );
  });

  test("a freeform (custom) tool goes as a custom tool with its grammar", () => {
    const format = { type: "grammar", syntax: "lark", definition: "start: /.+/" };
    const body = toResponsesRequest(
      makeRequest({
        tools: [{ name: "sql", description: "SQL", parameters: {}, custom: { format } }],
        toolChoice: { type: "tool", name: "sql" },
      }),
      makeContext(),
    );
    expect(body.tools).toEqual([{ type: "custom", name: "sql", description: "SQL", format }]);
    expect(body.tool_choice).toEqual({ type: "custom", name: "sql" });
  });

  test("tool_choice: auto, none, required, a named function", () => {
    const choice = (toolChoice: IRRequest["toolChoice"]) =>
      toResponsesRequest(makeRequest({ tools: [weather], toolChoice }), makeContext()).tool_choice;
    expect(choice({ type: "auto" })).toBe("auto");
    expect(choice({ type: "none" })).toBe("none");
    expect(choice({ type: "required" })).toBe("required");
    expect(choice({ type: "tool", name: "get_weather" })).toEqual({ type: "function", name: "get_weather" });
  });

  test("reasoning: efforts as asked (max → xhigh), a budget → the nearest effort, none kept", () => {
    const reasoning = (r: IRRequest["reasoning"]) =>
      toResponsesRequest(makeRequest({ reasoning: r }), makeContext()).reasoning;
    expect(reasoning({ effort: "minimal" })).toEqual({ effort: "minimal" });
    expect(reasoning({ effort: "high" })).toEqual({ effort: "high" });
    expect(reasoning({ effort: "xhigh" })).toEqual({ effort: "xhigh" });
    expect(reasoning({ effort: "max" })).toEqual({ effort: "xhigh" });
    expect(reasoning({ effort: "none", disabled: true })).toEqual({ effort: "none" });
    // An Anthropic client asking for thinking by budget also wants to see it: summaries on.
    expect(reasoning({ budgetTokens: 2048 })).toEqual({ effort: "low", summary: "auto" });
    expect(reasoning({ budgetTokens: 10000 })).toEqual({ effort: "medium", summary: "auto" });
    expect(reasoning({ budgetTokens: 32000 })).toEqual({ effort: "high", summary: "auto" });
    expect(reasoning({ adaptive: true })).toEqual({ summary: "auto" });
    expect(reasoning({ adaptive: true, effort: "medium" })).toEqual({ effort: "medium", summary: "auto" });
    expect(reasoning({ effort: "low", includeThoughts: true })).toEqual({ effort: "low", summary: "auto" });
    expect(reasoning({ budgetTokens: 4096, includeThoughts: false })).toEqual({ effort: "medium" });
    expect(reasoning({ disabled: true })).toBeUndefined();
    expect(reasoning(undefined)).toBeUndefined();
  });

  test("responseFormat → text.format: json_schema is flat and strict unless said", () => {
    const schema = { type: "object", properties: { a: { type: "string" } } };
    const format = (f: IRRequest["responseFormat"]) =>
      toResponsesRequest(makeRequest({ responseFormat: f }), makeContext()).text;
    expect(format({ type: "json_schema", name: "A", schema, description: "An A" })).toEqual({
      format: { type: "json_schema", name: "A", schema, description: "An A", strict: true },
    });
    expect(format({ type: "json_schema", schema, strict: false })).toEqual({
      format: { type: "json_schema", name: "response", schema, strict: false },
    });
    expect(format({ type: "json_object" })).toEqual({ format: { type: "json_object" } });
    expect(format({ type: "text" })).toEqual({ format: { type: "text" } });
  });

  test("user → safety_identifier (hashed above 128 characters); OpenAI metadata as is", () => {
    const body = toResponsesRequest(
      makeRequest({ user: "u-42", metadata: { team: "a" }, sourceProtocol: "openai" }),
      makeContext(),
    );
    expect(body).toMatchObject({ safety_identifier: "u-42", metadata: { team: "a" } });
    expect(body).not.toHaveProperty("user");
    const long = `user_${"a".repeat(64)}_account_${"b".repeat(36)}_session_${"c".repeat(36)}`;
    expect(toResponsesRequest(makeRequest({ user: long }), makeContext()).safety_identifier).toBe(
      createHash("sha256").update(long).digest("hex"),
    );
  });

  test("Anthropic metadata: user_id is the safety identifier, nothing else is listed", () => {
    const context = makeContext();
    const body = toResponsesRequest(
      makeRequest({ user: "u-1", metadata: { user_id: "u-1" }, sourceProtocol: "anthropic" }),
      context,
    );
    expect(body.safety_identifier).toBe("u-1");
    expect(body).not.toHaveProperty("metadata");
    expect(context.dropped).toEqual([]);
  });

  test("prompt cache key and retention, service tier (standard_only → default)", () => {
    const body = toResponsesRequest(
      makeRequest({ promptCacheKey: "k1", promptCacheRetention: "24h", serviceTier: "flex" }),
      makeContext(),
    );
    expect(body).toMatchObject({
      prompt_cache_key: "k1",
      prompt_cache_retention: "24h",
      service_tier: "flex",
    });
    expect(
      toResponsesRequest(makeRequest({ serviceTier: "standard_only" }), makeContext()).service_tier,
    ).toBe("default");
    expect(toResponsesRequest(makeRequest({ serviceTier: "auto" }), makeContext()).service_tier).toBe("auto");
  });
});

describe("toResponsesRequest: the drop policy", () => {
  test("stop, top_k, seed and the penalties are dropped and listed under the client's names", () => {
    const context = makeContext();
    const body = toResponsesRequest(
      makeRequest({
        stop: ["END"],
        topK: 5,
        seed: 7,
        frequencyPenalty: 0.5,
        presencePenalty: 0.1,
        n: 1,
        sourceProtocol: "openai",
      }),
      context,
    );
    expect(context.dropped).toEqual(["top_k", "stop", "seed", "frequency_penalty", "presence_penalty"]);
    for (const field of ["stop", "top_k", "seed", "frequency_penalty", "presence_penalty", "n"])
      expect(body).not.toHaveProperty(field);
    const anthropic = makeContext();
    toResponsesRequest(makeRequest({ stop: ["END"], sourceProtocol: "anthropic" }), anthropic);
    expect(anthropic.dropped).toEqual(["stop_sequences"]);
  });

  test("strict mode: a dropped field is a 400 naming it and the provider", () => {
    expect(() => toResponsesRequest(makeRequest({ seed: 1 }), makeContext(true))).toThrow(
      "'seed' is not supported by provider 'openai'",
    );
  });

  test("n > 1 is refused (400)", () => {
    const run = () => toResponsesRequest(makeRequest({ n: 2 }), makeContext());
    expect(run).toThrow(GatewayError);
    expect(run).toThrow("'n' is not supported");
  });

  test("unknown client fields: logprobs and friends dropped and listed, answer-changing ones refused", () => {
    const context = makeContext();
    const body = toResponsesRequest(
      makeRequest({ sourceProtocol: "openai", unknown: { logprobs: true, top_logprobs: 3 } }),
      context,
    );
    expect(context.dropped).toEqual(["logprobs", "top_logprobs"]);
    expect(body).not.toHaveProperty("logprobs");
    expect(() =>
      toResponsesRequest(
        makeRequest({ sourceProtocol: "openai", unknown: { logit_bias: { 1: 2 } } }),
        makeContext(),
      ),
    ).toThrow("'logit_bias' is not supported");
    expect(() =>
      toResponsesRequest(
        makeRequest({ sourceProtocol: "anthropic", unknown: { mcp_servers: [{}] } }),
        makeContext(),
      ),
    ).toThrow("'mcp_servers' is not supported");
  });

  test("cache_control hints are dropped and listed (OpenAI caches by itself)", () => {
    const context = makeContext();
    toResponsesRequest(
      makeRequest({
        system: [{ type: "text", text: "sys", cacheControl: { type: "ephemeral" } }],
        tools: [{ ...weather, cacheControl: { type: "ephemeral" } }],
      }),
      context,
    );
    expect(context.dropped).toEqual(["cache_control"]);
  });

  test("a message name is dropped and listed", () => {
    const context = makeContext();
    toResponsesRequest(
      makeRequest({ messages: [{ role: "user", name: "bob", parts: [{ type: "text", text: "hi" }] }] }),
      context,
    );
    expect(context.dropped).toEqual(["name"]);
  });
});

describe("toResponsesRequest: input items", () => {
  const input = (messages: IRMessage[], overrides: Partial<IRRequest> = {}) =>
    toResponsesRequest(makeRequest({ messages, ...overrides }), makeContext()).input;

  test("user media: image URL, base64 image as a data URL with detail, PDF as input_file, text document", () => {
    expect(
      input(
        [
          {
            role: "user",
            parts: [
              { type: "text", text: "Look" },
              { type: "image", source: { kind: "url", url: "https://x/y.png" } },
              {
                type: "image",
                source: { kind: "base64", mediaType: "image/png", data: "AAA" },
                detail: "high",
              },
              {
                type: "document",
                source: { kind: "base64", mediaType: "application/pdf", data: "JVBER" },
                filename: "a.pdf",
              },
              { type: "document", source: { kind: "url", url: "https://x/doc.pdf" } },
              {
                type: "document",
                source: { kind: "text", text: "Body", mediaType: "text/plain" },
                title: "T",
              },
            ],
          },
        ],
        { sourceProtocol: "anthropic" },
      ),
    ).toEqual([
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "Look" },
          { type: "input_image", detail: "auto", image_url: "https://x/y.png" },
          { type: "input_image", detail: "high", image_url: "data:image/png;base64,AAA" },
          { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,JVBER" },
          { type: "input_file", file_url: "https://x/doc.pdf" },
          { type: "input_text", text: "T\n\nBody" },
        ],
      },
    ]);
  });

  test("file ids: an OpenAI client's go as file_id, another vendor's are refused", () => {
    const messages: IRMessage[] = [
      { role: "user", parts: [{ type: "image", source: { kind: "file_id", fileId: "file-1" } }] },
    ];
    expect(input(messages, { sourceProtocol: "openai" })).toEqual([
      {
        type: "message",
        role: "user",
        content: [{ type: "input_image", detail: "auto", file_id: "file-1" }],
      },
    ]);
    expect(() => input(messages, { sourceProtocol: "anthropic" })).toThrow("file ids of another provider");
  });

  test("a tool loop in order: assistant text, function_call, function_call_output, user text", () => {
    expect(
      input([
        { role: "user", parts: [{ type: "text", text: "Weather in Paris?" }] },
        {
          role: "assistant",
          parts: [
            { type: "text", text: "Checking." },
            { type: "tool_call", id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
            { type: "tool_call", id: "call_2", name: "get_weather", arguments: '{"city":"Lyon"}' },
          ],
        },
        {
          role: "user",
          parts: [
            { type: "tool_result", toolCallId: "call_1", content: [{ type: "text", text: "18C" }] },
            {
              type: "tool_result",
              toolCallId: "call_2",
              content: [{ type: "text", text: "oops" }],
              isError: true,
            },
            { type: "text", text: "Thanks" },
          ],
        },
      ]),
    ).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "Weather in Paris?" }] },
      {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "Checking.", annotations: [] }],
      },
      { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call", call_id: "call_2", name: "get_weather", arguments: '{"city":"Lyon"}' },
      { type: "function_call_output", call_id: "call_1", output: "18C" },
      { type: "function_call_output", call_id: "call_2", output: "Error: oops" },
      { type: "message", role: "user", content: [{ type: "input_text", text: "Thanks" }] },
    ]);
  });

  test("a tool result with an image is a list of input parts", () => {
    expect(
      input([
        {
          role: "user",
          parts: [
            {
              type: "tool_result",
              toolCallId: "call_1",
              content: [
                { type: "text", text: "Screenshot:" },
                { type: "image", source: { kind: "base64", mediaType: "image/jpeg", data: "QQ" } },
              ],
            },
          ],
        },
      ]),
    ).toEqual([
      {
        type: "function_call_output",
        call_id: "call_1",
        output: [
          { type: "input_text", text: "Screenshot:" },
          { type: "input_image", detail: "auto", image_url: "data:image/jpeg;base64,QQ" },
        ],
      },
    ]);
  });

  test("OpenAI reasoning (the openai: stash) goes back as its reasoning item, before what followed it", () => {
    expect(
      input([
        {
          role: "assistant",
          parts: [
            { type: "reasoning", text: "Plan the call", signature: markOpenAIReasoning("rs_1", "gAAA-enc") },
            { type: "tool_call", id: "call_1", name: "f", arguments: "{}" },
            { type: "reasoning", text: "", signature: markOpenAIReasoning("rs_2", "gBBB") },
            { type: "text", text: "Done" },
          ],
        },
      ]),
    ).toEqual([
      {
        type: "reasoning",
        id: "rs_1",
        summary: [{ type: "summary_text", text: "Plan the call" }],
        encrypted_content: "gAAA-enc",
      },
      { type: "function_call", call_id: "call_1", name: "f", arguments: "{}" },
      { type: "reasoning", id: "rs_2", summary: [], encrypted_content: "gBBB" },
      {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "Done", annotations: [] }],
      },
    ]);
  });

  test("other vendors' reasoning (Anthropic, Gemini, redacted, unsigned) is left out, not listed", () => {
    const context = makeContext();
    const body = toResponsesRequest(
      makeRequest({
        messages: [
          {
            role: "assistant",
            parts: [
              { type: "reasoning", text: "Claude thinking", signature: "EqQBCkYIBxgCKkA" },
              { type: "reasoning", text: "Gemini thought", signature: "gemini:CiQB" },
              { type: "reasoning", text: "", redacted: true, data: "opaque" },
              { type: "reasoning", text: "DeepSeek thinking" },
              { type: "text", text: "Hi" },
            ],
          },
        ],
      }),
      context,
    );
    expect(body.input).toEqual([
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hi", annotations: [] }] },
    ]);
    expect(context.dropped).toEqual([]);
  });

  test("freeform tool calls and their results go back as custom_tool_call / custom_tool_call_output", () => {
    const sql: IRTool = { name: "sql", parameters: {}, custom: {} };
    expect(
      input(
        [
          {
            role: "assistant",
            parts: [{ type: "tool_call", id: "call_c", name: "sql", arguments: '{"input":"SELECT 1"}' }],
          },
          {
            role: "user",
            parts: [{ type: "tool_result", toolCallId: "call_c", content: [{ type: "text", text: "1" }] }],
          },
        ],
        { tools: [sql] },
      ),
    ).toEqual([
      { type: "custom_tool_call", call_id: "call_c", name: "sql", input: "SELECT 1" },
      { type: "custom_tool_call_output", call_id: "call_c", output: "1" },
    ]);
  });
});
