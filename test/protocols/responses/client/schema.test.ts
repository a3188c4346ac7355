/** The Responses request schema: what OpenAI accepts passes, what it refuses is a 400 naming the field. */
import { describe, expect, test } from "bun:test";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { ResponseCreateParamsStreaming } from "openai/resources/responses/responses";
import { ResponsesRequestSchema } from "../../../../src/protocols/responses/schema.ts";
import { explainFailure } from "../../../../src/protocols/validate.ts";
import { expectInvalid } from "../../schema-helpers.ts";

const check = TypeCompiler.Compile(ResponsesRequestSchema);
const validate = (body: unknown): unknown => {
  if (check.Check(body)) return body;
  throw explainFailure(ResponsesRequestSchema, body, "openai");
};

// Typed with the official SDK's params so tsc proves the body is a request OpenAI defines.
const everything: ResponseCreateParamsStreaming = {
  model: "gpt-5",
  instructions: "Be brief.",
  input: [
    { role: "developer", content: "Use tools." },
    {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "Look" },
        { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" },
        { type: "input_image", file_id: "file-1", detail: "high" },
        { type: "input_file", file_data: "data:application/pdf;base64,JVBERi0=", filename: "a.pdf" },
        { type: "input_file", file_url: "https://example.com/a.pdf" },
      ],
    },
    { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "t" }], encrypted_content: "e" },
    {
      type: "message",
      id: "msg_1",
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: "ok", annotations: [] }],
    },
    { type: "function_call", call_id: "c1", name: "f", arguments: "{}" },
    { type: "function_call_output", call_id: "c1", output: "done" },
    { type: "custom_tool_call", call_id: "c2", name: "sql", input: "SELECT 1" },
    { type: "custom_tool_call_output", call_id: "c2", output: [{ type: "input_text", text: "1" }] },
    { type: "item_reference", id: "msg_0" },
    { type: "web_search_call", id: "ws_1", status: "completed", action: { type: "search", query: "q" } },
  ],
  tools: [
    { type: "function", name: "f", parameters: { type: "object" }, strict: true, description: "F" },
    { type: "custom", name: "sql", format: { type: "grammar", syntax: "lark", definition: "start: x" } },
    { type: "web_search" },
    { type: "mcp", server_label: "wiki", server_url: "https://example.com/mcp" },
  ],
  tool_choice: { type: "allowed_tools", mode: "auto", tools: [{ type: "function", name: "f" }] },
  parallel_tool_calls: true,
  max_output_tokens: 100,
  max_tool_calls: 2,
  temperature: 1,
  top_p: 1,
  top_logprobs: 0,
  reasoning: { effort: "high", summary: "detailed" },
  text: {
    format: { type: "json_schema", name: "P", schema: { type: "object" }, strict: true },
    verbosity: "low",
  },
  stream: true,
  stream_options: { include_obfuscation: false },
  store: false,
  include: ["reasoning.encrypted_content"],
  metadata: { a: "b" },
  previous_response_id: "resp_1",
  prompt_cache_key: "k",
  prompt_cache_retention: "24h",
  safety_identifier: "s",
  user: "u",
  truncation: "auto",
  service_tier: "flex",
  background: false,
};

describe("ResponsesRequestSchema", () => {
  test("a request using every field and item kind the SDK defines is valid, and so are the gateway controls", () => {
    expect(validate(everything)).toBe(everything);
    expect(validate({ model: "m", input: "hi", provider: "openai", fallbacks: ["m2"] })).toBeTruthy();
    expect(validate({ model: "m" })).toBeTruthy();
  });

  test("unknown fields, item types and part types are kept (forward compatibility)", () => {
    const body = {
      model: "m",
      input: [
        { type: "future_item", x: 1 },
        { role: "user", content: [{ type: "input_video", url: "u" }] },
      ],
      conversation: "conv_1",
    };
    expect(validate(body)).toBe(body);
  });

  test("a reasoning item sent back with content: null (as Codex CLI does) is valid", () => {
    const body = {
      model: "m",
      input: [
        { type: "reasoning", id: "rs_1", summary: [], content: null, encrypted_content: "e" },
        { type: "function_call", id: "fc_1", status: "completed", call_id: "c1", name: "f", arguments: "{}" },
        { type: "function_call_output", id: "fco_1", call_id: "c1", output: "ok" },
      ],
    };
    expect(validate(body)).toBe(body);
  });

  test("a missing model, a wrong role, a function_call without call_id, a bad tool_choice mode name their path", () => {
    expectInvalid(validate, { input: "hi" }, { param: "model", detail: "Field required" });
    expectInvalid(
      validate,
      { model: "m", input: [{ role: "tool", content: "x" }] },
      {
        param: "input[0].role",
        detail: "Invalid value 'tool'; expected one of 'user', 'assistant', 'system', 'developer'",
      },
    );
    expectInvalid(
      validate,
      { model: "m", input: [{ type: "function_call", name: "f", arguments: "{}" }] },
      { param: "input[0].call_id", detail: "Field required" },
    );
    expectInvalid(
      validate,
      { model: "m", tool_choice: { type: "allowed_tools", mode: "sometimes", tools: [] } },
      { param: "tool_choice.mode", detail: "Invalid value 'sometimes'; expected one of 'auto', 'required'" },
    );
  });

  test("a bad max_output_tokens or reasoning effort names the field", () => {
    expectInvalid(
      validate,
      { model: "m", max_output_tokens: 0 },
      { param: "max_output_tokens", detail: /1/ },
    );
    expectInvalid(
      validate,
      { model: "m", reasoning: { effort: "huge" } },
      { param: "reasoning.effort", detail: /^Invalid value 'huge'; expected one of 'none', 'minimal'/ },
    );
  });
});
