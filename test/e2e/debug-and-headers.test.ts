import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { jsonOf, providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}
auth:
  master_key: sk-master
  keys:
    - name: app
      key: sk-app
routing:
  retries: 0
`,
  });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});
beforeEach(() => mock.reset());

const chat = (body: Record<string, unknown>, key: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });

describe("x-switchboard-debug: upstream", () => {
  test("JSON: the exact upstream request, secrets redacted, in switchboard_debug", async () => {
    const res = await chat(
      { model: "anthropic/claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: "hi" }] },
      "sk-master",
      { "x-switchboard-debug": "upstream" },
    );
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.choices[0].message.content).toBe("echo: hi");
    const debug = body.switchboard_debug;
    expect(debug.method).toBe("POST");
    expect(debug.url).toBe(`${mock.baseUrls.anthropic}/v1/messages`);
    expect(debug.headers["x-api-key"]).toBe("[redacted]");
    expect(debug.headers["anthropic-version"]).toBe("2023-06-01");
    expect(debug.body).toEqual(mock.requests[0].body);
    expect(JSON.stringify(body)).not.toContain("sk-ant-test");
  });

  test("stream: an SSE comment before the first event; the SDK ignores it", async () => {
    const res = await chat(
      { model: "anthropic/claude-sonnet-4-5", stream: true, messages: [{ role: "user", content: "yo" }] },
      "sk-master",
      { "x-switchboard-debug": "upstream" },
    );
    const text = await res.text();
    expect(text.startsWith(": switchboard_debug {")).toBe(true);
    const comment = text.slice(0, text.indexOf("\n"));
    const debug = JSON.parse(comment.slice(": switchboard_debug ".length));
    expect(debug.body).toEqual(mock.requests[0].body);
    expect(debug.headers["x-api-key"]).toBe("[redacted]");

    const client = new OpenAI({
      baseURL: `${gw.url}/v1`,
      apiKey: "sk-master",
      maxRetries: 0,
      defaultHeaders: { "x-switchboard-debug": "upstream" },
    });
    const final = await client.chat.completions
      .stream({ model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "yo" }] })
      .finalChatCompletion();
    expect(final.choices[0].message.content).toBe("echo: yo");
  });

  test("other keys get 403 unless server.debug is on; bad values are 400", async () => {
    const denied = await chat(
      { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] },
      "sk-app",
      {
        "x-switchboard-debug": "upstream",
      },
    );
    expect(denied.status).toBe(403);
    expect((await jsonOf(denied)).error.type).toBe("permission_error");
    const bad = await chat(
      { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] },
      "sk-master",
      {
        "x-switchboard-debug": "everything",
      },
    );
    expect(bad.status).toBe(400);
    expect(mock.requests.length).toBe(0);
  });
});

describe("x-request-id", () => {
  test("on API, operational, docs and unknown-route responses; a client id is echoed", async () => {
    for (const path of ["/health", "/ready", "/docs", "/docs/json", "/no/such/route"]) {
      const res = await fetch(`${gw.url}${path}`, { headers: { "x-request-id": "trace-123" } });
      expect(res.headers.get("x-request-id")).toBe("trace-123");
    }
    const generated = await fetch(`${gw.url}/health`);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const notFound = await fetch(`${gw.url}/v2/whatever`);
    expect(notFound.status).toBe(404);
    expect((await jsonOf(notFound)).error.type).toBe("not_found_error");
  });

  test("a malformed client id is replaced, not echoed", async () => {
    const res = await fetch(`${gw.url}/health`, { headers: { "x-request-id": "bad id\twith spaces" } });
    expect(res.headers.get("x-request-id")).not.toContain(" ");
  });
});

describe("/ready", () => {
  test("ready with breaker states while running", async () => {
    const res = await fetch(`${gw.url}/ready`);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.status).toBe("ready");
    expect(body.providers.map((p: { name: string }) => p.name)).toEqual(["openai", "anthropic", "gemini"]);
    expect(body.providers[0].state).toBe("closed");
  });
});
