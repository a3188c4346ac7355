// Item 8 of issue 15: `x-switchboard-debug: upstream` shows the exact upstream request with every
// configured secret redacted: credential headers by name, configured header values by name and
// by value, and any header whose value holds a provider key. Body logs never hold a provider key.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { jsonOf, type LooseJson, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

const SECRETS = {
  openaiKey: "sk-oai-debug-key-1f2e3d",
  openaiSecondKey: "sk-oai-debug-key-two-9a8b",
  portkeyHeader: "pk-header-value-77c1",
  heliconeHeader: "Bearer helicone-secret-5e5e",
  anthropicKey: "ant-debug-key-4c4c4c",
  anthropicHeader: "tenant-secret-0d0d0d",
  geminiKey: "gm-debug-key-6b6b6b",
  masterKey: "sk-master-debug-3a3a3a",
  appKey: "sk-app-debug-2b2b2b",
};
const SECRET_VALUES = Object.values(SECRETS);

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `auth:
  master_key: ${SECRETS.masterKey}
  keys:
    - { name: app, key: ${SECRETS.appKey} }
providers:
  custom:
    type: openai
    base_url: ${mock.baseUrls.openai}
    keys: [${SECRETS.openaiKey}, ${SECRETS.openaiSecondKey}]
    models: [gpt-4o-mini]
    headers:
      X-Portkey-Api-Key: ${SECRETS.portkeyHeader}
      Helicone-Auth: "${SECRETS.heliconeHeader}"
      X-Feature: "on"
  ant:
    type: anthropic
    base_url: ${mock.baseUrls.anthropic}
    api_key: ${SECRETS.anthropicKey}
    models: [claude-sonnet-4-5]
    headers:
      X-Tenant: ${SECRETS.anthropicHeader}
  gem:
    type: gemini
    base_url: ${mock.baseUrls.gemini}
    api_key: ${SECRETS.geminiKey}
    models: [gemini-2.5-flash]
routing:
  retries: 0
usage:
  log_bodies: true
`,
  });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});
beforeEach(() => mock.reset());

function expectNoSecret(text: string): void {
  for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
}

const debugChat = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${SECRETS.masterKey}`,
      "x-switchboard-debug": "upstream",
      ...headers,
    },
    body: JSON.stringify({ messages: [{ role: "user", content: "hello" }], ...body }),
  });

describe("the debug view redacts every configured secret", () => {
  test("custom headers by name, whatever their name, and the credential", async () => {
    const res = await debugChat({ model: "custom/gpt-4o-mini" });
    expect(res.status).toBe(200);
    const text = await res.text();
    expectNoSecret(text);
    const debug: LooseJson = JSON.parse(text).switchboard_debug;
    expect(debug.headers.authorization).toBe("[redacted]");
    expect(debug.headers["x-portkey-api-key"]).toBe("[redacted]");
    expect(debug.headers["helicone-auth"]).toBe("[redacted]");
    // A configured value, even a harmless one, is redacted; a short one does not spread to others.
    expect(debug.headers["x-feature"]).toBe("[redacted]");
    expect(debug.headers["content-type"]).toBe("application/json");
    // The upstream really got them: the view is of the real request.
    expect(mock.requests[0]?.headers["x-portkey-api-key"]).toBe(SECRETS.portkeyHeader);
  });

  test("a forwarded client header holding a provider key is redacted by value", async () => {
    const res = await debugChat(
      { model: "custom/gpt-4o-mini" },
      { "openai-organization": `org-${SECRETS.openaiSecondKey}`, "openai-beta": "assistants=v2" },
    );
    const body = await jsonOf(res);
    expect(body.switchboard_debug.headers["openai-organization"]).toBe("[redacted]");
    expect(body.switchboard_debug.headers["openai-beta"]).toBe("assistants=v2");
  });

  test("translated to Anthropic: x-api-key and the configured header; anthropic-version shown", async () => {
    const res = await debugChat({ model: "ant/claude-sonnet-4-5", max_tokens: 20 });
    const text = await res.text();
    expectNoSecret(text);
    const debug: LooseJson = JSON.parse(text).switchboard_debug;
    expect(debug.headers["x-api-key"]).toBe("[redacted]");
    expect(debug.headers["x-tenant"]).toBe("[redacted]");
    expect(debug.headers["anthropic-version"]).toBe("2023-06-01");
    expect(debug.body).toEqual(mock.requests[0]?.body);
  });

  test("Gemini: the key header, and no key in the URL", async () => {
    const res = await debugChat({ model: "gem/gemini-2.5-flash" });
    const text = await res.text();
    expectNoSecret(text);
    const debug: LooseJson = JSON.parse(text).switchboard_debug;
    expect(debug.headers["x-goog-api-key"]).toBe("[redacted]");
    expect(debug.url).not.toContain("key=");
  });

  test("streams: the SSE comment is redacted the same way", async () => {
    for (const model of ["custom/gpt-4o-mini", "ant/claude-sonnet-4-5", "gem/gemini-2.5-flash"]) {
      const res = await debugChat({ model, stream: true, max_tokens: 20 });
      const text = await res.text();
      expect(text.startsWith(": switchboard_debug {")).toBe(true);
      expectNoSecret(text);
    }
  });

  test("the Anthropic client endpoint, same protocol (zero-copy path with debug)", async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": SECRETS.masterKey,
        "x-switchboard-debug": "upstream",
      },
      body: JSON.stringify({
        model: "ant/claude-sonnet-4-5",
        max_tokens: 20,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expectNoSecret(text);
    expect(JSON.parse(text).switchboard_debug.headers["x-tenant"]).toBe("[redacted]");
  });
});

test("body logs and request log lines never hold a provider key, gateway key or header value", async () => {
  for (const model of ["custom/gpt-4o-mini", "ant/claude-sonnet-4-5", "gem/gemini-2.5-flash"]) {
    for (const stream of [false, true]) {
      const res = await debugChat({ model, stream, max_tokens: 20 });
      await res.text();
    }
  }
  // Finished requests are logged after the response; give the last one a moment.
  await Bun.sleep(50);
  const bodyLines = gw.logs.filter((line) => line.msg === "body");
  expect(bodyLines.length).toBeGreaterThan(6);
  expect(new Set(bodyLines.map((line) => line.direction))).toContain("upstream_request");
  expectNoSecret(JSON.stringify(gw.logs));
});
