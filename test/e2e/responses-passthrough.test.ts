// /v1/responses to a Responses provider: the zero-copy pipe. Request bytes forwarded as sent,
// response bytes as recorded, usage read on the side from the terminal event, and a stream cut
// short ends the way the API ends a failed one.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { parseExposition, sampleValue } from "../metrics/parse-exposition.ts";
import { readFixture } from "../support/fixtures.ts";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { waitForUsageRow } from "../support/usage-db.ts";
import { anthropicEvents, responsesEvents } from "../support/wire-builders.ts";
import { expectSequenced, type Json, postJson, readEvents, responsesYaml } from "./responses-support.ts";

const MASTER = "sk-master-responses";
const TEAM_KEY = "sk-team-responses";
const dir = mkdtempSync(join(tmpdir(), "switchboard-responses-e2e-"));
const dbPath = join(dir, "usage.db");

let mock: MockUpstream;
let gw: TestGateway;
let db: Database;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: responsesYaml(
      mock,
      `models:
  pro: resp/gpt-5.4
auth:
  master_key: ${MASTER}
  keys:
    - name: team-r
      key: ${TEAM_KEY}
usage:
  prices:
    gpt-5.4: { input: 2, output: 10, cache_read: 0.2 }
`,
    ),
    usageStore: new SqliteUsageStore(dbPath),
  });
  db = new Database(dbPath, { readonly: true });
});

afterAll(async () => {
  db?.close();
  await gw?.stop();
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => mock.reset());

const URL_PATH = "/v1/responses";
const post = (body: unknown, headers: Record<string, string> = {}) =>
  postJson(`${gw.url}${URL_PATH}`, body, { authorization: `Bearer ${TEAM_KEY}`, ...headers });

type Row = Record<string, unknown>;

const rowOf = (requestId: string): Promise<Row> => waitForUsageRow(gw, db, requestId);

const tokensOf = (row: Row) => ({
  input: row.input_tokens,
  output: row.output_tokens,
  cacheRead: row.cache_read_tokens,
  cacheWrite: row.cache_write_tokens,
  reasoning: row.reasoning_tokens,
});

const metrics = async () =>
  parseExposition(
    await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })).text(),
  );

describe("request bytes", () => {
  test("unchanged model, no gateway fields: forwarded byte for byte, to /responses with the provider's key", async () => {
    const body = '{ "model" : "gpt-5.4", "input":"hi" ,"reasoning":{"effort":"high"} , "x_future":1.50 }';
    const response = await post(body, { "x-request-id": "req-resp-1" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-resp-1");
    const seen = mock.requests[0]!;
    expect(seen.path).toBe("/v1/responses");
    expect(seen.bodyText).toBe(body);
    expect(seen.headers.authorization).toBe("Bearer sk-resp-test");
    expect(JSON.stringify(seen.headers)).not.toContain(TEAM_KEY);
  });

  test("an alias changes only `model`; provider and fallbacks are removed", async () => {
    const sent = {
      model: "pro",
      input: [{ role: "user", content: [{ type: "input_text", text: "hi" }] }],
      tools: [{ type: "web_search" }],
      include: ["reasoning.encrypted_content"],
      store: false,
      provider: { order: ["resp"] },
      fallbacks: ["openai/gpt-4o-mini"],
      stream: true,
    };
    const response = await post(sent);
    expect(response.status).toBe(200);
    await response.text();
    const { provider: _provider, fallbacks: _fallbacks, ...rest } = sent;
    expect(mock.requests[0]!.body).toEqual({ ...rest, model: "gpt-5.4" });
    // Key order as the client wrote it.
    expect(Object.keys(mock.requests[0]!.body as Json)).toEqual(Object.keys(rest));
  });
});

describe("response bytes", () => {
  test("JSON (recorded): the provider's bytes exactly, with the gateway's headers", async () => {
    const fixture = "openai-responses/gomodel-text-gpt-4o-mini.json";
    mock.enqueue({ fixture });
    const response = await post({ model: "pro", input: "Say hello" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-switchboard-provider")).toBe("resp");
    expect(response.headers.get("x-switchboard-model")).toBe("gpt-5.4");
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(await response.text()).toBe(readFixture(fixture));
  });

  test.each([
    "openai-responses/gomodel-text-gpt-4o-mini-stream.txt",
    "openai-responses/vercel-ai-reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-stream.txt",
    "openai-responses/pydantic-ai-function-call-gpt-4o-legacy-noseq-stream.txt",
    "openai-responses/pydantic-ai-mcp-list-tools-call-o4-mini-stream.txt",
    "openai-responses/pydantic-ai-background-queued-gpt-4o-stream.txt",
    "openai-responses/gomodel-xai-grok-3-mini-text-stream.txt",
  ])("SSE (recorded %s): the bytes exactly, nothing appended", async (fixture) => {
    mock.enqueue({ fixture });
    const response = await post({ model: "pro", input: "Say hello", stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(await response.text()).toBe(readFixture(fixture));
  });

  test("SSE written in one chunk: still the bytes exactly", async () => {
    const fixture = "openai-responses/gomodel-text-gpt-4o-mini-stream.txt";
    mock.enqueue({ fixture, splitEvents: false });
    const response = await post({ model: "pro", input: "Say hello", stream: true });
    expect(await response.text()).toBe(readFixture(fixture));
  });
});

describe("usage from the pipe", () => {
  test("JSON (recorded cached tokens): the row has the upstream's usage, cached tokens apart", async () => {
    mock.enqueue({ fixture: "openai-responses/ddtrace-cached-tokens-gpt-4o.json" });
    const response = await post({ model: "pro", input: "1, 2, ..." });
    await response.text();
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(tokensOf(row)).toEqual({
      input: 1515 - 1390,
      output: 8,
      cacheRead: 1390,
      cacheWrite: 0,
      reasoning: 0,
    });
    expect(row).toMatchObject({
      key_name: "team-r",
      endpoint: "responses",
      model_requested: "pro",
      provider: "resp",
      model: "gpt-5.4",
      status: 200,
      stream: 0,
      error_type: null,
    });
    expect(row.cost_usd as number).toBeCloseTo((125 * 2 + 8 * 10 + 1390 * 0.2) / 1e6, 15);
  });

  test("stream (recorded web search, cached and reasoning tokens): usage from response.completed; metrics count it", async () => {
    const before = await metrics();
    mock.enqueue({ fixture: "openai-responses/pydantic-ai-web-search-reasoning-cached-gpt-5-stream.txt" });
    const response = await post({ model: "pro", input: "search", stream: true });
    await response.text();
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(tokensOf(row)).toEqual({
      input: 9463 - 8320,
      output: 582,
      cacheRead: 8320,
      cacheWrite: 0,
      reasoning: 512,
    });
    expect(row).toMatchObject({ endpoint: "responses", stream: 1, status: 200, error_type: null });
    expect(row.ttft_ms).not.toBeNull();
    const after = await metrics();
    const labels = { provider: "resp", model: "gpt-5.4", key: "team-r" };
    const delta = (name: string, l: Record<string, string>) =>
      (sampleValue(after, name, l) ?? 0) - (sampleValue(before, name, l) ?? 0);
    expect(delta("switchboard_tokens_total", { ...labels, type: "input" })).toBe(1143);
    expect(delta("switchboard_tokens_total", { ...labels, type: "output" })).toBe(582);
    expect(delta("switchboard_tokens_total", { ...labels, type: "cache_read" })).toBe(8320);
    expect(delta("switchboard_requests_total", { endpoint: "responses", ...labels, status: "200" })).toBe(1);
  });

  test("stream cut by max_output_tokens (response.incomplete): usage still recorded", async () => {
    mock.enqueue({
      sse: responsesEvents({
        model: "gpt-5.4",
        pieces: ["The sky", " is"],
        status: "incomplete",
        usage: { input_tokens: 30, output_tokens: 4, cache_write_tokens: 12 },
      }),
    });
    const response = await post({ model: "pro", input: "sky?", stream: true, max_output_tokens: 16 });
    const events = await readEvents(response);
    expect(events.at(-1)?.event).toBe("response.incomplete");
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(tokensOf(row)).toEqual({ input: 18, output: 4, cacheRead: 0, cacheWrite: 12, reasoning: 0 });
  });
});

describe("usage of translated answers on /v1/responses", () => {
  test("Anthropic stream: the row says endpoint responses, with Anthropic's tokens", async () => {
    mock.enqueue({
      sse: anthropicEvents({
        content: "hello",
        usage: {
          input_tokens: 50,
          output_tokens: 7,
          cache_read_input_tokens: 10,
          cache_creation_input_tokens: 5,
        },
      }),
    });
    const response = await post({ model: "anthropic/claude-sonnet-4-5", input: "hi", stream: true });
    const events = await readEvents(response);
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(tokensOf(row)).toEqual({ input: 50, output: 7, cacheRead: 10, cacheWrite: 5, reasoning: 0 });
    expect(row).toMatchObject({
      endpoint: "responses",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      stream: 1,
    });
    // What the client was told agrees with the row.
    expect((events.at(-1)!.data.response as Json).usage).toEqual({
      input_tokens: 65,
      input_tokens_details: { cached_tokens: 10, cache_write_tokens: 5 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 72,
    });
  });
});

describe("a stream cut short", () => {
  test("connection reset mid-way: the bytes so far, then `error` and `response.failed`, numbered on", async () => {
    const chunks = responsesEvents({ id: "resp_cut", model: "gpt-5.4", pieces: ["one ", "two ", "three"] });
    mock.enqueue({ sse: chunks, dropAfterChunks: 5 });
    const response = await post({ model: "pro", input: "count", stream: true });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith(chunks.slice(0, 5).join(""))).toBe(true);
    const events = await readEvents(new Response(text));
    expectSequenced(events);
    expect(events.map((e) => e.event)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "error",
      "response.failed",
    ]);
    const [error, failed] = events.slice(-2).map((e) => e.data);
    // The same error shape the translating encoder sends: OpenAI's code, nested and flat.
    const message = (error as { message: string }).message;
    expect(message).toStartWith("The connection to the provider failed mid-stream");
    expect(error).toEqual({
      type: "error",
      sequence_number: 5,
      error: { type: "api_error", code: "server_error", message, param: null },
      code: "server_error",
      message,
      param: null,
    });
    expect(failed).toEqual({
      type: "response.failed",
      sequence_number: 6,
      response: {
        id: "resp_cut",
        object: "response",
        status: "failed",
        error: { code: "server_error", message },
        output: [],
      },
    });
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row.error_type).toMatch(/^stream_/);
  });

  test("a clean close before the terminal event is failed the same way", async () => {
    const chunks = responsesEvents({ id: "resp_short", model: "gpt-5.4", pieces: ["a", "b"] });
    mock.enqueue({ sse: chunks.slice(0, -1) });
    const events = await readEvents(await post({ model: "pro", input: "x", stream: true }));
    expectSequenced(events);
    expect(events.slice(-3).map((e) => e.event)).toEqual([
      "response.output_item.done",
      "error",
      "response.failed",
    ]);
    expect(events.at(-1)?.data.response).toMatchObject({ id: "resp_short", status: "failed" });
  });

  test("translated (Anthropic upstream reset mid-way): the encoder ends with `error` then `response.failed`", async () => {
    const chunks = anthropicEvents({ content: [{ type: "text", text: ["one ", "two ", "three"] }] });
    mock.enqueue({ sse: chunks, dropAfterChunks: 4 });
    const events = await readEvents(
      await post({ model: "anthropic/claude-sonnet-4-5", input: "count", stream: true }),
    );
    expectSequenced(events);
    expect(events.map((e) => e.event)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "error",
      "response.failed",
    ]);
    const failed = events.at(-1)?.data.response as Json;
    expect(failed.status).toBe("failed");
    expect(failed.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: "message",
        status: "incomplete",
        content: [{ type: "output_text", annotations: [], logprobs: [], text: "one " }],
        role: "assistant",
      },
    ]);
  });
});
