// The compiled binary loads request schemas, codecs and translation modules on first use
// (src/protocols/request-schemas.ts, codec-modules.ts; docs/performance.md, "Request schemas and
// codecs on first use"). Inside the executable those are `require`d chunks read on demand: a
// module missing from the bundle would only show on the first call that needs it. So each kind of
// first use is made here, through the binary, once, and answered correctly.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { ensureBinary } from "../../scripts/ensure-binary.ts";
import { freePort, type RunningBinary, startBinary, writeConfigDir } from "../../scripts/run-binary.ts";
import type { LooseJson } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import {
  anthropicEvents,
  anthropicMessage,
  geminiResponse,
  openAICompletion,
  responsesObject,
} from "../support/wire-builders.ts";

let mock: MockUpstream;
let gateway: RunningBinary;
let dir = "";

beforeAll(async () => {
  const binary = await ensureBinary();
  mock = await startMockUpstream();
  const port = freePort();
  const config = writeConfigDir(`server:
  host: 127.0.0.1
  port: ${port}
  drain_timeout: 2s
providers:
  openai:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: sk-openai-test
    models: [gpt-4o-mini, text-embedding-3-small]
  anthropic:
    type: anthropic
    base_url: ${mock.baseUrls.anthropic}
    api_key: sk-ant-test
    models: [claude-sonnet-4-5]
  gemini:
    type: gemini
    base_url: ${mock.baseUrls.gemini}
    api_key: gm-test
    models: [gemini-2.5-flash, gemini-embedding-001]
  resp:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: sk-resp-test
    models: [gpt-5.4]
    responses: true
routing:
  retries: 0
usage:
  store: "off"
`);
  dir = config.dir;
  gateway = await startBinary({ binary, args: ["serve", "--config", config.configPath], port, cwd: dir });
}, 180_000);

afterAll(async () => {
  await gateway?.stop("SIGTERM");
  mock?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const HEADERS = { "content-type": "application/json", "anthropic-version": "2023-06-01" };
const USER = [{ role: "user", content: "hi" }];

async function post(path: string, body: unknown): Promise<{ status: number; json: LooseJson; text: string }> {
  const response = await fetch(`${gateway.baseUrl}${path}`, {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

describe("compiled binary: the first call of each kind loads what it needs", () => {
  test("an invalid body of each endpoint is a 400 naming the field (its schema built then)", async () => {
    const cases: [string, unknown, string][] = [
      ["/v1/chat/completions", { model: "gpt-4o-mini", messages: "hi" }, "messages: Expected array"],
      ["/v1/messages", { model: "claude-sonnet-4-5", max_tokens: "1", messages: USER }, "max_tokens"],
      ["/v1/messages/count_tokens", { model: "claude-sonnet-4-5", messages: 1 }, "messages"],
      ["/v1/responses", { model: "gpt-5.4", input: 1 }, "input"],
      ["/v1/embeddings", { model: "text-embedding-3-small", input: 1 }, "input"],
    ];
    for (const [path, body, field] of cases) {
      const { status, json } = await post(path, body);
      expect({ path, status }).toEqual({ path, status: 400 });
      expect(json.error.message).toContain(field);
    }
  });

  test("Chat Completions translated to Anthropic, JSON and stream", async () => {
    mock.enqueue({ json: anthropicMessage({ content: "from claude" }) });
    const json = await post("/v1/chat/completions", { model: "claude-sonnet-4-5", messages: USER });
    expect(json.status).toBe(200);
    expect(json.json.choices[0].message.content).toBe("from claude");

    mock.enqueue({ sse: anthropicEvents({ content: "streamed claude" }) });
    const stream = await post("/v1/chat/completions", {
      model: "claude-sonnet-4-5",
      messages: USER,
      stream: true,
    });
    expect(stream.status).toBe(200);
    const text = stream.text
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? "")
      .join("");
    expect(text).toBe("streamed claude");
    expect(stream.text.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  test("Messages translated to OpenAI, and to Gemini", async () => {
    mock.enqueue({ json: openAICompletion({ text: "from gpt" }) });
    const openai = await post("/v1/messages", { model: "gpt-4o-mini", max_tokens: 10, messages: USER });
    expect(openai.status).toBe(200);
    expect(openai.json.content[0].text).toBe("from gpt");

    mock.enqueue({ json: geminiResponse({ text: "from gemini" }) });
    const gemini = await post("/v1/messages", { model: "gemini-2.5-flash", max_tokens: 10, messages: USER });
    expect(gemini.status).toBe(200);
    expect(gemini.json.content[0].text).toBe("from gemini");
  });

  test("Responses translated to Anthropic; Chat Completions translated to a Responses upstream", async () => {
    mock.enqueue({ json: anthropicMessage({ content: "claude via responses" }) });
    const responses = await post("/v1/responses", { model: "claude-sonnet-4-5", input: "hi" });
    expect(responses.status).toBe(200);
    expect(responses.json.output_text ?? responses.json.output[0].content[0].text).toBe(
      "claude via responses",
    );

    mock.enqueue({ json: responsesObject({ model: "gpt-5.4", text: "from responses" }) });
    const chat = await post("/v1/chat/completions", { model: "gpt-5.4", messages: USER });
    expect(chat.status).toBe(200);
    expect(chat.json.choices[0].message.content).toBe("from responses");
  });

  test("embeddings translated to Gemini", async () => {
    const { status, json } = await post("/v1/embeddings", {
      model: "gemini/gemini-embedding-001",
      input: ["a", "b"],
    });
    expect(status).toBe(200);
    expect(json.data.map((item: { index: number }) => item.index)).toEqual([0, 1]);
    expect(json.data[0].embedding.length).toBeGreaterThan(0);
  });

  test("the OpenAPI document holds every request schema its routes refer to", async () => {
    const document = (await (await fetch(`${gateway.baseUrl}/docs/json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>
      >;
      components: { schemas: Record<string, { type?: string }> };
    };
    const refs = Object.values(document.paths)
      .flatMap((methods) => Object.values(methods))
      .map((operation) => operation.requestBody?.content["application/json"]?.schema.$ref)
      .filter((ref): ref is string => ref !== undefined);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const ref of refs) {
      const name = ref.replace("#/components/schemas/", "");
      expect(document.components.schemas[name]?.type).toBe("object");
    }
  });

  test("the binary logged no error", () => {
    const { stdout } = gateway.output();
    const errors = stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level?: string })
      .filter((line) => line.level === "error");
    expect(errors).toEqual([]);
  });
});
