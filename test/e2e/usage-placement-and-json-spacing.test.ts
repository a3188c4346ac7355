/**
 * Usage wherever OpenAI-compatible providers put it, and usage read from streams whatever their
 * JSON spacing, through the real gateway into what the client sees, the usage rows and the cost:
 * the recorded Kimi stream (usage inside `choices[0]`, `cached_tokens` at its top level), a
 * recorded OpenAI stream re-serialised the way Python servers write JSON, and Groq's `x_groq`.
 * Also: count_tokens with a client that leaves, and the `max_tokens_field` provider setting.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { readFixture } from "../support/fixtures.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { respaceSSE } from "../support/respace-sse.ts";

const dir = mkdtempSync(join(tmpdir(), "switchboard-usage-placement-"));
const dbPath = join(dir, "usage.db");
let mock: MockUpstream;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;
let db: Database;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: providersYaml(
      mock,
      `  moonshot:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: sk-moonshot-test
    models: [kimi-for-coding]
  vllm:
    type: openai
    base_url: ${mock.baseUrls.openai}
    models: [llama-3.3-70b]
    max_tokens_field: max_completion_tokens
usage:
  prices:
    moonshot/kimi-for-coding: { input: 1, output: 4, cache_read: 0.25 }
`,
    ),
    usageStore: new SqliteUsageStore(dbPath),
  });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-anything", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: "sk-anything", maxRetries: 0 });
  db = new Database(dbPath, { readonly: true });
});

afterAll(async () => {
  db?.close();
  await gw?.stop();
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => mock.reset());

type Row = Record<string, unknown>;
const KIMI = "other/kimi-chat_completion_stream.txt";
const SPACED_OPENAI = () => respaceSSE(readFixture("openai/openai-node-chat-stream-structured-output.txt"));

/** The usage row of the latest request to `endpoint`, once the recorder wrote it. */
async function lastRow(endpoint: string): Promise<Row> {
  for (let i = 0; i < 100; i++) {
    await gw.runtime.usage.flush();
    const row = db
      .query("SELECT * FROM usage_records WHERE endpoint = ? ORDER BY rowid DESC LIMIT 1")
      .get(endpoint) as Row | null;
    if (row && row.request_id !== seen.get(endpoint)) {
      seen.set(endpoint, row.request_id as string);
      return row;
    }
    await Bun.sleep(20);
  }
  throw new Error(`no new usage row for ${endpoint}`);
}
const seen = new Map<string, string>();
const tokens = (row: Row) => [row.input_tokens, row.output_tokens, row.cache_read_tokens];

describe("usage inside the choice (recorded Kimi stream)", () => {
  test("same protocol (zero-copy): the client gets the bytes, the row gets the cache read, the cost prices it", async () => {
    mock.enqueue({ fixture: KIMI });
    const stream = await openai.chat.completions.create({
      model: "moonshot/kimi-for-coding",
      messages: [{ role: "user", content: "Say 'Hello, World!'" }],
      stream: true,
    });
    const usages: unknown[] = [];
    for await (const chunk of stream) {
      const usage = (chunk.choices[0] as { usage?: unknown } | undefined)?.usage;
      if (usage) usages.push(usage);
    }
    expect(usages).toEqual([
      {
        prompt_tokens: 18,
        completion_tokens: 50,
        total_tokens: 68,
        cached_tokens: 18,
        prompt_tokens_details: { cached_tokens: 18 },
      },
    ]);
    const row = await lastRow("chat_completions");
    expect(tokens(row)).toEqual([0, 50, 18]);
    expect(row.cost_usd as number).toBeCloseTo((50 * 4 + 18 * 0.25) / 1e6, 12);
  });

  test("translated to an Anthropic client: cache_read_input_tokens in message_delta, and in the row", async () => {
    mock.enqueue({ fixture: KIMI });
    const message = await anthropic.messages
      .stream({
        model: "moonshot/kimi-for-coding",
        max_tokens: 50,
        messages: [{ role: "user", content: "Say 'Hello, World!'" }],
      })
      .finalMessage();
    expect(message.usage).toMatchObject({ input_tokens: 0, output_tokens: 50, cache_read_input_tokens: 18 });
    expect(message.stop_reason).toBe("max_tokens");
    expect(tokens(await lastRow("messages"))).toEqual([0, 50, 18]);
  });

  test("JSON with the usage only in the choice, translated: read all the same", async () => {
    mock.enqueue({
      json: {
        id: "chatcmpl-k",
        object: "chat.completion",
        created: 1,
        model: "kimi-for-coding",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: "Hello, World!" },
            finish_reason: "stop",
            usage: { prompt_tokens: 30, completion_tokens: 4, total_tokens: 34, cached_tokens: 24 },
          },
        ],
      },
    });
    const message = await anthropic.messages.create({
      model: "moonshot/kimi-for-coding",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.usage).toMatchObject({ input_tokens: 6, output_tokens: 4, cache_read_input_tokens: 24 });
  });

  test("Groq's x_groq.usage in a translated stream", async () => {
    const chunk = (body: Row) =>
      `data: ${JSON.stringify({ id: "g", object: "chat.completion.chunk", model: "llama", ...body })}\n\n`;
    mock.enqueue({
      sse: [
        chunk({ choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }] }),
        chunk({
          choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
          x_groq: { id: "req_1", usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 } },
        }),
        "data: [DONE]\n\n",
      ],
    });
    const message = await anthropic.messages
      .stream({ model: "openai/gpt-4o-mini", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .finalMessage();
    expect(message.usage).toMatchObject({ input_tokens: 12, output_tokens: 1 });
  });
});

describe("streams with Python-spaced JSON (vLLM, SGLang, LiteLLM)", () => {
  test("usage asked by the client: the spaced usage chunk reaches it unchanged and the row has the tokens", async () => {
    const spaced = SPACED_OPENAI();
    mock.enqueue({ sse: spaced });
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "openai/gpt-4o-mini",
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "weather in SF as JSON" }],
      }),
    });
    expect(await response.text()).toBe(spaced);
    expect(tokens(await lastRow("chat_completions"))).toEqual([17, 10, 0]);
  });

  test("usage added by the gateway: the spaced usage chunk is hidden from the client, still recorded", async () => {
    mock.enqueue({ sse: SPACED_OPENAI() });
    const stream = await openai.chat.completions.create({
      model: "openai/gpt-4o-mini",
      stream: true,
      messages: [{ role: "user", content: "weather in SF as JSON" }],
    });
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((c) => (c as { usage?: unknown }).usage)).toBe(false);
    expect((mock.requests[0]!.body as Row).stream_options).toEqual({ include_usage: true });
    expect(tokens(await lastRow("chat_completions"))).toEqual([17, 10, 0]);
  });
});

describe("count_tokens: a client that leaves", () => {
  test("is a 499 client_gone, not a 500 unexpected error", async () => {
    mock.enqueue({ hang: true });
    const controller = new AbortController();
    const call = fetch(`${gw.url}/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "anthropic/claude-sonnet-4-5",
        messages: [{ role: "user", content: "hi" }],
      }),
      signal: controller.signal,
    }).catch(() => undefined);
    await mock.waitFor((requests) => requests.length === 1);
    controller.abort();
    await call;
    let line: Row | undefined;
    for (let i = 0; i < 100 && !line; i++) {
      line = gw.logs.find((l) => l.msg === "request" && l.endpoint === "count_tokens");
      if (!line) await Bun.sleep(10);
    }
    expect(line).toMatchObject({ status: 499, error: "client_gone" });
    expect(gw.logs.some((l) => l.msg === "unexpected error")).toBe(false);
  });
});

describe("max_tokens_field: a provider setting, not a guess from the model name", () => {
  test("a vLLM provider set to max_completion_tokens gets it for a translated request", async () => {
    await anthropic.messages.create({
      model: "vllm/llama-3.3-70b",
      max_tokens: 77,
      messages: [{ role: "user", content: "hi" }],
    });
    const body = mock.requests[0]?.body as Row;
    expect(body.max_completion_tokens).toBe(77);
    expect(body.max_tokens).toBeUndefined();
  });

  test("resolved per provider: the configured value, else the preset's (OpenAI: max_completion_tokens), else none", async () => {
    const field = (name: string) => gw.config.providers.find((p) => p.name === name)?.maxTokensField;
    expect(field("vllm")).toBe("max_completion_tokens");
    expect(field("openai")).toBe("max_completion_tokens");
    expect(field("moonshot")).toBeUndefined();
  });
});
