/**
 * Fields of the Bifrost page (001) and the GoModel pages (000, 003), sent with the official
 * Anthropic and OpenAI SDKs through the real gateway: `output_format` (the structured-outputs
 * beta's name for `output_config.format`), `mcp_servers` with the MCP beta header, and the
 * validation minimums (max_tokens ≥ 1, top_k ≥ 1, a content `source` that is an object).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { readFixture, recordedInteractions } from "../support/fixtures.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { anthropicMessage } from "../support/wire-builders.ts";

let mock: MockUpstream;
let gw: TestGateway;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: providersYaml(mock) });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: "sk-anything", maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

type Json = Record<string, unknown>;
const upstreamBody = (i = 0): Json => mock.requests[i]?.body as Json;
const schema = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer" } },
  required: ["name", "age"],
  additionalProperties: false,
};
const outputFormat = { type: "json_schema", schema };
const question = [{ role: "user" as const, content: "My name is John Doe and I am 30 years old." }];
const STRUCTURED_BETA = "structured-outputs-2025-11-13";
const MCP_BETA = "mcp-client-2025-04-04";
const mcpServers = [
  {
    type: "url",
    url: "https://mcp.example.com/sse",
    name: "example",
    authorization_token: "mcp-token",
    tool_configuration: { enabled: true, allowed_tools: ["search"] },
  },
];

/** An SDK call's 400, as the SDK raises it. */
async function badRequest(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    // The envelope's message: Anthropic's SDK keeps the whole body, OpenAI's the `error` member.
    if (error instanceof Anthropic.APIError) {
      const body = error.error as { error?: { message?: string } } | undefined;
      return { status: error.status ?? 0, message: body?.error?.message ?? error.message };
    }
    if (error instanceof OpenAI.APIError) {
      const body = error.error as { message?: string } | undefined;
      return { status: error.status ?? 0, message: body?.message ?? error.message };
    }
    throw error;
  }
  throw new Error("expected an error");
}

describe("output_format (structured-outputs beta) = output_config.format", () => {
  test("to Anthropic: forwarded as the client sent it, with its beta header; the recorded answer comes back", async () => {
    const recorded = recordedInteractions(
      "anthropic/sdkpy-cassette-beta-nonstream-structured-output.json",
    )[0]!;
    mock.enqueue({ json: JSON.parse(recorded.bodyText) });
    const message = await anthropic.messages.create(
      {
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 1024,
        messages: question,
        output_format: outputFormat,
      } as never,
      { headers: { "anthropic-beta": STRUCTURED_BETA } },
    );
    expect(mock.requests[0]?.path).toBe("/v1/messages");
    expect(mock.requests[0]?.headers["anthropic-beta"]).toBe(STRUCTURED_BETA);
    expect(upstreamBody()).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      messages: question,
      output_format: outputFormat,
    });
    expect(message.content).toEqual([{ type: "text", text: '{"name":"John Doe","age":30}' }] as never);
  });

  test("to an OpenAI-type provider: response_format json_schema, strict", async () => {
    mock.enqueue({ fixture: "openai/openai-node-chat-completion-structured-output-basic.json" });
    const message = await anthropic.messages.create({
      model: "openai/gpt-4o-mini",
      max_tokens: 256,
      messages: question,
      output_format: outputFormat,
    } as never);
    expect(upstreamBody().response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "response", schema, strict: true },
    });
    expect(message.content).toEqual([
      { type: "text", text: '{"city":"San Francisco","units":"c"}' },
    ] as never);
  });

  test("to Gemini: responseMimeType application/json + responseJsonSchema (recorded answer)", async () => {
    mock.enqueue({ fixture: "gemini/jsgenai-nonstream-json-schema-responseJsonSchema.json" });
    const message = await anthropic.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 256,
      messages: question,
      output_format: outputFormat,
    } as never);
    expect(upstreamBody().generationConfig).toMatchObject({
      responseMimeType: "application/json",
      responseJsonSchema: schema,
    });
    const text = (message.content[0] as { text: string }).text;
    expect(JSON.parse(text).simpleString).toBe("Hello");
  });

  test("the streaming structured-output recording replays through the gateway unchanged", async () => {
    mock.enqueue({ fixture: "anthropic/sdkpy-extracted-beta-stream-structured-output.txt" });
    const response = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-beta": STRUCTURED_BETA },
      body: JSON.stringify({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 1024,
        stream: true,
        messages: question,
        output_format: outputFormat,
      }),
    });
    expect(await response.text()).toBe(
      readFixture("anthropic/sdkpy-extracted-beta-stream-structured-output.txt"),
    );
    expect(upstreamBody().output_format).toEqual(outputFormat);
  });
});

describe("mcp_servers and the MCP beta", () => {
  test("Anthropic SDK → Anthropic provider: mcp_servers and the client's anthropic-beta header go upstream", async () => {
    mock.enqueue({ json: anthropicMessage({ content: "Done." }) });
    await anthropic.beta.messages.create({
      model: "anthropic/claude-sonnet-4-5",
      max_tokens: 256,
      messages: [{ role: "user", content: "Search the issues" }],
      mcp_servers: mcpServers as never,
      betas: [MCP_BETA],
    });
    expect(mock.requests[0]?.headers["anthropic-beta"]).toBe(MCP_BETA);
    expect(upstreamBody().mcp_servers).toEqual(mcpServers);
  });

  test("OpenAI SDK → Anthropic provider: mcp_servers forwarded with the beta header; MCP blocks come back as documented text", async () => {
    mock.enqueue({
      json: {
        ...anthropicMessage({ content: "x" }),
        content: [
          { type: "text", text: "Let me look." },
          {
            type: "mcp_tool_use",
            id: "mcptoolu_1",
            name: "search",
            server_name: "example",
            input: { q: "bug" },
          },
          {
            type: "mcp_tool_result",
            tool_use_id: "mcptoolu_1",
            is_error: false,
            content: [{ type: "text", text: "#12 Crash on start (open)" }],
          },
          { type: "text", text: "Issue #12 is open." },
        ],
      },
    });
    const completion = await openai.chat.completions.create(
      {
        model: "anthropic/claude-sonnet-4-5",
        messages: [{ role: "user", content: "Search the issues" }],
        mcp_servers: mcpServers,
      } as never,
      { headers: { "anthropic-beta": MCP_BETA } },
    );
    expect(mock.requests[0]?.headers["anthropic-beta"]).toBe(MCP_BETA);
    expect(upstreamBody().mcp_servers).toEqual(mcpServers);
    expect(completion.choices[0]?.message.content).toBe(
      'Let me look.\n[mcp_tool_use example/search {"q":"bug"}]\n\n[mcp_tool_result] #12 Crash on start (open)\nIssue #12 is open.',
    );
  });

  test("to an OpenAI-type or Gemini provider: a 400 naming mcp_servers, nothing sent upstream", async () => {
    for (const model of ["openai/gpt-4o-mini", "gemini-2.5-flash"]) {
      const error = await badRequest(
        anthropic.beta.messages.create({
          model,
          max_tokens: 256,
          messages: [{ role: "user", content: "Search" }],
          mcp_servers: mcpServers as never,
          betas: [MCP_BETA],
        }),
      );
      expect(error.status).toBe(400);
      expect(error.message).toContain("'mcp_servers' is not supported by provider");
    }
    expect(mock.requests).toHaveLength(0);
  });
});

describe("validation minimums of the pages", () => {
  const create = (body: Json) => anthropic.messages.create(body as never);

  test("max_tokens 0 and top_k 0 are 400s naming the field; nothing reaches the provider", async () => {
    const noTokens = await badRequest(
      create({ model: "anthropic/claude-sonnet-4-5", max_tokens: 0, messages: question }),
    );
    expect(noTokens).toMatchObject({ status: 400 });
    expect(noTokens.message).toContain("max_tokens: Must be greater than or equal to 1");
    const noTopK = await badRequest(
      create({ model: "anthropic/claude-sonnet-4-5", max_tokens: 10, top_k: 0, messages: question }),
    );
    expect(noTopK.message).toContain("top_k: Must be greater than or equal to 1");
    expect(mock.requests).toHaveLength(0);
  });

  test("a content block's source given as a string: the 400 says which object shapes are expected", async () => {
    const error = await badRequest(
      create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 10,
        messages: [{ role: "user", content: [{ type: "image", source: "https://example.com/cat.png" }] }],
      }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain(
      'messages.0.content.0.source: Expected an object such as {type: "base64", media_type, data}, {type: "url", url} or {type: "file", file_id}, not a string',
    );
  });
});
