// Per-key limits through the real gateway: 429 with Retry-After and x-ratelimit-* headers, in
// each endpoint's own error envelope; counted in /metrics.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parseExposition, sampleValue } from "../metrics/parse-exposition.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { openAICompletion } from "../support/wire-builders.ts";

const MASTER = "master-secret-limits";
const LIMITED = "sk-limited-e2e-secret";
const TOKENS = "sk-tokens-e2e-secret";
const FREE = "sk-free-e2e-secret";
const COUNTER = "sk-counter-e2e-secret";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}
auth:
  master_key: ${MASTER}
  keys:
    - name: limited
      key: ${LIMITED}
      rpm: 2
    - name: tokens
      key: ${TOKENS}
      tpm: 50
    - name: free
      key: ${FREE}
    - name: counter
      key: ${COUNTER}
      rpm: 1
`,
  });
});

afterAll(async () => {
  await gw?.stop();
  await mock?.stop();
});

const chat = (key: string, content = "hi") =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content }] }),
  });

const messages = (key: string) =>
  fetch(`${gw.url}/v1/messages`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: JSON.stringify({
      model: "anthropic/claude-sonnet-4-5",
      max_tokens: 16,
      messages: [{ role: "user", content: "hi" }],
    }),
  });

describe("rpm", () => {
  test("the third request in a minute is refused, in the OpenAI and the Anthropic envelope", async () => {
    const first = await chat(LIMITED);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect((await messages(LIMITED)).status).toBe(200);

    const upstreamCalls = mock.requests.length;
    const refusedOpenAI = await chat(LIMITED);
    expect(refusedOpenAI.status).toBe(429);
    const retryAfter = Number(refusedOpenAI.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30); // one request drains in 30 s at 2 rpm
    expect(refusedOpenAI.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const openaiBody = (await refusedOpenAI.json()) as {
      error: { type: string; message: string; code: string | null };
    };
    expect(openaiBody.error.type).toBe("rate_limit_error");
    expect(openaiBody.error.message).toContain("2 requests per minute");

    const refusedAnthropic = await messages(LIMITED);
    expect(refusedAnthropic.status).toBe(429);
    expect(Number(refusedAnthropic.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const anthropicBody = (await refusedAnthropic.json()) as {
      type: string;
      error: { type: string; message: string };
    };
    expect(anthropicBody.type).toBe("error");
    expect(anthropicBody.error.type).toBe("rate_limit_error");
    expect(JSON.stringify(anthropicBody)).not.toContain(LIMITED);

    // Refused requests never reach the upstream.
    expect(mock.requests.length).toBe(upstreamCalls);
  });

  test("keys without limits are not limited and get no x-ratelimit headers", async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => chat(FREE)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses[0]!.headers.get("x-ratelimit-limit-requests")).toBeNull();
  });
});

describe("tpm", () => {
  test("tokens really used are charged after the response", async () => {
    // A tiny prompt (estimate: a few tokens) that the upstream bills at 500 tokens.
    mock.enqueue({ json: openAICompletion({ usage: { prompt_tokens: 500, completion_tokens: 0 } }) });
    const first = await chat(TOKENS, "y");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit-tokens")).toBe("50");
    expect(Number(first.headers.get("x-ratelimit-remaining-tokens"))).toBeGreaterThan(30);
    await first.text();
    await Bun.sleep(20);
    // Judged on the estimate alone this would pass; the 500 real tokens refuse it.
    const next = await chat(TOKENS, "y");
    expect(next.status).toBe(429);
    expect(Number(next.headers.get("retry-after"))).toBeGreaterThan(60 * 8); // ~450 tokens over at 50/min
    expect(((await next.json()) as { error: { message: string } }).error.message).toContain(
      "50 tokens per minute",
    );
  });
});

describe("metrics", () => {
  test("refusals are counted per key", async () => {
    const text = await (
      await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } })
    ).text();
    const parsed = parseExposition(text);
    expect(sampleValue(parsed, "switchboard_rate_limited_total", { key: "limited" })).toBe(2);
    expect(sampleValue(parsed, "switchboard_rate_limited_total", { key: "tokens" })).toBe(1);
  });
});

describe("count_tokens", () => {
  const count = (body: Record<string, unknown>) =>
    fetch(`${gw.url}/v1/messages/count_tokens`, {
      method: "POST",
      headers: {
        "x-api-key": COUNTER,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({
        model: "anthropic/claude-sonnet-4-5",
        messages: [{ role: "user", content: "hi" }],
        ...body,
      }),
    });

  test("counts against the key's limits and forwards no gateway control", async () => {
    mock.reset();
    const first = await count({ provider_options: { anthropic: { x_probe: 1 } }, meta: true });
    expect(first.status).toBe(200);
    const sent = mock.requests[0]?.body as Record<string, unknown>;
    expect(sent.meta).toBeUndefined();
    expect(sent.provider_options).toBeUndefined();
    const second = await count({});
    expect(second.status).toBe(429);
    expect(((await second.json()) as { type: string }).type).toBe("error");
  });
});

describe("provider_options cannot switch off the gateway's accounting", () => {
  test("stream_options is the gateway's: a 400 naming the field, nothing sent upstream", async () => {
    mock.reset();
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${FREE}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "openai/gpt-4o-mini",
        stream: true,
        messages: [{ role: "user", content: "hi" }],
        provider_options: { openai: { stream_options: { include_usage: false } } },
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { param: string } };
    expect(body.error.param).toBe("provider_options.openai.stream_options");
    expect(mock.requests.length).toBe(0);
  });
});
