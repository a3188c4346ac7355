import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { readFixture } from "../support/fixtures.ts";
import { jsonOf, providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}
auth:
  master_key: sk-gateway-master
  keys:
    - name: team-a
      key: sk-team-a
      models: ["anthropic/*"]
routing:
  retries: 0
`,
  });
  client = new Anthropic({ baseURL: gw.url, apiKey: "sk-gateway-master", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const post = (body: unknown, headers: Record<string, string> = {}, path = "/v1/messages") =>
  fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "sk-gateway-master", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const hello = {
  model: "anthropic/claude-sonnet-4-5",
  max_tokens: 64,
  messages: [{ role: "user", content: "hi" }],
};

describe("Anthropic client → Anthropic-type provider (zero-copy path)", () => {
  test("JSON with a thinking block: bytes unchanged, signature byte-for-byte", async () => {
    mock.enqueue({ fixture: "anthropic/gomodel-messages_extended_thinking.json" });
    const res = await post(hello);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toBe(readFixture("anthropic/gomodel-messages_extended_thinking.json"));
    expect(res.headers.get("x-switchboard-provider")).toBe("anthropic");
  });

  test("upstream request: provider key in x-api-key, default anthropic-version, beta header forwarded", async () => {
    await post(hello, { "anthropic-beta": "interleaved-thinking-2025-05-14" });
    const seen = mock.requests[0];
    expect(seen.path).toBe("/v1/messages");
    expect(seen.headers["x-api-key"]).toBe("sk-ant-test");
    expect(seen.headers["anthropic-version"]).toBe("2023-06-01");
    expect(seen.headers["anthropic-beta"]).toBe("interleaved-thinking-2025-05-14");
    expect(seen.headers.authorization).toBeUndefined();
    expect((seen.body as { model: string }).model).toBe("claude-sonnet-4-5");
    await post(hello, { "anthropic-version": "2024-01-01" });
    expect(mock.requests[1].headers["anthropic-version"]).toBe("2024-01-01");
  });

  test("every recorded Anthropic stream is relayed byte for byte", async () => {
    for (const fixture of [
      "anthropic/sdkpy-tool_use_response.txt",
      "anthropic/gomodel-messages_stream.txt",
      "anthropic/fable-fallback-stream-a-refusal.txt",
      "anthropic/sdkpy-extra_fields_response.txt",
      "anthropic/sdkts-basic_response.txt",
    ]) {
      mock.enqueue({ fixture });
      const res = await post({ ...hello, stream: true });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      expect(await res.text()).toBe(readFixture(fixture));
    }
  });

  test("the SDK's stream helper reassembles text + tool_use from the recorded stream", async () => {
    // The TS SDK's recording ends with its blank line; the Python one's does not, and the TS SDK
    // drops an unterminated last event (message_stop) — that is the recording, not the gateway.
    mock.enqueue({ fixture: "anthropic/sdkts-tool_use_response.txt" });
    const message = await client.messages
      .stream({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 256,
        messages: [{ role: "user", content: "weather?" }],
      })
      .finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    const toolUse = message.content.find((block) => block.type === "tool_use");
    expect(toolUse).toBeDefined();
    expect(toolUse && "input" in toolUse ? toolUse.input : null).toBeObject();
    expect(message.content[0].type).toBe("text");
  });

  test("thinking blocks with signatures survive the SDK's stream helper", async () => {
    mock.enqueue({ fixture: "anthropic/fable-fallback-stream-a-refusal.txt" });
    const message = await client.messages
      .stream({
        model: "anthropic/claude-sonnet-4-5",
        max_tokens: 256,
        messages: [{ role: "user", content: "x" }],
      })
      .finalMessage();
    const thinking = message.content.find((block) => block.type === "thinking");
    const recorded = readFixture("anthropic/fable-fallback-stream-a-refusal.txt");
    const signature = /"signature":"([^"]+)"/.exec(recorded)?.[1];
    expect(signature).toBeString();
    expect(thinking && "signature" in thinking ? thinking.signature : null).toBe(signature ?? "missing");
  });

  test("the /anthropic prefix works for SDK base URLs", async () => {
    const prefixed = new Anthropic({
      baseURL: `${gw.url}/anthropic`,
      apiKey: "sk-gateway-master",
      maxRetries: 0,
    });
    const message = await prefixed.messages.create(hello as Anthropic.MessageCreateParamsNonStreaming);
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: hi" });
  });

  test("count_tokens is forwarded to Anthropic-type providers", async () => {
    mock.enqueue({ json: { input_tokens: 42 } });
    const res = await post(
      { model: "anthropic/claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] },
      {},
      "/v1/messages/count_tokens",
    );
    expect(await jsonOf(res)).toEqual({ input_tokens: 42 });
    expect(mock.requests[0].path).toBe("/v1/messages/count_tokens");
    expect(res.headers.get("x-switchboard-estimated")).toBeNull();
  });

  test("count_tokens elsewhere is an estimate, marked as such", async () => {
    const res = await post(
      {
        model: "openai/gpt-4o-mini",
        messages: [{ role: "user", content: "hello there, how are you today?" }],
      },
      {},
      "/v1/messages/count_tokens",
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchboard-estimated")).toBe("true");
    const { input_tokens } = await jsonOf(res);
    expect(input_tokens).toBeGreaterThan(5);
    expect(input_tokens).toBeLessThan(30);
    expect(mock.requests.length).toBe(0);
  });
});

describe("Anthropic endpoint errors, in Anthropic's envelope", () => {
  test("upstream 400 keeps its type and message; the SDK raises BadRequestError", async () => {
    mock.enqueue({
      fixture: "anthropic/sdkpy-cassette-tools-400-invalid-request-tool-result.json",
      interaction: 1,
    });
    const error = await client.messages
      .create(hello as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.error.type).toBe("error");
    expect(error.error.error.type).toBe("invalid_request_error");
    expect(error.error.error.message).toContain("tool_use_id");
  });

  test("missing max_tokens → 400 naming the field", async () => {
    const res = await post({ model: "anthropic/claude-sonnet-4-5", messages: [] });
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("max_tokens");
  });

  test("401 and 403 use Anthropic's types; the SDK raises its own classes", async () => {
    const anonymous = new Anthropic({ baseURL: gw.url, apiKey: "nope", maxRetries: 0 });
    expect(
      await anonymous.messages.create(hello as Anthropic.MessageCreateParamsNonStreaming).catch((e) => e),
    ).toBeInstanceOf(Anthropic.AuthenticationError);
    const team = new Anthropic({ baseURL: gw.url, apiKey: "sk-team-a", maxRetries: 0 });
    const error = await team.messages
      .create({ ...hello, model: "openai/gpt-4o-mini" } as Anthropic.MessageCreateParamsNonStreaming)
      .catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(error.error.error.type).toBe("permission_error");
    const allowed = await team.messages.create(hello as Anthropic.MessageCreateParamsNonStreaming);
    expect(allowed.type).toBe("message");
  });

  test("unknown model → 404 not_found_error", async () => {
    const res = await post({ ...hello, model: "nobody/nothing" });
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).error.type).toBe("not_found_error");
  });

  test("a stream cut mid-way ends with an Anthropic error event; the SDK raises instead of hanging", async () => {
    const events = readFixture("anthropic/sdkpy-basic_response.txt")
      .split("\n\n")
      .filter(Boolean)
      .map((e) => `${e}\n\n`);
    mock.enqueue({ sse: events, dropAfterChunks: 3 });
    const res = await post({ ...hello, stream: true });
    const text = await res.text();
    expect(text.startsWith(events.slice(0, 3).join(""))).toBe(true);
    const last = text.trim().split("\n\n").at(-1)!;
    expect(last.startsWith("event: error\ndata: ")).toBe(true);
    expect(JSON.parse(last.split("data: ")[1])).toMatchObject({
      type: "error",
      error: { type: "api_error" },
    });

    mock.enqueue({ sse: events, dropAfterChunks: 3 });
    const stream = client.messages.stream({
      ...hello,
      stream: undefined,
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(stream.finalMessage()).rejects.toThrow();
  });
});

describe("GET /v1/models", () => {
  test("OpenAI list by default, Anthropic list with anthropic-version, filtered by the key's allow-list", async () => {
    const openai = await jsonOf(
      await fetch(`${gw.url}/v1/models`, { headers: { authorization: "Bearer sk-gateway-master" } }),
    );
    expect(openai.object).toBe("list");
    expect(openai.data.map((m: { id: string }) => m.id)).toContain("openai/gpt-4o-mini");
    expect(openai.data[0]).toMatchObject({ object: "model" });
    const anthropic = await jsonOf(
      await fetch(`${gw.url}/v1/models`, {
        headers: { "x-api-key": "sk-team-a", "anthropic-version": "2023-06-01" },
      }),
    );
    expect(anthropic.has_more).toBe(false);
    const ids = anthropic.data.map((m: { id: string }) => m.id);
    expect(ids).toContain("anthropic/claude-sonnet-4-5");
    expect(ids.every((id: string) => id.startsWith("anthropic/"))).toBe(true);
    expect(anthropic.data[0]).toMatchObject({ type: "model" });
  });

  test("without a key: 401 in the OpenAI envelope", async () => {
    const res = await fetch(`${gw.url}/v1/models`);
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).error.type).toBe("authentication_error");
  });
});
