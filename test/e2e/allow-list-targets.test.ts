// The key's model allow-list covers every target the request itself names (fallbacks, the
// provider control), on every generation endpoint, before any upstream call.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type RoutingUpstreams, routingYaml, startRoutingUpstreams } from "./routing-support.ts";

let up: RoutingUpstreams;
let gw: TestGateway;

const KEY = "sk-narrow-key";

beforeAll(async () => {
  up = await startRoutingUpstreams();
  const yaml = routingYaml(
    up,
    "  retries: 0",
    `  shared-a:
    type: openai
    base_url: ${up.a.baseUrls.openai}
    api_key: sk-shared-a
    models: [shared-model]
  shared-b:
    type: openai
    base_url: ${up.b.baseUrls.openai}
    api_key: sk-shared-b
    models: [shared-model]
`,
  );
  gw = await startTestGateway({
    yaml: `${yaml}auth:
  master_key: sk-master
  keys:
    - name: narrow
      key: ${KEY}
      models: ["oa-a/*", "shared-model", "chat"]
`,
  });
});

afterAll(async () => {
  await gw.stop();
  await up.stop();
});

beforeEach(() => {
  up.a.reset();
  up.b.reset();
  up.a.setDefault({ error: { status: 500, message: "first target down" } });
  up.b.setDefault({ echo: true });
});

const post = (path: string, body: unknown) =>
  fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const chat = (extra: Record<string, unknown>) =>
  post("/v1/chat/completions", { messages: [{ role: "user", content: "hi" }], ...extra });

const messages = (extra: Record<string, unknown>) =>
  post("/v1/messages", { max_tokens: 16, messages: [{ role: "user", content: "hi" }], ...extra });

const upstreamCalls = () => up.a.requests.length + up.b.requests.length;

describe("fallbacks are checked against the allow-list", () => {
  test("chat: a disallowed fallback is a 403 naming it, and no upstream is called", async () => {
    const response = await chat({ model: "oa-a/gpt-4o-mini", fallbacks: ["an-b/claude-sonnet-4-5"] });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error.type).toBe("permission_error");
    expect(body.error.param).toBe("fallbacks[0]");
    expect(body.error.message).toContain("an-b/claude-sonnet-4-5");
    expect(upstreamCalls()).toBe(0);
  });

  test("messages: the same in Anthropic's envelope", async () => {
    const response = await messages({
      model: "oa-a/gpt-4o-mini",
      fallbacks: ["oa-a/gpt-4o", "an-b/claude-sonnet-4-5"],
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { type: string; error: Record<string, unknown> };
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("permission_error");
    expect(body.error.message).toContain("fallbacks[1]");
    expect(upstreamCalls()).toBe(0);
  });

  test("a disallowed name is a 403 even when it is not configured (no existence oracle)", async () => {
    const response = await chat({ model: "oa-a/gpt-4o-mini", fallbacks: ["no-such-model"] });
    expect(response.status).toBe(403);
  });

  test("count_tokens checks fallbacks too", async () => {
    const response = await post("/v1/messages/count_tokens", {
      model: "oa-a/gpt-4o-mini",
      fallbacks: ["an-b/claude-sonnet-4-5"],
      messages: [{ role: "user", content: "hi" }],
    });
    expect(response.status).toBe(403);
  });

  test("allowed fallbacks are used as before", async () => {
    const response = await chat({ model: "oa-a/gpt-4o-mini", fallbacks: ["oa-a/gpt-4o"] });
    // Both allowed targets are on upstream a, which fails: the last upstream status comes back.
    expect(response.status).toBe(500);
    expect(up.a.requests.length).toBe(2);
    expect(up.b.requests.length).toBe(0);
  });

  test("an allowed alias is allowed whole: its configured members are the operator's choice", async () => {
    const response = await chat({ model: "chat" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
  });
});

describe("the provider control is checked against the allow-list", () => {
  test("naming a provider the key may not reach for that model is a 403 naming 'provider'", async () => {
    const response = await chat({ model: "shared-model", provider: "shared-b" });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error.param).toBe("provider");
    expect(body.error.message).toContain("shared-b/shared-model");
    expect(upstreamCalls()).toBe(0);
  });

  test("providers only let in by the control are left out, not called", async () => {
    const response = await chat({ model: "shared-model", provider: { ignore: ["oa-b"] } });
    // shared-a (upstream a) fails; shared-b would answer but the key may not reach it.
    expect(response.status).toBe(500);
    expect(up.a.requests.length).toBe(1);
    expect(up.b.requests.length).toBe(0);
  });

  test("the master key is not limited", async () => {
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-master", "content-type": "application/json" },
      body: JSON.stringify({
        model: "oa-a/gpt-4o-mini",
        fallbacks: ["oa-b/gpt-4o-mini"],
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
  });
});
