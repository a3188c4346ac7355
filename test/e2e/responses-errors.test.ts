// Errors on /v1/responses: OpenAI's envelope {error:{message,type,param,code}} naming the field's
// path, for the gateway's own refusals and for upstream errors of every wire.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { readFixture } from "../support/fixtures.ts";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";
import { anthropicEvents, anthropicMessage } from "../support/wire-builders.ts";
import {
  ANTHROPIC,
  CHAT,
  GEMINI,
  postJson,
  RESPONSES,
  readEvents,
  responsesYaml,
} from "./responses-support.ts";

const MASTER = "sk-master-errors";
const NARROW = "sk-narrow-errors";

let mock: MockUpstream;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: responsesYaml(
      mock,
      `auth:
  master_key: ${MASTER}
  keys:
    - name: narrow
      key: ${NARROW}
      models: ["anthropic/*"]
routing:
  retries: 0
`,
    ),
  });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const post = (body: unknown, key = MASTER, headers: Record<string, string> = {}, path = "/v1/responses") =>
  postJson(`${gw.url}${path}`, body, { authorization: `Bearer ${key}`, ...headers });

const sdk = (key = MASTER) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });

/** The error an SDK call rejects with. */
async function rejectionOf(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error("the call did not fail");
}

describe("the gateway's own refusals", () => {
  test("bad JSON: 400, OpenAI's envelope, x-request-id, nothing sent upstream", async () => {
    const response = await post("{bad json", MASTER, { "x-request-id": "req-bad-json" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-request-id")).toBe("req-bad-json");
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringMatching(/^Request body is not valid JSON/),
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
    expect(mock.requests.length).toBe(0);
  });

  test.each([
    [{ model: RESPONSES.model, input: 3 }, "input", "input: Expected string or array"],
    [
      { model: RESPONSES.model, input: "x", tools: [{ type: 5 }] },
      "tools[0].type",
      "tools[0].type: Invalid value 5; expected one of 'function', 'custom'",
    ],
    [
      { model: RESPONSES.model, input: "x", tools: [{ type: "function" }] },
      "tools[0].name",
      "tools[0].name: Field required",
    ],
    [
      { model: RESPONSES.model, input: [{ role: "robot", content: "x" }] },
      "input[0].role",
      "input[0].role: Invalid value 'robot'; expected one of 'user', 'assistant', 'system', 'developer'",
    ],
    [
      { model: ANTHROPIC.model, input: [{ type: "function_call", name: "f", arguments: "{}" }] },
      "input[0].call_id",
      "input[0].call_id: Field required",
    ],
    [{ model: CHAT.model, input: "x", max_output_tokens: 0 }, "max_output_tokens", undefined],
    [{ input: "x" }, "model", "model: Field required"],
  ])("schema violation %j → 400 naming %s", async (body, param, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    const error = ((await response.json()) as { error: Record<string, unknown> }).error;
    expect(error).toEqual({
      message: message ?? expect.stringMatching(new RegExp(`^${param}: `)),
      type: "invalid_request_error",
      param,
      code: null,
    });
    expect(mock.requests.length).toBe(0);
  });

  test("the SDK surfaces a schema violation as BadRequestError with the param and the request id", async () => {
    const error = await rejectionOf(sdk().responses.create({ model: RESPONSES.model, input: 3 as never }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.param).toBe("input");
    expect(error.type).toBe("invalid_request_error");
    expect(error.headers?.get("x-request-id")).toBeTruthy();
  });

  test("the prefixed route /openai/v1/responses answers in the same envelope", async () => {
    const response = await post({ model: RESPONSES.model, input: 3 }, MASTER, {}, "/openai/v1/responses");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe("input");
  });

  test("an input item a translating provider cannot take: 400 naming the item; the Responses provider takes it", async () => {
    const input = [{ type: "item_reference", id: "msg_1" }];
    const refused = await post({ model: ANTHROPIC.model, input });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: {
        message:
          "input[0]: an item_reference points at an item stored by OpenAI and cannot be translated for this provider; send the item itself (clients that keep the conversation, such as the Vercel AI SDK, do so with store: false)",
        type: "invalid_request_error",
        param: "input[0]",
        code: "unsupported_parameter",
      },
    });
    expect(mock.requests.length).toBe(0);
    expect((await post({ model: RESPONSES.model, input })).status).toBe(200);
    expect((mock.requests[0]!.body as { input: unknown }).input).toEqual(input);
  });

  test("unknown model: 404 model_not_found (SDK NotFoundError)", async () => {
    const error = await rejectionOf(sdk().responses.create({ model: "no-such-model", input: "x" }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.error).toEqual({
      message: "The model 'no-such-model' does not exist or is not configured",
      type: "not_found_error",
      param: "model",
      code: "model_not_found",
    });
    expect(error.headers?.get("x-request-id")).toBeTruthy();
    expect(mock.requests.length).toBe(0);
  });

  test("a model outside the key's allow-list: 403 model_not_allowed, for `model` and for a fallback", async () => {
    const direct = await post({ model: CHAT.model, input: "x" }, NARROW);
    expect(direct.status).toBe(403);
    expect(await direct.json()).toEqual({
      error: {
        message: "This key is not allowed to use the model 'openai/gpt-4o-mini'.",
        type: "permission_error",
        param: "model",
        code: "model_not_allowed",
      },
    });
    const fallback = await post({ model: ANTHROPIC.model, input: "x", fallbacks: [RESPONSES.model] }, NARROW);
    expect(fallback.status).toBe(403);
    expect(((await fallback.json()) as { error: { param: string } }).error.param).toBe("fallbacks[0]");
    expect(mock.requests.length).toBe(0);
    const allowed = await post({ model: ANTHROPIC.model, input: "x" }, NARROW);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("x-switchboard-provider")).toBe("anthropic");
    expect(allowed.headers.get("x-switchboard-model")).toBe("claude-sonnet-4-5");
  });

  test("a wrong key: 401 in the same envelope", async () => {
    const response = await post({ model: ANTHROPIC.model, input: "x" }, "sk-wrong");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        message: "Invalid API key.",
        type: "authentication_error",
        param: null,
        code: "invalid_api_key",
      },
    });
  });
});

describe("upstream errors", () => {
  test("Responses provider 400 (recorded): status and error object as the provider sent them", async () => {
    const fixture = "openai-responses/vercel-ai-error-400-unsupported-temperature.json";
    mock.enqueue({ fixture, status: 400 });
    const error = await rejectionOf(
      sdk().responses.create({ model: RESPONSES.model, input: "x", temperature: 0.2 }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.error).toEqual(JSON.parse(readFixture(fixture)).error);
    expect(error.param).toBe("temperature");
    expect(error.headers?.get("x-request-id")).toBeTruthy();
    expect(mock.requests.length).toBe(1);
  });

  test("Responses provider 429 insufficient_quota (recorded), on a stream request: the JSON error, not a stream", async () => {
    const fixture = "openai-responses/vercel-ai-error-insufficient-quota.json";
    mock.enqueue({ fixture, status: 429 });
    const response = await post({ model: RESPONSES.model, input: "x", stream: true });
    expect(response.status).toBe(429);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual(JSON.parse(readFixture(fixture)));
  });

  test("Anthropic 400: the provider's message in OpenAI's envelope", async () => {
    mock.enqueue({ error: { status: 400, message: "messages.0.content: bad block" } });
    const response = await post({ model: ANTHROPIC.model, input: "x" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: "messages.0.content: bad block",
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  test("Gemini 429 with Retry-After: 429, the header kept", async () => {
    mock.enqueue({ error: { status: 429, headers: { "retry-after": "7" } } });
    const response = await post({ model: GEMINI.model, input: "x" });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(await response.json()).toEqual({
      error: {
        message: "mock upstream error 429",
        type: "rate_limit_error",
        param: null,
        code: "RESOURCE_EXHAUSTED",
      },
    });
  });

  test("Chat Completions 404 on a stream request: 404 JSON", async () => {
    mock.enqueue({ error: { status: 404, message: "The model `gpt-4o-mini` does not exist" } });
    const response = await post({ model: CHAT.model, input: "x", stream: true });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      "The model `gpt-4o-mini` does not exist",
    );
  });
});

describe("failover across wires", () => {
  test("the Responses provider fails (500): the fallback, an Anthropic provider, answers by translation", async () => {
    mock.enqueue({ error: { status: 500 } }, { json: anthropicMessage({ content: "from Claude" }) });
    const response = await post({
      model: RESPONSES.model,
      input: "hi",
      fallbacks: [ANTHROPIC.model],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-switchboard-provider")).toBe("anthropic");
    const body = (await response.json()) as {
      model: string;
      output: Array<{ content: Array<{ text: string }> }>;
    };
    expect(body.model).toBe(RESPONSES.model);
    expect(body.output[0]?.content[0]?.text).toBe("from Claude");
    expect(mock.requests.map((r) => r.path)).toEqual(["/v1/responses", "/v1/messages"]);
    // The pipe got the client's body without the gateway field; the fallback a translated one.
    expect(mock.requests[0]?.body).toEqual({ model: "gpt-5.4", input: "hi" });
    expect(mock.requests[1]?.body).toEqual({
      model: "claude-sonnet-4-5",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      max_tokens: 8192,
    });
  });

  test("an Anthropic stream overloaded mid-way (event: error): `error` then `response.failed`; the SDK rejects with the message", async () => {
    const overloaded = `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })}\n\n`;
    const events = anthropicEvents({ content: [{ type: "text", text: ["a", "b"] }] });
    mock.enqueue({ sse: [...events.slice(0, 4), overloaded] }, { sse: [...events.slice(0, 4), overloaded] });
    const raw = await readEvents(await post({ model: ANTHROPIC.model, input: "x", stream: true }));
    expect(raw.slice(-2).map((e) => e.event)).toEqual(["error", "response.failed"]);
    expect(raw.at(-2)?.data).toMatchObject({ code: "server_error", message: "Overloaded" });
    expect(raw.at(-1)?.data.response).toMatchObject({
      status: "failed",
      error: { code: "server_error", message: "Overloaded" },
    });
    await expect(
      sdk().responses.stream({ model: ANTHROPIC.model, input: "x" }).finalResponse(),
    ).rejects.toThrow("Overloaded");
  });
});
