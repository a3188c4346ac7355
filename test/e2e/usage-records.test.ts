// Usage rows, /v1/usage and /metrics through the real gateway: the tokens recorded are the
// tokens the upstream reported, for JSON, streams and translated streams.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { parseExposition, sampleValue } from "../metrics/parse-exposition.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { waitForUsageRow } from "../support/usage-db.ts";
import {
  anthropicEvents,
  anthropicMessage,
  openAIChunks,
  openAICompletion,
} from "../support/wire-builders.ts";

const MASTER = "master-secret-e2e";
const TEAM_KEY = "sk-team-a-e2e";
const dir = mkdtempSync(join(tmpdir(), "switchboard-usage-e2e-"));
const dbPath = join(dir, "usage.db");

let mock: MockUpstream;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;
let db: Database;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}
auth:
  master_key: ${MASTER}
  keys:
    - name: team-a
      key: ${TEAM_KEY}
usage:
  prices:
    claude-sonnet-4-5: { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 }
`,
    usageStore: new SqliteUsageStore(dbPath),
  });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: TEAM_KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: TEAM_KEY, maxRetries: 0 });
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

const rowOf = (requestId: string): Promise<Row> => waitForUsageRow(gw, db, requestId);

const tokensOf = (row: Row) => ({
  input: row.input_tokens,
  output: row.output_tokens,
  cacheRead: row.cache_read_tokens,
  cacheWrite: row.cache_write_tokens,
  reasoning: row.reasoning_tokens,
});

const OPENAI_USAGE = { prompt_tokens: 100, completion_tokens: 20, cached_tokens: 30, reasoning_tokens: 5 };
// IR convention: input excludes cache reads (100 − 30).
const OPENAI_TOKENS = { input: 70, output: 20, cacheRead: 30, cacheWrite: 0, reasoning: 5 };
const ANTHROPIC_USAGE = {
  input_tokens: 50,
  output_tokens: 7,
  cache_read_input_tokens: 10,
  cache_creation_input_tokens: 5,
};
const ANTHROPIC_TOKENS = { input: 50, output: 7, cacheRead: 10, cacheWrite: 5, reasoning: 0 };
// claude-sonnet-4-5 at the config prices above
const ANTHROPIC_COST = (50 * 3 + 7 * 15 + 10 * 0.3 + 5 * 3.75) / 1e6;

describe("usage rows", () => {
  test("OpenAI JSON, same protocol: every column", async () => {
    mock.enqueue({ json: openAICompletion({ model: "gpt-4o-mini", usage: OPENAI_USAGE }) });
    const { response } = await openai.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    const requestId = response.headers.get("x-request-id")!;
    const row = await rowOf(requestId);
    expect(tokensOf(row)).toEqual(OPENAI_TOKENS);
    expect(row).toMatchObject({
      key_name: "team-a",
      endpoint: "chat_completions",
      model_requested: "openai/gpt-4o-mini",
      provider: "openai",
      model: "gpt-4o-mini",
      attempts: 1,
      status: 200,
      stream: 0,
      ttft_ms: null,
      error_type: null,
    });
    expect(row.cost_usd as number).toBeCloseTo((70 * 0.15 + 30 * 0.075 + 20 * 0.6) / 1e6, 15);
    expect(row.latency_ms as number).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(row.attempts_json as string)).toMatchObject([
      { provider: "openai", status: 200, outcome: "ok" },
    ]);
  });

  test("OpenAI stream, same protocol: usage from the final chunk, ttft recorded", async () => {
    mock.enqueue({ sse: openAIChunks({ model: "gpt-4o-mini", text: ["a", "b"], usage: OPENAI_USAGE }) });
    const { data: stream, response } = await openai.chat.completions
      .create({
        model: "openai/gpt-4o-mini",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    for await (const _ of stream) {
      // drain
    }
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(tokensOf(row)).toEqual(OPENAI_TOKENS);
    expect(row.stream).toBe(1);
    expect(row.ttft_ms).not.toBeNull();
  });

  test("Anthropic JSON, same protocol: cache reads and writes kept apart, config price used", async () => {
    mock.enqueue({ json: anthropicMessage({ model: "claude-sonnet-4-5", usage: ANTHROPIC_USAGE }) });
    const { response } = await anthropic.messages
      .create({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 32,
        messages: [{ role: "user", content: "hi" }],
      })
      .withResponse();
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(tokensOf(row)).toEqual(ANTHROPIC_TOKENS);
    expect(row).toMatchObject({ endpoint: "messages", provider: "anthropic", model: "claude-sonnet-4-5" });
    expect(row.cost_usd as number).toBeCloseTo(ANTHROPIC_COST, 15);
  });

  test("translated stream: OpenAI client, Anthropic upstream", async () => {
    mock.enqueue({
      sse: anthropicEvents({ model: "claude-sonnet-4-5", content: "hello", usage: ANTHROPIC_USAGE }),
    });
    const { data: stream, response } = await openai.chat.completions
      .create({
        model: "anthropic/claude-sonnet-4-5",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(tokensOf(row)).toEqual(ANTHROPIC_TOKENS);
    expect(row.stream).toBe(1);
    // What the client was told agrees with the row (OpenAI counts cached tokens inside prompt_tokens).
    expect(usage?.prompt_tokens).toBe(50 + 10 + 5);
    expect(usage?.completion_tokens).toBe(7);
  });

  test("translated stream: Anthropic client, OpenAI upstream", async () => {
    mock.enqueue({ sse: openAIChunks({ model: "gpt-4o-mini", text: ["x", "y"], usage: OPENAI_USAGE }) });
    const stream = anthropic.messages.stream({
      model: "openai/gpt-4o-mini",
      max_tokens: 32,
      messages: [{ role: "user", content: "hi" }],
    });
    const final = await stream.finalMessage();
    const { response } = await stream.withResponse();
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(tokensOf(row)).toEqual(OPENAI_TOKENS);
    expect(row.endpoint).toBe("messages");
    expect(final.usage.input_tokens).toBe(70);
    expect(final.usage.cache_read_input_tokens).toBe(30);
  });

  test("a failed request is recorded with its status and no tokens", async () => {
    mock.enqueue({ error: { status: 400, message: "bad things" } });
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEAM_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(400);
    const row = await rowOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ status: 400, input_tokens: 0, output_tokens: 0, cost_usd: null });
  });
});

describe("GET /v1/usage", () => {
  const get = (query: string, key?: string) =>
    fetch(`${gw.url}/v1/usage${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  test("needs the master key", async () => {
    expect((await get("")).status).toBe(401);
    const forbidden = await get("", TEAM_KEY);
    expect([401, 403]).toContain(forbidden.status);
    expect(JSON.stringify(await forbidden.json())).not.toContain(TEAM_KEY);
  });

  test("sums the rows, grouped, and agrees with the table", async () => {
    mock.enqueue({ json: openAICompletion({ model: "gpt-4o-mini", usage: OPENAI_USAGE }) });
    await openai.chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    const response = await get("?group_by=key,provider", MASTER);
    expect(response.status).toBe(200);
    const summary = (await response.json()) as {
      object: string;
      rows: Array<Record<string, unknown>>;
      totals: Record<string, number>;
    };
    expect(summary.object).toBe("usage.summary");
    const expected = db
      .query(
        "SELECT key_name AS key, provider, COUNT(*) AS requests, SUM(input_tokens) AS input_tokens FROM usage_records GROUP BY 1, 2",
      )
      .all() as Array<Record<string, unknown>>;
    for (const want of expected) {
      const got = summary.rows.find((r) => r.key === want.key && r.provider === want.provider);
      expect(got).toMatchObject({ requests: want.requests, input_tokens: want.input_tokens });
    }
    expect(summary.totals.requests).toBe(
      (db.query("SELECT COUNT(*) AS n FROM usage_records").get() as { n: number }).n,
    );
  });

  test("bad parameters are a 400 naming the parameter", async () => {
    const response = await get("?group_by=colour", MASTER);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param?: string; message: string } };
    expect(body.error.message).toContain("group_by");
  });
});

describe("GET /metrics", () => {
  test("needs the master key, and counts what happened", async () => {
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
    mock.enqueue({ json: anthropicMessage({ model: "claude-sonnet-4-5", usage: ANTHROPIC_USAGE }) });
    const before = parseExposition(
      await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })).text(),
    );
    await anthropic.messages.create({
      model: "anthropic/claude-sonnet-4-5",
      max_tokens: 32,
      messages: [{ role: "user", content: "hi" }],
    });
    await Bun.sleep(20);
    const response = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const after = parseExposition(await response.text());
    const labels = {
      endpoint: "messages",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      key: "team-a",
      status: "200",
    };
    const delta = (name: string, l: Record<string, string>) =>
      (sampleValue(after, name, l) ?? 0) - (sampleValue(before, name, l) ?? 0);
    expect(delta("switchboard_requests_total", labels)).toBe(1);
    const tl = { provider: "anthropic", model: "claude-sonnet-4-5", key: "team-a" };
    expect(delta("switchboard_tokens_total", { ...tl, type: "input" })).toBe(50);
    expect(delta("switchboard_tokens_total", { ...tl, type: "output" })).toBe(7);
    expect(delta("switchboard_tokens_total", { ...tl, type: "cache_read" })).toBe(10);
    expect(delta("switchboard_tokens_total", { ...tl, type: "cache_write" })).toBe(5);
    expect(delta("switchboard_cost_usd_total", tl)).toBeCloseTo(ANTHROPIC_COST, 12);
    expect(sampleValue(after, "switchboard_requests_in_flight")).toBe(0);
    expect(sampleValue(after, "switchboard_streams_in_flight")).toBe(0);
    expect(sampleValue(after, "switchboard_circuit_breaker_state", { provider: "anthropic" })).toBe(0);
    expect(sampleValue(after, "switchboard_usage_records_dropped_total")).toBe(0);
    expect(after.types.get("switchboard_time_to_first_token_seconds")).toBe("histogram");
  });
});
