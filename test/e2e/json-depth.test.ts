// A deeply nested body is refused before any work, and nothing a client sends can open a
// provider's circuit breaker for everyone else.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { jsonOf, providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}routing:
  retries: 0
  circuit_breaker: { failures: 1, cooldown: 60s }
`,
  });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

/** `{"extra": [[…]]}` with `levels` arrays: the body's depth is levels + 1. */
const nested = (levels: number): string => `${"[".repeat(levels)}${"]".repeat(levels)}`;

const chatText = (model: string, extra: string) =>
  `{"model":"${model}","messages":[{"role":"user","content":"hi"}],"extra":${extra}}`;
const messagesText = (model: string, extra: string) =>
  `{"model":"${model}","max_tokens":8,"messages":[{"role":"user","content":"hi"}],"extra":${extra}}`;

const post = (path: string, body: string) =>
  fetch(`${gw.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

describe("json_depth", () => {
  test("150,000 levels: 400 in OpenAI's envelope naming the path, nothing sent upstream", async () => {
    const response = await post("/v1/chat/completions", chatText("openai/gpt-4o-mini", nested(150_000)));
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.code).toBe("json_too_deep");
    expect(body.error.param.startsWith("extra[0][0]")).toBe(true);
    expect(body.error.message).toContain("128");
    expect(mock.requests.length).toBe(0);
  });

  test("the same on /v1/messages in Anthropic's envelope", async () => {
    const response = await post("/v1/messages", messagesText("anthropic/claude-sonnet-4-5", nested(150_000)));
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("deeper than the limit of 128");
  });

  test("the limit is exact: depth 128 goes through, 129 does not", async () => {
    const ok = await post("/v1/chat/completions", chatText("openai/gpt-4o-mini", nested(127)));
    expect(ok.status).toBe(200);
    const refused = await post("/v1/chat/completions", chatText("openai/gpt-4o-mini", nested(128)));
    expect(refused.status).toBe(400);
  });

  test("hostile bodies leave every provider's breaker closed: the next real request is served", async () => {
    for (let i = 0; i < 3; i++) {
      await post("/v1/chat/completions", chatText("openai/gpt-4o-mini", nested(150_000)));
      await post("/v1/chat/completions", chatText("anthropic/claude-sonnet-4-5", nested(150_000)));
    }
    const ready = await jsonOf(await fetch(`${gw.url}/ready`));
    expect(JSON.stringify(ready)).not.toContain('"open"');
    const response = await post("/v1/chat/completions", chatText("anthropic/claude-sonnet-4-5", "1"));
    expect(response.status).toBe(200);
  });
});
