// At the drain deadline, every request still running is recorded (status, `drain_timeout`,
// tokens as far as seen) before the connections are cut: no accepted request goes unrecorded.
import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { providersYaml, startTestGateway } from "../support/gateway.ts";
import { startMockUpstream } from "../support/mock-upstream.ts";
import { anthropicEvents } from "../support/wire-builders.ts";

const dir = mkdtempSync(join(tmpdir(), "switchboard-drain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("requests still running at the drain deadline each get one row, then the process can exit", async () => {
  const mock = await startMockUpstream();
  const dbPath = join(dir, "usage.db");
  const gw = await startTestGateway({
    yaml: `server:\n  drain_timeout: 300ms\n${providersYaml(mock)}`,
    usageStore: new SqliteUsageStore(dbPath),
  });
  // A JSON call that never answers, and a stream that stalls after its first events (with usage).
  mock.enqueue({ hang: true });
  const events = anthropicEvents({
    id: "msg_drain",
    model: "claude-sonnet-4-5",
    usage: { input_tokens: 42, output_tokens: 7 },
    content: [{ type: "text", text: ["Hel", "lo"] }],
  });
  mock.enqueue({ sse: events, hangAfterChunks: 3 });
  const post = (path: string, body: unknown) =>
    fetch(`${gw.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch((error: unknown) => error);
  const json = post("/v1/chat/completions", {
    model: "openai/gpt-4o-mini",
    messages: [{ role: "user", content: "hang" }],
  });
  const streamed = await post("/v1/messages", {
    model: "anthropic/claude-sonnet-4-5",
    max_tokens: 16,
    stream: true,
    messages: [{ role: "user", content: "stall" }],
  });
  expect(streamed).toBeInstanceOf(Response);
  const reader = (streamed as Response).body?.getReader();
  await reader?.read();
  await mock.waitFor((requests) => requests.length === 2);

  const started = performance.now();
  await gw.stop();
  expect(performance.now() - started).toBeLessThan(3000);
  await json;

  const db = new Database(dbPath, { readonly: true });
  const rows = db
    .query("SELECT endpoint, status, error_type, input_tokens, stream FROM usage_records ORDER BY endpoint")
    .all() as Array<Record<string, unknown>>;
  db.close();
  expect(rows).toEqual([
    { endpoint: "chat_completions", status: 503, error_type: "drain_timeout", input_tokens: 0, stream: 0 },
    { endpoint: "messages", status: 200, error_type: "drain_timeout", input_tokens: 42, stream: 1 },
  ]);
  const warning = gw.logs.find((line) => String(line.msg).startsWith("drain timeout"));
  expect(warning?.recorded).toBe(2);
  await mock.stop();
});
