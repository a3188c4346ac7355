import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { readFixture } from "../support/fixtures.ts";
import { jsonOf, providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock, `  slow:\n    type: openai\n    base_url: ${mock.baseUrls.openai}\n    api_key: sk-slow\n    timeout: 300ms\n`)}
models:
  fast: openai/gpt-4o-mini
auth:
  master_key: sk-gateway-master
server:
  body_limit: 64KiB
routing:
  retries: 0
`,
  });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-gateway-master", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const post = (body: unknown, headers: Record<string, string> = {}, path = "/v1/chat/completions") =>
  fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-gateway-master", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("OpenAI client → OpenAI-type provider (zero-copy path)", () => {
  test("JSON: the provider's bytes reach the client unchanged, with gateway headers", async () => {
    mock.enqueue({ fixture: "openai/gomodel-chat_completion.json" });
    const res = await post({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readFixture("openai/gomodel-chat_completion.json"));
    expect(res.headers.get("x-switchboard-provider")).toBe("openai");
    expect(res.headers.get("x-switchboard-model")).toBe("gpt-4o-mini");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  test("upstream request: body as sent except model, provider key set, client key and gateway fields gone", async () => {
    const body =
      '{"model":"fast","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"low","future_field":{"x":1},"fallbacks":["openai/gpt-5"]}';
    const res = await post(body, { "openai-organization": "org-1", "x-request-id": "req-abc" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("req-abc");
    const seen = mock.requests[0];
    expect(seen.path).toBe("/v1/chat/completions");
    expect(seen.headers.authorization).toBe("Bearer sk-openai-test");
    expect(seen.headers["openai-organization"]).toBe("org-1");
    expect(JSON.stringify(seen.headers)).not.toContain("sk-gateway-master");
    expect(seen.body).toEqual({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      reasoning_effort: "low",
      future_field: { x: 1 },
    });
  });

  test("unchanged model and no gateway fields: the request bytes are forwarded as sent", async () => {
    const body = '{ "model" : "gpt-4o-mini", "messages":[{"role":"user","content":"hi"}] , "x":1.50 }';
    await post(body);
    expect(mock.requests[0].bodyText).toBe(body);
  });

  test("streaming with include_usage: the client receives the recorded bytes exactly", async () => {
    mock.enqueue({ fixture: "openai/gomodel-chat_completion_stream.txt" });
    const res = await post({
      model: "openai/gpt-4o-mini",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toBe(readFixture("openai/gomodel-chat_completion_stream.txt"));
  });

  test("streaming without include_usage: the gateway asks for usage and hides the usage chunk", async () => {
    const res = await post({
      model: "openai/gpt-4o-mini",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    const text = await res.text();
    expect((mock.requests[0].body as { stream_options: unknown }).stream_options).toEqual({
      include_usage: true,
    });
    const datas = text
      .split("\n\n")
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ""));
    expect(datas.at(-1)).toBe("[DONE]");
    for (const data of datas.slice(0, -1)) expect(JSON.parse(data).choices.length).toBe(1);
  });

  test("the SDK's stream helper reassembles the final message", async () => {
    mock.enqueue({ fixture: "openai/gomodel-chat_completion_stream.txt" });
    const stream = client.chat.completions.stream({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    const final = await stream.finalChatCompletion();
    const expected = readFixture("openai/gomodel-chat_completion_stream.txt")
      .split("\n\n")
      .filter((e) => e.startsWith("data: {"))
      .map((e) => JSON.parse(e.slice(6)).choices[0]?.delta?.content ?? "")
      .join("");
    expect(final.choices[0].message.content).toBe(expected);
    expect(final.choices[0].finish_reason).toBe("stop");
  });

  test("tools: the tool call arrives as the provider sent it", async () => {
    mock.enqueue({ fixture: "openai/gomodel-chat_with_tools.json" });
    const completion = await client.chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: { name: "get_weather", parameters: { type: "object", properties: {} } },
        },
      ],
    });
    const expected = JSON.parse(readFixture("openai/gomodel-chat_with_tools.json"));
    expect(completion.choices[0].message.tool_calls).toEqual(expected.choices[0].message.tool_calls);
    expect(completion.choices[0].finish_reason).toBe("tool_calls");
  });

  test("the /openai/v1 prefix works for SDK base URLs", async () => {
    const prefixed = new OpenAI({
      baseURL: `${gw.url}/openai/v1`,
      apiKey: "sk-gateway-master",
      maxRetries: 0,
    });
    const completion = await prefixed.chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "ping" }],
    });
    expect(completion.choices[0].message.content).toBe("echo: ping");
  });
});

describe("OpenAI endpoint errors, in OpenAI's envelope", () => {
  test("upstream 400 keeps status, message, type, param and code; the SDK raises BadRequestError", async () => {
    mock.enqueue({
      error: {
        status: 400,
        body: {
          error: {
            message: "Invalid value for 'temperature'",
            type: "invalid_request_error",
            param: "temperature",
            code: "bad_value",
          },
        },
      },
    });
    const error = await client.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.error).toEqual({
      message: "Invalid value for 'temperature'",
      type: "invalid_request_error",
      param: "temperature",
      code: "bad_value",
    });
  });

  test("upstream 429 passes Retry-After through", async () => {
    mock.enqueue({ error: { status: 429, headers: { "retry-after": "7" } } });
    const res = await post({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect((await jsonOf(res)).error.type).toBeString();
  });

  test("malformed JSON → 400", async () => {
    const res = await post("{not json");
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("JSON");
  });

  test("schema violation → 400 naming the field's path", async () => {
    const res = await post({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: 5 }] });
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.error.message).toContain("messages[0].content");
  });

  test("body over the limit → 413", async () => {
    const res = await post({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "x".repeat(70_000) }],
    });
    expect(res.status).toBe(413);
    expect((await jsonOf(res)).error.message).toContain("limit");
    expect(mock.requests.length).toBe(0);
  });

  test("missing or wrong key → 401; the SDK raises AuthenticationError", async () => {
    const bad = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "wrong", maxRetries: 0 });
    const error = await bad.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).error.type).toBe("authentication_error");
  });

  test("unknown model → 404 naming the model; the SDK raises NotFoundError", async () => {
    const error = await client.chat.completions
      .create({ model: "no-such-model-xyz", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.message).toContain("no-such-model-xyz");
  });

  test("network failure → 502 and upstream timeout → 504, in the envelope", async () => {
    mock.enqueue({ networkError: true });
    const res = await post({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(502);
    expect((await jsonOf(res)).error.message).toContain("openai");
  });

  test("upstream timeout before headers → 504; the SDK raises an APIError with that status", async () => {
    mock.enqueue({ hang: true });
    const error = await client.chat.completions
      .create({ model: "slow/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(504);
  });

  test("a stream cut mid-way ends with an OpenAI error event and no [DONE]; the SDK raises", async () => {
    const chunk = (content: string) =>
      `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":null}]}\n\n`;
    mock.enqueue({ sse: [chunk("a"), chunk("b"), chunk("c")], dropAfterChunks: 2 });
    const res = await post({
      model: "openai/gpt-4o-mini",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    const text = await res.text();
    expect(text.startsWith(chunk("a") + chunk("b"))).toBe(true);
    expect(text).not.toContain("[DONE]");
    const last = JSON.parse(text.trim().split("\n\n").at(-1)!.slice(6));
    expect(last.error.type).toBe("api_error");
    expect(last.error.message).toBeString();

    mock.enqueue({ sse: [chunk("a"), chunk("b"), chunk("c")], dropAfterChunks: 2 });
    const stream = await client.chat.completions.create({
      model: "openai/gpt-4o-mini",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    const consume = async () => {
      for await (const _ of stream) {
      }
    };
    expect(consume()).rejects.toThrow();
  });

  test("the provider key never appears in an error", async () => {
    mock.enqueue({ networkError: true });
    const text = await (
      await post({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
    ).text();
    expect(text).not.toContain("sk-openai-test");
    expect(JSON.stringify(gw.logs)).not.toContain("sk-openai-test");
    expect(JSON.stringify(gw.logs)).not.toContain("sk-gateway-master");
  });
});

describe("client disconnect", () => {
  test("aborting a stream mid-way aborts the upstream request at once", async () => {
    mock.enqueue({
      sse: [
        'data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n',
      ],
      hangAfterChunks: 1,
    });
    const controller = new AbortController();
    const res = await post(
      { model: "openai/gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] },
      {},
    );
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    controller.abort();
    await mock.waitFor((requests) => requests[0]?.aborted === true, 3000);
    expect(mock.requests[0].aborted).toBe(true);
  });

  test("aborting before the upstream answered aborts the upstream request", async () => {
    mock.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      signal: controller.signal,
      headers: { authorization: "Bearer sk-gateway-master", "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    }).catch(() => null);
    await mock.waitFor((requests) => requests.length === 1, 3000);
    controller.abort();
    await pending;
    await mock.waitFor((requests) => requests[0]?.aborted === true, 3000);
    expect(mock.requests[0].aborted).toBe(true);
  });
});
