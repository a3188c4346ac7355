/**
 * Request fields of the Bifrost and GoModel pages, through the IR: `output_format` (the
 * structured-outputs beta's name), `mcp_servers` (Anthropic's MCP connector), and a conversation
 * that ends with the assistant turn a paused answer left (continued by Anthropic).
 */
import { describe, expect, test } from "bun:test";
import { isGatewayError } from "../../../src/errors/gateway-error.ts";
import type { EncodeContext, ProviderCodec } from "../../../src/ir/codec.ts";
import { anthropicClientCodec, anthropicProviderCodec } from "../../../src/protocols/anthropic/codec.ts";
import { geminiProviderCodec } from "../../../src/protocols/gemini/codec.ts";
import { openAIClientCodec, openAIProviderCodec } from "../../../src/protocols/openai/codec.ts";

const context = (providerName: string): EncodeContext => ({
  providerName,
  strict: false,
  dropped: [],
  adjusted: [],
});
const schema = { type: "object", properties: { answer: { type: "number" } }, required: ["answer"] };
const messages = [{ role: "user", content: "2+2?" }];

function encode(
  provider: ProviderCodec,
  body: Record<string, unknown>,
  from = anthropicClientCodec,
  model = "m",
) {
  const ir = from.decodeRequest({ model: "alias", max_tokens: 100, messages, ...body });
  ir.model = model;
  const ctx = context(
    provider === openAIProviderCodec ? "openai" : provider === geminiProviderCodec ? "gemini" : "anthropic",
  );
  return { body: provider.encodeRequest(ir, ctx).body, dropped: ctx.dropped };
}

function rejection(fn: () => unknown): { message: string; param: string | null } {
  try {
    fn();
  } catch (error) {
    if (isGatewayError(error)) return { message: error.message, param: error.param };
    throw error;
  }
  throw new Error("expected a 400");
}

describe("output_format = output_config.format", () => {
  test("→ OpenAI response_format json_schema (strict), → Gemini responseJsonSchema", () => {
    const format = { type: "json_schema", schema };
    expect(encode(openAIProviderCodec, { output_format: format }).body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "response", schema, strict: true },
    });
    expect(
      encode(geminiProviderCodec, { output_format: format }, anthropicClientCodec, "gemini-2.5-flash").body
        .generationConfig,
    ).toMatchObject({ responseMimeType: "application/json", responseJsonSchema: schema });
  });

  test("both given: output_config.format wins; a wrong type names the field it came in", () => {
    const other = { type: "object", properties: { x: { type: "string" } } };
    const { body } = encode(openAIProviderCodec, {
      output_format: { type: "json_schema", schema: other },
      output_config: { format: { type: "json_schema", schema } },
    });
    expect((body.response_format as { json_schema: { schema: unknown } }).json_schema.schema).toEqual(schema);
    expect(
      rejection(() =>
        anthropicClientCodec.decodeRequest({
          model: "m",
          max_tokens: 1,
          messages,
          output_format: { type: "xml" },
        }),
      ),
    ).toEqual({ message: "output_format.type 'xml' is not known", param: "output_format.type" });
  });
});

describe("mcp_servers", () => {
  const servers = [
    { type: "url", url: "https://mcp.example.com/sse", name: "example", authorization_token: "t" },
  ];

  test("an OpenAI client's mcp_servers reach an Anthropic provider as sent", () => {
    const { body, dropped } = encode(
      anthropicProviderCodec,
      { mcp_servers: servers, max_tokens: undefined, max_completion_tokens: 100 },
      openAIClientCodec,
    );
    expect(body.mcp_servers).toEqual(servers);
    expect(dropped).toEqual([]);
  });

  test("to an OpenAI-type or Gemini provider: a 400 naming the field (losing it would change the answer)", () => {
    for (const provider of [openAIProviderCodec, geminiProviderCodec]) {
      const error = rejection(() => encode(provider, { mcp_servers: servers }));
      expect(error.param).toBe("mcp_servers");
      expect(error.message).toContain("'mcp_servers' is not supported by provider");
      expect(error.message).toContain("MCP connector servers exist only on Anthropic");
    }
  });
});

describe("a conversation ending with the assistant's turn (a paused turn sent back)", () => {
  test("Anthropic gets the assistant turn last, its final text without trailing whitespace", () => {
    const { body } = encode(
      anthropicProviderCodec,
      {
        max_tokens: undefined,
        messages: [
          ...messages,
          { role: "assistant", content: 'Let me search.\n[server_tool_use web_search {"query":"x"}]\n' },
        ],
      },
      openAIClientCodec,
    );
    expect((body.messages as unknown[]).at(-1)).toEqual({
      role: "assistant",
      content: [{ type: "text", text: 'Let me search.\n[server_tool_use web_search {"query":"x"}]' }],
    });
  });
});
