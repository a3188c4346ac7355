// Bugs the fuzz and the soak found in src/gateway/ (docs/reliability.md), each fixed and kept
// here as the regression test that would have caught it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SqliteUsageStore } from "../../src/usage/sqlite-store.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(
      mock,
      `  quick:
    type: anthropic
    base_url: ${mock.baseUrls.anthropic}
    api_key: sk-quick
    stall_timeout: 300ms
  basic:
    type: openai
    base_url: http://proxy-user:basic-pass-7e1f@127.0.0.1:${mock.port}/v1
    api_key: sk-basic
`,
    )}routing:
  retries: 0
`,
    usageStore: new SqliteUsageStore(":memory:"),
  });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

const post = (path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });

// headerSafe() (src/gateway/header-value.ts) percent-encodes with encodeURIComponent, which throws
// URIError on a lone surrogate: a model name "…\ud800" (legal JSON) is a 500 after the upstream
// call was made and billed. Fix: encode `value.toWellFormed()`.
test("a lone surrogate in a model name is answered without a 500", async () => {
  for (const [path, model] of [
    ["/v1/chat/completions", "openai/gpt-4o-mini\ud800"],
    ["/v1/messages", "anthropic/claude-sonnet-4-5\ud800"],
    ["/v1/chat/completions", "anthropic/claude-sonnet-4-5\udfff"],
  ] as const) {
    const response = await post(path, { model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
    expect(response.status).toBeLessThan(500);
  }
});

// src/gateway/handle-count-tokens.ts reads the provider's answer with `response.text()` after
// callUpstream returned: no stall timeout, and a read error escapes the attempt.
describe("count_tokens, forwarded to an Anthropic provider", () => {
  const countTokens = (signal?: AbortSignal) =>
    post(
      "/v1/messages/count_tokens",
      { model: "quick/claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] },
      signal,
    );

  test("an answer that stalls after its headers is a 504 after stall_timeout, not a hang", async () => {
    mock.enqueue({
      sse: ['{"input_tokens":', "12}"],
      headers: { "content-type": "application/json" },
      hangAfterChunks: 1,
    });
    const response = await countTokens(AbortSignal.timeout(1000));
    expect(response.status).toBe(504);
  });

  test("a connection reset in the middle of the answer is a 502 (an upstream failure), not a 500", async () => {
    mock.enqueue({
      sse: ['{"input_tokens":', "12}"],
      headers: { "content-type": "application/json" },
      dropAfterChunks: 1,
    });
    const response = await countTokens();
    expect(response.status).toBe(502);
  });

  // docs/operations.md: every request to a model endpoint, count_tokens included, whose body named
  // a model becomes one row. handleCountTokens never sets ctx.modelRequested, so none is written.
  test("gets its usage row", async () => {
    const usage = async () => {
      const summary = (await (await fetch(`${gw.url}/v1/usage`)).json()) as { totals: { requests: number } };
      return summary.totals.requests;
    };
    const before = await usage();
    expect((await countTokens()).status).toBe(200);
    await Bun.sleep(20);
    expect(await usage()).toBe(before + 1);
  });
});

// The debug view (src/gateway/receive-answer.ts) shows `call.url` as is: a base_url with
// credentials (`https://user:password@host`) is echoed with its password. Fix: pass the URL
// through a redaction like src/cli/redact-url.ts (moved below both, e.g. to providers/).
test("x-switchboard-debug never shows a password from a base_url", async () => {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-switchboard-debug": "upstream" },
    body: JSON.stringify({ model: "basic/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
  });
  expect(response.status).toBe(200);
  expect(await response.text()).not.toContain("basic-pass-7e1f");
});
