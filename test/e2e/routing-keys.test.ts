// Provider keys, circuit breaker and request routing controls through the real gateway.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import type { RecordedRequest } from "../support/mock-upstream.ts";
import {
  chatBody,
  openaiClient,
  type RoutingUpstreams,
  rejectionOf,
  routingYaml,
  startRoutingUpstreams,
} from "./routing-support.ts";

let up: RoutingUpstreams;
let gw: TestGateway;
let openai: OpenAI;

const keyedProvider = (up: RoutingUpstreams) => `  keyed:
    type: openai
    base_url: ${up.a.baseUrls.openai}
    keys:
      - { key: sk-keyed-one-secret, weight: 1 }
      - { key: sk-keyed-two-secret, weight: 1 }
`;

const bearerOf = (request: RecordedRequest): string => request.headers.authorization ?? "";

beforeAll(async () => {
  up = await startRoutingUpstreams();
  gw = await startTestGateway({
    yaml: routingYaml(
      up,
      `  retries: 0
  retry_backoff: 10ms
  circuit_breaker: { failures: 2, cooldown: 60s }`,
      keyedProvider(up),
      "  keyed-chain: [keyed/gpt-4o-mini, oa-b/gpt-4o-mini]",
    ),
    // The first weighted key pick is always the first key.
    random: () => 0,
  });
  openai = openaiClient(gw.url);
});

afterAll(async () => {
  await gw.stop();
  await up.stop();
});

beforeEach(() => {
  up.a.reset();
  up.b.reset();
});

describe("provider keys", () => {
  test("a key rejected with 401 is skipped: the request goes on with the other key, and so do later ones", async () => {
    up.a.setDefault((request) =>
      bearerOf(request).includes("one")
        ? { error: { status: 401, message: "Incorrect API key" } }
        : { echo: true },
    );
    const { response } = await openai.chat.completions.create(chatBody("keyed/gpt-4o-mini")).withResponse();
    expect(response.status).toBe(200);
    expect(up.a.requests.map(bearerOf)).toEqual(["Bearer sk-keyed-one-secret", "Bearer sk-keyed-two-secret"]);
    await openai.chat.completions.create(chatBody("keyed/gpt-4o-mini"));
    expect(up.a.requests.map(bearerOf).slice(2)).toEqual(["Bearer sk-keyed-two-secret"]);
    // The client's own key never goes upstream.
    expect(up.a.requests.some((request) => JSON.stringify(request.headers).includes("client-key"))).toBe(
      false,
    );
  });

  test("every key rejected: 502 that names the provider and leaks no secret, then the next target", async () => {
    up.a.setDefault({ error: { status: 401, message: "Incorrect API key provided: sk-keyed-****cret" } });
    const error = (await rejectionOf(
      openai.chat.completions.create(chatBody("oa-a/gpt-4o-mini")),
    )) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(502);
    expect(error.message).toContain("oa-a");
    expect(error.message).not.toContain("sk-");
    const { response } = await openai.chat.completions.create(chatBody("chat")).withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
  });

  test("a 429 on one key moves to the other key of the same provider first", async () => {
    const gw429 = await startTestGateway({
      yaml: routingYaml(
        up,
        "  retries: 0",
        keyedProvider(up),
        "  keyed-chain: [keyed/gpt-4o-mini, oa-b/gpt-4o-mini]",
      ),
      random: () => 0,
    });
    try {
      up.a.setDefault((request) =>
        bearerOf(request).includes("one")
          ? { error: { status: 429, headers: { "retry-after": "20" } } }
          : { echo: true },
      );
      const { response } = await openaiClient(gw429.url)
        .chat.completions.create(chatBody("keyed-chain"))
        .withResponse();
      expect(response.headers.get("x-switchboard-provider")).toBe("keyed");
      expect(up.a.requests.map(bearerOf)).toEqual([
        "Bearer sk-keyed-one-secret",
        "Bearer sk-keyed-two-secret",
      ]);
      expect(up.b.requests.length).toBe(0);
    } finally {
      await gw429.stop();
    }
  });
});

describe("circuit breaker", () => {
  test("opens after consecutive failures: the provider is skipped and fallbacks engage at once", async () => {
    const gwBreaker = await startTestGateway({
      yaml: routingYaml(up, "  retries: 0\n  circuit_breaker: { failures: 2, cooldown: 60s }"),
    });
    try {
      const client = openaiClient(gwBreaker.url);
      up.a.setDefault({ error: { status: 500 } });
      await client.chat.completions.create(chatBody("chat"));
      await client.chat.completions.create(chatBody("chat"));
      expect(up.a.requests.length).toBe(2);
      const { response } = await client.chat.completions.create(chatBody("chat")).withResponse();
      expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
      expect(up.a.requests.length).toBe(2);
      expect(up.b.requests.length).toBe(3);
      const oaA = gwBreaker.runtime.routing.snapshot().providers.find((provider) => provider.name === "oa-a");
      expect(oaA).toMatchObject({ state: "open", consecutiveFailures: 2 });
      // Only the open provider: 503 with Retry-After, nothing sent upstream.
      const error = (await rejectionOf(
        client.chat.completions.create(chatBody("oa-a/gpt-4o-mini")),
      )) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(503);
      expect(Number(error.headers?.get("retry-after"))).toBeGreaterThan(50);
      expect(up.a.requests.length).toBe(2);
    } finally {
      await gwBreaker.stop();
    }
  });
});

describe("request controls", () => {
  test("provider: a name keeps only that provider, and the field is not sent upstream", async () => {
    const { response } = await openai.chat.completions
      .create({ ...chatBody("chat"), provider: "oa-b" } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
    expect(up.a.requests.length).toBe(0);
    expect(up.b.requests[0].body).not.toHaveProperty("provider");
  });

  test("provider.order tries the named providers first", async () => {
    const { response } = await openai.chat.completions
      .create({
        ...chatBody("chat"),
        provider: { order: ["oa-b"] },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
  });

  test("fallbacks are tried after the model's targets fail, and removed from the upstream body", async () => {
    up.a.setDefault({ error: { status: 500 } });
    const { response } = await openai.chat.completions
      .create({
        ...chatBody("oa-a/gpt-4o-mini"),
        fallbacks: ["oa-b/gpt-4o"],
      } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("oa-b");
    expect(response.headers.get("x-switchboard-model")).toBe("gpt-4o");
    expect(up.a.requests[0].body).not.toHaveProperty("fallbacks");
    expect(up.b.requests[0].body).not.toHaveProperty("fallbacks");
  });

  test("an unknown provider in the controls is a 400 naming it", async () => {
    const error = (await rejectionOf(
      openai.chat.completions.create({
        ...chatBody("chat"),
        provider: { only: ["nope"] },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming),
    )) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain("'nope'");
    expect(error.param).toBe("provider.only");
  });

  test("controls that leave no provider are a 400, not a silent fallback", async () => {
    const error = await rejectionOf(
      openai.chat.completions.create({
        ...chatBody("chat"),
        provider: "an-a",
      } as OpenAI.ChatCompletionCreateParamsNonStreaming),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(up.a.requests.length + up.b.requests.length).toBe(0);
  });

  test("an unknown model is a 404 naming it", async () => {
    const error = (await rejectionOf(
      openai.chat.completions.create(chatBody("no-such-model")),
    )) as InstanceType<typeof OpenAI.NotFoundError>;
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.message).toContain("'no-such-model'");
    expect(error.code).toBe("model_not_found");
  });
});
