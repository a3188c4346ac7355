// Streams and failover: before the first byte the gateway falls back; after it, the stream ends
// with the protocol's error event and the SDKs raise instead of hanging or reporting success.
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
      `  retries: 0
  stream_idle_timeout: 300ms
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

async function openaiStreamText(
  model: string,
  text: string,
): Promise<{ text: string; provider: string | null }> {
  const { data: stream, response } = await openai.chat.completions
    .create({ ...chatBody(model, text), stream: true })
    .withResponse();
  let out = "";
  for await (const chunk of stream) out += chunk.choices[0]?.delta?.content ?? "";
  return { text: out, provider: response.headers.get("x-switchboard-provider") };
}

async function anthropicStreamText(
  model: string,
  text: string,
): Promise<{ text: string; provider: string | null }> {
  const { data: stream, response } = await anthropic.messages
    .create({ ...messagesBody(model, text), stream: true })
    .withResponse();
  let out = "";
  for await (const event of stream) {
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") out += event.delta.text;
  }
  return { text: out, provider: response.headers.get("x-switchboard-provider") };
}

describe("OpenAI streams", () => {
  test("a 500 before the stream starts fails over to the next provider", async () => {
    up.a.enqueue({ error: { status: 500 } });
    expect(await openaiStreamText("chat", "stream me")).toEqual({
      text: "echo: stream me",
      provider: "oa-b",
    });
  });

  test("a connection dropped before the first byte fails over", async () => {
    up.a.enqueue({ echo: true, dropAfterChunks: 0 });
    expect(await openaiStreamText("chat", "again")).toEqual({ text: "echo: again", provider: "oa-b" });
  });

  test("a refused connection fails over", async () => {
    expect(await openaiStreamText("via-refused", "refused")).toEqual({
      text: "echo: refused",
      provider: "oa-b",
    });
  });

  test("a drop after the first byte ends the stream with an error the SDK raises; no failover", async () => {
    up.a.enqueue({ echo: true, dropAfterChunks: 1 });
    const started = performance.now();
    const error = await rejectionOf(openaiStreamText("chat", "cut short"));
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(up.b.requests.length).toBe(0);
  });

  test("an upstream that stalls mid-stream is ended after the idle timeout with an error", async () => {
    up.a.enqueue({ echo: true, hangAfterChunks: 1 });
    const started = performance.now();
    const error = await rejectionOf(openaiStreamText("chat", "stall"));
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(performance.now() - started).toBeLessThan(5000);
    await up.a.waitFor((requests) => requests[0]?.aborted === true);
  });

  test("the raw bytes after a mid-stream drop: an error data line and no [DONE]", async () => {
    up.a.enqueue({ echo: true, dropAfterChunks: 1 });
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer client-key" },
      body: JSON.stringify({ ...chatBody("chat"), stream: true }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const dataLines = text.split("\n").filter((line) => line.startsWith("data:"));
    const last = JSON.parse(dataLines[dataLines.length - 1].slice(5)) as { error?: Record<string, unknown> };
    expect(last.error).toMatchObject({ type: expect.any(String), message: expect.any(String) });
    expect(text).not.toContain("[DONE]");
  });
});

describe("Anthropic streams", () => {
  test("a 529 before the stream starts fails over to the next provider", async () => {
    up.a.enqueue({ error: { status: 529 } });
    expect(await anthropicStreamText("claude", "stream me")).toEqual({
      text: "echo: stream me",
      provider: "an-b",
    });
  });

  test("a connection dropped before the first byte fails over", async () => {
    up.a.enqueue({ echo: true, dropAfterChunks: 0 });
    expect(await anthropicStreamText("claude", "again")).toEqual({ text: "echo: again", provider: "an-b" });
  });

  test("a drop after the first byte ends the stream with an error event the SDK raises", async () => {
    up.a.enqueue({ echo: true, dropAfterChunks: 2 });
    const started = performance.now();
    const error = await rejectionOf(anthropicStreamText("claude", "cut short"));
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(up.b.requests.length).toBe(0);
  });

  test("the raw bytes after a mid-stream drop end with event: error", async () => {
    up.a.enqueue({ echo: true, dropAfterChunks: 2 });
    const response = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": "client-key",
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({ ...messagesBody("claude"), stream: true }),
    });
    const text = await response.text();
    const events = text.trim().split(/\n\n/);
    const last = events[events.length - 1];
    expect(last).toStartWith("event: error\n");
    const data = JSON.parse(last.split("\n")[1].replace(/^data: ?/, "")) as {
      type: string;
      error: { type: string };
    };
    expect(data.type).toBe("error");
    expect(["api_error", "overloaded_error"]).toContain(data.error.type);
  });

  test("every target failing before the first byte: a plain JSON error with the last status", async () => {
    up.a.setDefault({ error: { status: 500 } });
    up.b.setDefault({ error: { status: 529, message: "b overloaded" } });
    const response = await fetch(`${gw.url}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": "client-key",
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({ ...messagesBody("claude"), stream: true }),
    });
    expect(response.status).toBe(529);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "b overloaded" },
    });
  });
});
