// The model catalog through the real gateway with the official SDKs (issue 12, section 2):
// canonical ids reach every provider serving them, each with its own native id; the provider
// control chooses; a 503 fails over to the next provider serving the same id; /v1/models and
// `switchboard check` show the catalog.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";
import type { RecordedRequest } from "../support/mock-upstream.ts";
import {
  chatBody,
  messagesBody,
  type RoutingUpstreams,
  rejectionOf,
  startRoutingUpstreams,
} from "./routing-support.ts";

let up: RoutingUpstreams;
let gw: TestGateway;
let single: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

/**
 * The vendors' own APIs on mock `a` (the OpenAI-type ones told apart by their keys), OpenRouter
 * on mock `b`, last in config order.
 */
function catalogYaml(routing: string): string {
  return `providers:
  anthropic:
    base_url: ${up.a.baseUrls.anthropic}
    api_key: sk-anthropic
  gemini:
    base_url: ${up.a.baseUrls.gemini}
    api_key: sk-gemini
  openai:
    base_url: ${up.a.baseUrls.openai}
    api_key: sk-openai
  moonshot:
    base_url: ${up.a.baseUrls.openai}
    api_key: sk-moonshot
  minimax:
    base_url: ${up.a.baseUrls.openai}
    api_key: sk-minimax
  qwen:
    base_url: ${up.a.baseUrls.openai}
    api_key: sk-qwen
  openrouter:
    base_url: ${up.b.baseUrls.openai}
    api_key: sk-openrouter
catalog:
  acme/widget-1:
    openrouter: acme/widget-1-instruct
auth:
  master_key: sk-master
  keys:
    - name: opus-only
      key: sk-opus-only
      models: ["anthropic/claude-opus-4.8"]
routing:
  retries: 0
${routing}
`;
}

const KEYS: Record<string, string> = {
  "sk-anthropic": "anthropic",
  "sk-gemini": "gemini",
  "sk-openai": "openai",
  "sk-moonshot": "moonshot",
  "sk-minimax": "minimax",
  "sk-qwen": "qwen",
  "sk-openrouter": "openrouter",
};

/** Which provider an upstream request was meant for (by its key), and the model it carried. */
function seen(request: RecordedRequest | undefined): [provider: string, model: string] {
  if (!request) throw new Error("no upstream request");
  const key =
    request.headers["x-api-key"] ??
    request.headers["x-goog-api-key"] ??
    request.headers.authorization?.replace(/^Bearer /, "") ??
    "";
  const gemini = /\/models\/([^:]+):/.exec(request.path)?.[1];
  const model = gemini ?? (request.body as { model: string }).model;
  return [KEYS[key] ?? `unknown key ${key}`, model];
}

/** Every upstream request (the two mocks' clocks are too coarse to order them: tests order by who answered). */
const allRequests = () => [...up.a.requests, ...up.b.requests];

beforeAll(async () => {
  up = await startRoutingUpstreams();
  gw = await startTestGateway({ yaml: catalogYaml("") });
  single = await startTestGateway({ yaml: catalogYaml("  provider_fallback: false") });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-master", maxRetries: 0, timeout: 10_000 });
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: "sk-master", maxRetries: 0, timeout: 10_000 });
});

afterAll(async () => {
  await Promise.all([gw.stop(), single.stop()]);
  await up.stop();
});

beforeEach(() => {
  up.a.reset();
  up.b.reset();
});

describe("a canonical id reaches the provider that serves it, with its native id", () => {
  test.each([
    ["anthropic/claude-opus-4.8", "anthropic", "claude-opus-4-8"],
    ["claude-opus-4-8", "anthropic", "claude-opus-4-8"],
    ["google/gemini-3.5-flash", "gemini", "gemini-3.5-flash"],
    ["openai/gpt-5.5", "openai", "gpt-5.5"],
    ["moonshotai/kimi-k2.6", "moonshot", "kimi-k2.6"],
    ["minimax/minimax-m2.5", "minimax", "MiniMax-M2.5"],
    ["qwen/qwen3.6-plus", "qwen", "qwen3.6-plus"],
  ])("Anthropic SDK: %s → %s as %s", async (model, provider, native) => {
    const { data, response } = await anthropic.messages.create(messagesBody(model, "hi")).withResponse();
    expect(data.content[0]).toMatchObject({ type: "text", text: "echo: hi" });
    expect(response.headers.get("x-switchboard-provider")).toBe(provider);
    expect(response.headers.get("x-switchboard-model")).toBe(native);
    expect(allRequests().map(seen)).toEqual([[provider, native]]);
  });

  test("OpenAI SDK: the same ids, the same providers", async () => {
    for (const [model, expected] of [
      ["anthropic/claude-opus-4.8", ["anthropic", "claude-opus-4-8"]],
      ["google/gemini-3.5-flash", ["gemini", "gemini-3.5-flash"]],
      ["moonshotai/kimi-k2.6", ["moonshot", "kimi-k2.6"]],
    ] as const) {
      up.a.reset();
      const { data } = await openai.chat.completions.create(chatBody(model, "hi")).withResponse();
      expect(data.choices[0]?.message.content).toBe("echo: hi");
      expect(up.a.requests.map(seen)).toEqual([[...expected]]);
    }
  });

  test("a provider address outside the catalog's vendors is sent as written, alone", async () => {
    up.b.setDefault({ error: { status: 503, message: "openrouter down" } });
    const error = await rejectionOf(
      openai.chat.completions.create(chatBody("openrouter/anthropic/claude-opus-4.8")),
    );
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(allRequests().map(seen)).toEqual([["openrouter", "anthropic/claude-opus-4.8"]]);
  });

  test("an entry from the config's catalog", async () => {
    const { response } = await openai.chat.completions.create(chatBody("acme/widget-1")).withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("openrouter");
    expect(allRequests().map(seen)).toEqual([["openrouter", "acme/widget-1-instruct"]]);
  });
});

describe("the provider control chooses among the providers serving a canonical id", () => {
  test("OpenAI SDK: only openrouter → OpenRouter with the canonical id", async () => {
    const { response } = await openai.chat.completions
      .create({
        ...chatBody("anthropic/claude-opus-4.8"),
        provider: { only: ["openrouter"] },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("openrouter");
    expect(allRequests().map(seen)).toEqual([["openrouter", "anthropic/claude-opus-4.8"]]);
    expect(up.b.requests[0]?.body).not.toHaveProperty("provider");
  });

  test("Anthropic SDK: order [openrouter] puts OpenRouter first, Anthropic after it", async () => {
    up.b.enqueue({ error: { status: 503 } });
    const { response } = await anthropic.messages
      .create({
        ...messagesBody("claude-opus-4-8"),
        provider: { order: ["openrouter"] },
      } as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();
    // OpenRouter was tried (and failed) first, then Anthropic answered.
    expect(response.headers.get("x-switchboard-provider")).toBe("anthropic");
    expect(up.b.requests.map(seen)).toEqual([["openrouter", "anthropic/claude-opus-4.8"]]);
    expect(up.a.requests.map(seen)).toEqual([["anthropic", "claude-opus-4-8"]]);
  });

  test("ignore: the providers left", async () => {
    await openai.chat.completions.create({
      ...chatBody("google/gemini-3.5-flash"),
      provider: { ignore: ["gemini"] },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(allRequests().map(seen)).toEqual([["openrouter", "google/gemini-3.5-flash"]]);
  });
});

describe("failover across the providers serving the same id", () => {
  test("Anthropic SDK: a 503 from Anthropic moves to OpenRouter, called with its own id", async () => {
    up.a.enqueue({ error: { status: 503, message: "overloaded" } });
    const { data, response } = await anthropic.messages
      .create(messagesBody("anthropic/claude-opus-4.8", "still there?"))
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: "text", text: "echo: still there?" });
    expect(response.headers.get("x-switchboard-provider")).toBe("openrouter");
    expect(response.headers.get("x-switchboard-model")).toBe("anthropic/claude-opus-4.8");
    expect(up.a.requests.map(seen)).toEqual([["anthropic", "claude-opus-4-8"]]);
    expect(up.b.requests.map(seen)).toEqual([["openrouter", "anthropic/claude-opus-4.8"]]);
  });

  test("OpenAI SDK, streaming: a 503 before the first byte moves on too", async () => {
    up.a.enqueue({ error: { status: 503 } });
    const stream = await openai.chat.completions.create({
      ...chatBody("moonshotai/kimi-k2.6", "go"),
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("echo: go");
    expect(up.a.requests.map(seen)).toEqual([["moonshot", "kimi-k2.6"]]);
    expect(up.b.requests.map(seen)).toEqual([["openrouter", "moonshotai/kimi-k2.6"]]);
  });

  test("a 400 from the first provider is the client's answer: no failover", async () => {
    up.a.enqueue({ error: { status: 400, message: "bad request body" } });
    const error = await rejectionOf(anthropic.messages.create(messagesBody("anthropic/claude-opus-4.8")));
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(up.b.requests.length).toBe(0);
  });

  test("routing.provider_fallback: false ends the request at the first provider", async () => {
    up.a.enqueue({ error: { status: 503, message: "overloaded" } });
    const client = new Anthropic({ baseURL: single.url, apiKey: "sk-master", maxRetries: 0 });
    const error = await rejectionOf(client.messages.create(messagesBody("anthropic/claude-opus-4.8")));
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    expect(up.b.requests.length).toBe(0);
    // The provider control still reaches the others.
    const { response } = await client.messages
      .create({
        ...messagesBody("anthropic/claude-opus-4.8"),
        provider: "openrouter",
      } as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("openrouter");
  });
});

describe("allow-lists", () => {
  const keyed = () => new Anthropic({ baseURL: gw.url, apiKey: "sk-opus-only", maxRetries: 0 });

  test("a key allowed a canonical id reaches every provider serving it, failover and control included", async () => {
    up.a.enqueue({ error: { status: 503 } });
    const { response } = await keyed()
      .messages.create(messagesBody("anthropic/claude-opus-4.8"))
      .withResponse();
    expect(response.headers.get("x-switchboard-provider")).toBe("openrouter");
    const picked = await keyed()
      .messages.create({
        ...messagesBody("anthropic/claude-opus-4.8"),
        provider: "openrouter",
      } as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();
    expect(picked.response.headers.get("x-switchboard-provider")).toBe("openrouter");
  });

  test("names are checked as the request wrote them: another spelling is a 403", async () => {
    const error = await rejectionOf(keyed().messages.create(messagesBody("claude-opus-4-8")));
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(allRequests().length).toBe(0);
  });
});

describe("GET /v1/models", () => {
  test("lists the canonical ids the configured providers serve, owned by the first of them", async () => {
    const models = [];
    for await (const model of openai.models.list()) models.push(model);
    const byId = new Map(models.map((model) => [model.id, model.owned_by]));
    expect(byId.get("anthropic/claude-opus-4.8")).toBe("anthropic");
    expect(byId.get("google/gemini-3.5-flash")).toBe("gemini");
    expect(byId.get("minimax/minimax-m2.5")).toBe("minimax");
    expect(byId.get("acme/widget-1")).toBe("openrouter");
  });

  test("filtered by the key's allow-list", async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "sk-opus-only", maxRetries: 0 });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(["anthropic/claude-opus-4.8"]);
  });
});

describe("switchboard check", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "switchboard-catalog-check-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("shows each canonical id in use, its providers and their ids", async () => {
    const path = join(dir, "switchboard.yaml");
    writeFileSync(
      path,
      `providers:
  anthropic: { api_key: sk-a }
  openrouter: { api_key: sk-o }
  groq: { api_key: sk-g }
models:
  opus: anthropic/claude-opus-4.8
`,
    );
    const proc = Bun.spawn(["bun", join(import.meta.dir, "../../src/main.ts"), "check", "--config", path], {
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    });
    const [output, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    expect(output).toContain("provider fallback on");
    expect(output).toContain(
      "  anthropic/claude-opus-4.8 -> anthropic (claude-opus-4-8), openrouter (anthropic/claude-opus-4.8)",
    );
    expect(output).toContain(
      "  meta-llama/llama-3.3-70b-instruct -> openrouter (meta-llama/llama-3.3-70b-instruct), groq (llama-3.3-70b-versatile)",
    );
    // Without a Gemini provider, OpenRouter alone serves Gemini's models.
    expect(output).toContain("  google/gemini-3.5-flash -> openrouter (google/gemini-3.5-flash)\n");
  });
});
