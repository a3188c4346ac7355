/**
 * The gateway's request controls of the AI Stats page (docs/request-controls.md) through the real
 * server with the official SDKs: `reasoning` on /v1/messages, `provider_options`, `usage`, `meta`,
 * `debug` / `echo_upstream_request`, `provider.include_alpha`, `X-AIStats-Strictness`, effort
 * levels fitted to each target and values adjusted to fit it (x-switchboard-adjusted).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import {
  jsonOf,
  type LooseJson,
  providersYaml,
  startTestGateway,
  type TestGateway,
} from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({
    yaml: `${providersYaml(mock)}
auth:
  master_key: sk-master
  keys:
    - name: app
      key: sk-app
routing:
  retries: 0
`,
  });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-master", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: "sk-master", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

const CONTROLS = [
  "reasoning",
  "provider_options",
  "usage",
  "meta",
  "debug",
  "echo_upstream_request",
  "provider",
];

/** What the mock upstream received, with no gateway control in it. */
function upstreamBody(index = 0): LooseJson {
  const body = mock.requests[index]!.body as Record<string, unknown>;
  for (const field of CONTROLS) if (field !== "reasoning") expect(body).not.toHaveProperty(field);
  return body;
}

// The SDKs send every member of the params object: gateway fields go in with a cast.
const chatParams = (params: Record<string, unknown>) =>
  ({
    model: "openai/gpt-4o-mini",
    messages: [{ role: "user", content: "hi" }],
    ...params,
  }) as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;

const messageParams = (params: Record<string, unknown>) =>
  ({
    model: "anthropic/claude-sonnet-4-5",
    max_tokens: 4096,
    messages: [{ role: "user", content: "hi" }],
    ...params,
  }) as unknown as Anthropic.MessageCreateParamsNonStreaming;

const post = (path: string, body: unknown, key = "sk-master", headers: Record<string, string> = {}) =>
  fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });

describe("reasoning on /v1/messages", () => {
  test("mapped to thinking and output_config.effort for an Anthropic upstream; never forwarded as is", async () => {
    const message = await anthropic.messages.create(
      messageParams({ reasoning: { effort: "high", max_tokens: 2048, summary: "auto" } }),
    );
    expect(message.content[0]).toMatchObject({ type: "text", text: "echo: hi" });
    const body = upstreamBody();
    expect(body.reasoning).toBeUndefined();
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(body.output_config).toEqual({ effort: "high" });
  });

  test("a summary with thinking off has nothing to summarise: named in x-switchboard-dropped", async () => {
    const { response } = await anthropic.messages
      .create(messageParams({ reasoning: { effort: "medium", summary: "auto" } }))
      .withResponse();
    expect(response.headers.get("x-switchboard-dropped")).toBe("reasoning.summary");
    expect(upstreamBody().output_config).toEqual({ effort: "medium" });
    expect(upstreamBody().thinking).toBeUndefined();
  });

  test("enabled: false (or effort none) turns thinking off", async () => {
    await anthropic.messages.create(messageParams({ reasoning: { enabled: false, effort: "high" } }));
    expect(upstreamBody().thinking).toEqual({ type: "disabled" });
    expect(upstreamBody().output_config).toBeUndefined();
  });

  test("through the IR to an OpenAI upstream: the effort becomes reasoning_effort", async () => {
    await anthropic.messages.create(messageParams({ model: "openai/gpt-5", reasoning: { effort: "low" } }));
    const body = upstreamBody();
    expect(mock.requests[0]!.path).toBe("/v1/chat/completions");
    expect(body.reasoning_effort).toBe("low");
    expect(body.reasoning).toBeUndefined();
  });

  test("with thinking given too, the native field wins and reasoning is named in x-switchboard-dropped", async () => {
    const { response } = await anthropic.messages
      .create(
        messageParams({
          thinking: { type: "enabled", budget_tokens: 1500 },
          reasoning: { effort: "high", max_tokens: 3000 },
        }),
      )
      .withResponse();
    expect(response.headers.get("x-switchboard-dropped")).toBe("reasoning");
    const body = upstreamBody();
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 1500 });
    expect(body.output_config).toBeUndefined();
    expect(body.reasoning).toBeUndefined();
  });

  test("a level Anthropic lacks goes to the nearest one and is named; a budget below 1024 is raised and named", async () => {
    const { response } = await anthropic.messages
      .create(messageParams({ reasoning: { effort: "minimal", max_tokens: 500 } }))
      .withResponse();
    expect(response.headers.get("x-switchboard-adjusted")).toBe(
      "reasoning.effort=minimal->low, reasoning.max_tokens=500->1024",
    );
    expect(upstreamBody().output_config).toEqual({ effort: "low" });
    expect(upstreamBody().thinking).toEqual({ type: "enabled", budget_tokens: 1024 });
  });

  test("an unknown level is a 400 naming the field, whichever provider it would reach", async () => {
    for (const model of ["anthropic/claude-sonnet-4-5", "openai/gpt-5", "gemini/gemini-2.5-flash"]) {
      const error = await anthropic.messages
        .create(messageParams({ model, reasoning: { effort: "extreme" } }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect((error as InstanceType<typeof Anthropic.BadRequestError>).message).toContain("reasoning.effort");
    }
    for (const body of [{ reasoning_effort: "extreme" }, { reasoning: { effort: "extreme" } }]) {
      const res = await post(
        "/v1/chat/completions",
        chatParams({ model: "anthropic/claude-sonnet-4-5", ...body }),
      );
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).error.param).toBe(
        Object.keys(body)[0] === "reasoning" ? "reasoning.effort" : "reasoning_effort",
      );
    }
    expect(mock.requests.length).toBe(0);
  });
});

describe("reasoning efforts fitted to each target (x-switchboard-adjusted)", () => {
  test("OpenAI client, OpenAI upstream (same protocol): max → xhigh, named", async () => {
    const { data, response } = await openai.chat.completions
      .create(chatParams({ model: "openai/gpt-5", reasoning_effort: "max" }))
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("echo: hi");
    expect(response.headers.get("x-switchboard-adjusted")).toBe("reasoning_effort=max->xhigh");
    expect(upstreamBody().reasoning_effort).toBe("xhigh");
  });

  test("OpenAI client, Gemini 3 upstream: max → high (Gemini's highest thinking level), named", async () => {
    const { response } = await openai.chat.completions
      .create(chatParams({ model: "gemini/gemini-3-flash-preview", reasoning_effort: "max" }))
      .withResponse();
    expect(response.headers.get("x-switchboard-adjusted")).toBe("reasoning_effort=max->high");
    expect(upstreamBody().generationConfig.thinkingConfig.thinkingLevel).toBe("high");
  });

  test("Responses client: its own reasoning.effort stays the protocol's field; max → xhigh toward Chat Completions", async () => {
    const { response } = await openai.responses
      .create({ model: "openai/gpt-5", input: "hi", reasoning: { effort: "max" as "high" } })
      .withResponse();
    expect(response.headers.get("x-switchboard-adjusted")).toBe("reasoning.effort=max->xhigh");
    expect(upstreamBody().reasoning_effort).toBe("xhigh");
  });
});

describe("values changed to fit the target are named", () => {
  test("an OpenAI temperature of 1.6 is clamped to Anthropic's 1 and named", async () => {
    const { response } = await openai.chat.completions
      .create(chatParams({ model: "anthropic/claude-sonnet-4-5", temperature: 1.6 }))
      .withResponse();
    expect(response.headers.get("x-switchboard-adjusted")).toBe("temperature=1.6->1");
    expect(upstreamBody().temperature).toBe(1);
  });

  test("a max_tokens Anthropic thinking cannot fit in is raised and named", async () => {
    const { response } = await openai.chat.completions
      .create(chatParams({ model: "anthropic/claude-sonnet-4-5", reasoning_effort: "low", max_tokens: 1000 }))
      .withResponse();
    expect(upstreamBody().thinking).toEqual({ type: "enabled", budget_tokens: 2048 });
    expect(upstreamBody().max_tokens).toBe(3048);
    expect(response.headers.get("x-switchboard-adjusted")).toBe("max_tokens=1000->3048");
  });
});

describe("provider_options", () => {
  const options = {
    openai: {
      prompt_cache_retention: "24h",
      context_management: { type: "compaction", compact_threshold: 9 },
    },
    anthropic: { cache_control: { type: "ephemeral", ttl: "1h" } },
    google: { cached_content: "cachedContents/abc" },
  };

  test("the answering provider type's block is merged into the upstream body, unknown keys as is; other blocks ignored", async () => {
    await openai.chat.completions.create(chatParams({ provider_options: options }));
    const toOpenAI = upstreamBody(0);
    expect(toOpenAI.prompt_cache_retention).toBe("24h");
    expect(toOpenAI.context_management).toEqual({ type: "compaction", compact_threshold: 9 });
    expect(toOpenAI.cache_control).toBeUndefined();

    await anthropic.messages.create(messageParams({ provider_options: options }));
    const toAnthropic = upstreamBody(1);
    expect(toAnthropic.cache_control).toEqual({ type: "ephemeral", ttl: "1h" });
    expect(toAnthropic.prompt_cache_retention).toBeUndefined();

    await openai.chat.completions.create(
      chatParams({ model: "gemini/gemini-2.5-flash", provider_options: options }),
    );
    const toGemini = upstreamBody(2);
    expect(toGemini.cached_content).toBe("cachedContents/abc");
    expect(toGemini.cache_control).toBeUndefined();

    await openai.responses.create({
      model: "openai/gpt-4o-mini",
      input: "hi",
      provider_options: options,
    } as never);
    expect(upstreamBody(3).prompt_cache_retention).toBe("24h");
  });

  test("merged after translation, objects deeply; model and stream stay the gateway's (400)", async () => {
    await openai.chat.completions.create(
      chatParams({
        model: "anthropic/claude-sonnet-4-5",
        user: "u1",
        provider_options: { anthropic: { metadata: { tenant: "t" } } },
      }),
    );
    expect(upstreamBody().metadata).toEqual({ user_id: "u1", tenant: "t" });

    const res = await post(
      "/v1/chat/completions",
      chatParams({ provider_options: { openai: { model: "gpt-5" } } }),
    );
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error.param).toBe("provider_options.openai.model");
    expect(mock.requests.length).toBe(1);
  });
});

describe("usage: true", () => {
  test("an OpenAI stream gets its usage chunk, same protocol and translated", async () => {
    for (const model of ["openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5"]) {
      mock.reset();
      const stream = await openai.chat.completions.create({
        ...chatParams({ model, usage: true }),
        stream: true,
      } as unknown as OpenAI.ChatCompletionCreateParamsStreaming);
      let usage: OpenAI.CompletionUsage | null | undefined;
      let text = "";
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe("echo: hi");
      expect(usage?.completion_tokens).toBeGreaterThan(0);
      if (model.startsWith("openai/")) expect(upstreamBody().stream_options).toEqual({ include_usage: true });
      else upstreamBody();
    }
  });
});

describe("meta: true", () => {
  test("the JSON answer carries who answered, after how many attempts, timings and cost", async () => {
    mock.enqueue({ error: { status: 503 } });
    const { data, response } = await openai.chat.completions
      .create(
        chatParams({ model: "anthropic/claude-sonnet-4-5", fallbacks: ["openai/gpt-4o-mini"], meta: true }),
      )
      .withResponse();
    const meta = (data as unknown as { meta: LooseJson }).meta;
    expect(data.choices[0]!.message.content).toBe("echo: hi");
    expect(meta).toMatchObject({
      request_id: response.headers.get("x-request-id"),
      provider: "openai",
      model: "gpt-4o-mini",
      requested_model: "anthropic/claude-sonnet-4-5",
      attempts: 2,
      translated: false,
    });
    expect(meta.latency_ms).toBeGreaterThan(0);
    expect(meta.ttft_ms).toBeGreaterThan(0);
    expect(meta.usage.input_tokens).toBeGreaterThan(0);
    expect(typeof meta.cost_usd).toBe("number");
    expect(upstreamBody(1).fallbacks).toBeUndefined();
  });

  test("on /v1/messages and /v1/responses too; a stream ends with a switchboard_meta comment", async () => {
    const message = await anthropic.messages.create(messageParams({ meta: true }));
    expect((message as unknown as { meta: LooseJson }).meta.provider).toBe("anthropic");
    const response = await openai.responses.create({
      model: "openai/gpt-4o-mini",
      input: "hi",
      meta: true,
    } as never);
    expect((response as unknown as { meta: LooseJson }).meta.model).toBe("gpt-4o-mini");
    expect(upstreamBody(1).meta).toBeUndefined();

    const res = await post("/v1/chat/completions", { ...chatParams({ meta: true }), stream: true });
    const text = await res.text();
    const last = text.trimEnd().split("\n\n").at(-1)!;
    expect(last.startsWith(": switchboard_meta {")).toBe(true);
    expect(JSON.parse(last.slice(": switchboard_meta ".length)).provider).toBe("openai");
    expect(text).toContain("data: [DONE]");
  });
});

describe("debug and echo_upstream_request", () => {
  test("JSON: the upstream request (headers redacted), the upstream response and the routing trace", async () => {
    mock.enqueue({ error: { status: 503, message: "overloaded here" } });
    const { data } = await openai.chat.completions
      .create(
        chatParams({
          model: "anthropic/claude-sonnet-4-5",
          fallbacks: ["openai/gpt-4o-mini"],
          debug: {
            enabled: true,
            return_upstream_request: true,
            return_upstream_response: true,
            trace: true,
            trace_level: "full",
          },
        }),
      )
      .withResponse();
    const debug = (data as unknown as { switchboard_debug: LooseJson }).switchboard_debug;
    expect(debug.url).toBe(`${mock.baseUrls.openai}/chat/completions`);
    expect(debug.headers.authorization).toBe("[redacted]");
    expect(debug.body).toEqual(upstreamBody(1));
    expect(debug.upstream_response.status).toBe(200);
    expect(debug.upstream_response.body.choices[0].message.content).toBe("echo: hi");
    expect(debug.trace.targets).toEqual([
      { provider: "anthropic", model: "claude-sonnet-4-5" },
      { provider: "openai", model: "gpt-4o-mini" },
    ]);
    expect(debug.trace.attempts).toHaveLength(2);
    expect(debug.trace.attempts[0]).toMatchObject({ provider: "anthropic", status: 503, outcome: "http" });
    expect(debug.trace.attempts[0].error).toContain("overloaded here");
    expect(debug.trace.attempts[1]).toMatchObject({
      provider: "openai",
      status: 200,
      outcome: "ok",
      key: "key-1",
    });
    expect(debug.trace.translated).toBe(false);
    expect(typeof debug.trace.attempts[1].latency_ms).toBe("number");
    expect(debug.trace.answered_by).toEqual({ provider: "openai", model: "gpt-4o-mini" });
    expect(JSON.stringify(data)).not.toContain("sk-openai-test");
  });

  test("echo_upstream_request on /v1/messages: the exact upstream request", async () => {
    const message = await anthropic.messages.create(messageParams({ echo_upstream_request: true }));
    const debug = (message as unknown as { switchboard_debug: LooseJson }).switchboard_debug;
    expect(debug.body).toEqual(upstreamBody());
    expect(debug.headers["x-api-key"]).toBe("[redacted]");
    expect(debug.upstream_response).toBeUndefined();
    expect(debug.trace).toBeUndefined();
  });

  test("stream: one SSE comment before the first event, the trace as a comment after the last; the SDK reads the stream", async () => {
    const body = {
      ...chatParams({
        model: "anthropic/claude-sonnet-4-5",
        debug: { trace: true, return_upstream_response: true },
      }),
      stream: true,
    };
    const res = await post("/v1/chat/completions", body);
    const text = await res.text();
    const events = text.trimEnd().split("\n\n");
    expect(events[0]!.startsWith(": switchboard_debug {")).toBe(true);
    const head = JSON.parse(events[0]!.slice(": switchboard_debug ".length));
    expect(head.body).toEqual(upstreamBody());
    expect(head.upstream_response.status).toBe(200);
    expect(events.at(-2)).toBe("data: [DONE]");
    expect(events.at(-1)!.startsWith(": switchboard_trace {")).toBe(true);
    const trace = JSON.parse(events.at(-1)!.slice(": switchboard_trace ".length));
    expect(trace.attempts).toEqual([
      expect.objectContaining({ provider: "anthropic", status: 200, outcome: "ok" }),
    ]);

    const stream = await openai.chat.completions.create(
      body as unknown as OpenAI.ChatCompletionCreateParamsStreaming,
    );
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? "";
    expect(streamed).toBe("echo: hi");
  });

  test("other keys get 403 naming the field; nothing goes upstream", async () => {
    for (const [field, value] of [
      ["debug", { enabled: true }],
      ["echo_upstream_request", true],
    ] as const) {
      const res = await post("/v1/chat/completions", chatParams({ [field]: value }), "sk-app");
      expect(res.status).toBe(403);
      const error = (await jsonOf(res)).error;
      expect(error.type).toBe("permission_error");
      expect(error.message).toContain(`'${field}'`);
      const messages = await post("/v1/messages", messageParams({ [field]: value }), "sk-app");
      expect(messages.status).toBe(403);
    }
    const off = await post(
      "/v1/chat/completions",
      chatParams({ debug: { enabled: false, trace: true } }),
      "sk-app",
    );
    expect(off.status).toBe(200);
    expect((await jsonOf(off)).switchboard_debug).toBeUndefined();
    expect(mock.requests.length).toBe(1);
  });

  test("every key may with server.debug: true", async () => {
    const open = await startTestGateway({
      yaml: `${providersYaml(mock)}
server:
  debug: true
auth:
  master_key: sk-master
  keys:
    - name: app
      key: sk-app
`,
    });
    try {
      const res = await fetch(`${open.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-app" },
        body: JSON.stringify(chatParams({ echo_upstream_request: true })),
      });
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).switchboard_debug.body).toEqual(upstreamBody());
    } finally {
      await open.stop();
    }
  });
});

describe("validation and the other fields of the page", () => {
  test("a wrong shape is a 400 naming the field's path", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ debug: { trace: "yes" } }, "debug.trace"],
      [{ debug: { tracee: true } }, "debug.tracee"],
      [{ debug: { trace_level: "everything" } }, "debug.trace_level"],
      [{ meta: "yes" }, "meta"],
      [{ usage: 1 }, "usage"],
      [{ echo_upstream_request: "please" }, "echo_upstream_request"],
      [{ provider_options: { anthropic: "cache" } }, "provider_options.anthropic"],
      [{ reasoning: { max_tokens: -1 } }, "reasoning.max_tokens"],
    ];
    for (const [fields, param] of cases) {
      const res = await post("/v1/messages", messageParams(fields));
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).error.message.startsWith(`${param}: `)).toBe(true);
      if (!("reasoning" in fields)) {
        const chat = await post("/v1/chat/completions", chatParams(fields));
        expect((await jsonOf(chat)).error.param).toBe(param);
        const responses = await post("/v1/responses", {
          model: "openai/gpt-4o-mini",
          input: "hi",
          ...fields,
        });
        expect((await jsonOf(responses)).error.param).toBe(param);
      }
    }
    expect(mock.requests.length).toBe(0);
  });

  test("provider.include_alpha is accepted and ignored", async () => {
    const message = await anthropic.messages.create(
      messageParams({ provider: { order: ["anthropic"], include_alpha: true } }),
    );
    expect(message.content[0]).toMatchObject({ text: "echo: hi" });
    expect(upstreamBody().provider).toBeUndefined();
  });

  test("X-AIStats-Strictness is read like x-switchboard-strictness", async () => {
    const params = chatParams({ model: "anthropic/claude-sonnet-4-5", seed: 7 });
    const lenient = await post("/v1/chat/completions", params, "sk-master", {
      "X-AIStats-Strictness": "lenient",
    });
    expect(lenient.headers.get("x-switchboard-dropped")).toBe("seed");
    const strict = await post("/v1/chat/completions", params, "sk-master", {
      "X-AIStats-Strictness": "strict",
    });
    expect(strict.status).toBe(400);
    expect((await jsonOf(strict)).error.param).toBe("seed");
    const bad = await post("/v1/chat/completions", params, "sk-master", { "X-AIStats-Strictness": "picky" });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).error.param).toBe("x-aistats-strictness");
    expect(mock.requests.length).toBe(1);
  });
});
