// Chain fallback through the real gateway with the official SDKs: 500, 429, timeout, refused connection.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import {
  anthropicClient,
  chatBody,
  messagesBody,
  openaiClient,
  type RoutingUpstreams,
  rejectionOf,
  routingYaml,
  startRoutingUpstreams,
} from "./routing-support.ts";

let up: RoutingUpstreams;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  up = await startRoutingUpstreams();
  gw = await startTestGateway({
    yaml: routingYaml(
      up,
      `  retries: 1
  retry_backoff: 10ms
  retry_after_cap: 500ms
  circuit_breaker: { failures: 100, cooldown: 30s }`,
    ),
  });
  openai = openaiClient(gw.url);
  anthropic = anthropicClient(gw.url);
});

afterAll(async () => {
  await gw.stop();
  await up.stop();
});

beforeEach(() => {
  up.a.reset();
  up.b.reset();
});

describe("OpenAI client, chain fallback", () => {
  test("a 500 is retried once on the first provider, then the next one answers", async () => {
    up.a.enqueue({ error: { status: 500 } }, { error: { status: 500 } });
    const { data, response } = await openai.chat.completions
      .create(chatBody("chat", "from b?"))
      .withResponse();
    expect(data.choices[0].message.content).toBe("echo: from b?");
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
    expect(response.headers.get("x-switchboard-model")).toBe("gpt-4o-mini");
    expect(up.a.requests.length).toBe(2);
    expect(up.b.requests.length).toBe(1);
    // The chain alias is replaced by the upstream model id.
    expect((up.b.requests[0].body as { model: string }).model).toBe("gpt-4o-mini");
  });

  test("a 429 with a Retry-After under the cap is waited out on the same provider", async () => {
    up.a.enqueue({ error: { status: 429, headers: { "retry-after": "0.2" } } });
    const started = performance.now();
    const { response } = await openai.chat.completions.create(chatBody("chat")).withResponse();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-a");
    expect(up.a.requests.length).toBe(2);
    expect(up.b.requests.length).toBe(0);
  });

  test("a 429 with a Retry-After above the cap moves to the next provider at once", async () => {
    up.a.enqueue({ error: { status: 429, headers: { "retry-after": "30" } } });
    const started = performance.now();
    const { response } = await openai.chat.completions.create(chatBody("chat")).withResponse();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
    expect(up.a.requests.length).toBe(1);
  });

  test("a provider that does not answer within its timeout is abandoned for the next", async () => {
    up.a.enqueue({ hang: true }, { hang: true });
    const { response } = await openai.chat.completions.create(chatBody("chat")).withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
    expect(up.a.requests.length).toBe(2);
    await up.a.waitFor((requests) => requests.every((request) => request.aborted));
  });

  test("a refused connection falls back", async () => {
    const { response } = await openai.chat.completions.create(chatBody("via-refused")).withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
  });

  test("a 400 from the provider is returned as is, without fallback", async () => {
    up.a.enqueue({ error: { status: 400, message: "messages[0]: bad content" } });
    const error = await rejectionOf(openai.chat.completions.create(chatBody("chat")));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(
      "messages[0]: bad content",
    );
    expect(up.b.requests.length).toBe(0);
  });

  test("every provider failing: the last status, its message kept", async () => {
    up.a.setDefault({ error: { status: 500 } });
    up.b.setDefault({ error: { status: 503, message: "b is overloaded" } });
    const error = await rejectionOf(openai.chat.completions.create(chatBody("chat")));
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain("b is overloaded");
  });

  test("every provider rate limited: 429 with Retry-After", async () => {
    up.a.setDefault({ error: { status: 429, headers: { "retry-after": "30" } } });
    up.b.setDefault({ error: { status: 429, headers: { "retry-after": "40" } } });
    const error = (await rejectionOf(openai.chat.completions.create(chatBody("chat")))) as InstanceType<
      typeof OpenAI.RateLimitError
    >;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get("retry-after")).toBe("40");
  });

  test("every provider timing out: 504", async () => {
    const gwTimeout = await startTestGateway({
      yaml: routingYaml(up, "  retries: 0", "", "  slow: [oa-a/gpt-4o-mini]"),
    });
    try {
      up.a.setDefault({ hang: true });
      const error = await rejectionOf(openaiClient(gwTimeout.url).chat.completions.create(chatBody("slow")));
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    } finally {
      await gwTimeout.stop();
    }
  });
});

describe("Anthropic client, chain fallback", () => {
  test("a 529 overloaded falls back to the next provider", async () => {
    up.a.setDefault({ error: { status: 529 } });
    const { data, response } = await anthropic.messages.create(messagesBody("claude", "hi b")).withResponse();
    expect(data.content[0]).toMatchObject({ type: "text", text: "echo: hi b" });
    expect(response.headers.get("x-switchboard-provider")).toBe("an-b");
    expect(up.a.requests.length).toBe(2);
  });

  test("a refused connection then a 500 everywhere: 500 in Anthropic's envelope", async () => {
    up.a.setDefault({ networkError: true });
    up.b.setDefault({ error: { status: 500, message: "b broke" } });
    const error = (await rejectionOf(anthropic.messages.create(messagesBody("claude")))) as InstanceType<
      typeof Anthropic.APIError
    >;
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.status).toBe(500);
    expect(error.error).toMatchObject({ type: "error", error: { type: "api_error", message: "b broke" } });
  });

  test("every provider timing out: 504 with an Anthropic error body", async () => {
    up.a.setDefault({ hang: true });
    up.b.setDefault({ hang: true });
    const gwTimeout = await startTestGateway({
      yaml: routingYaml(up, "  retries: 0", "", "  slow-claude: [an-a/claude-sonnet-4-5]"),
    });
    try {
      const error = (await rejectionOf(
        anthropicClient(gwTimeout.url).messages.create(messagesBody("slow-claude")),
      )) as InstanceType<typeof Anthropic.APIError>;
      expect(error.status).toBe(504);
      expect(error.error).toMatchObject({ type: "error", error: { type: "api_error" } });
    } finally {
      await gwTimeout.stop();
    }
  });
});
