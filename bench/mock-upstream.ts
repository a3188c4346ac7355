#!/usr/bin/env bun
/**
 * The benchmark's upstream: a separate process that answers OpenAI `POST /v1/chat/completions`,
 * OpenAI `POST /v1/responses` and Anthropic `POST /v1/messages` at once, JSON or SSE, valid wire
 * format with usage. It is
 * not the test suite's scriptable mock (test/support/mock-upstream.ts): this one does as little
 * as possible per request, so that what a benchmark measures is the thing in front of it.
 *
 *   bun bench/mock-upstream.ts [--port N]     prints {"port":N} on stdout once listening
 *
 * The model name shapes the answer (see mock/parse-mock-model.ts): `events-200`, `drip-1000`,
 * `spaced` (JSON as Python servers write it).
 */
import { anthropicMessageJson, anthropicStreamEvents } from "./mock/anthropic-wire.ts";
import { openaiCompletionJson, openaiStreamEvents } from "./mock/openai-wire.ts";
import { parseMockModel } from "./mock/parse-mock-model.ts";
import { pythonJson } from "./mock/python-json.ts";
import {
  type ResponsesEcho,
  readResponsesEcho,
  responsesObjectJson,
  responsesStreamEvents,
} from "./mock/responses-wire.ts";

type Protocol = "openai" | "anthropic" | "responses";

const JSON_HEADERS = { "content-type": "application/json" };
const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const encoder = new TextEncoder();

// Every benchmark cell asks for the same few shapes: encode each once, serve the bytes after.
const bodyCache = new Map<string, Uint8Array | string[]>();
const CACHE_LIMIT = 256;

function remember<T extends Uint8Array | string[]>(key: string, make: () => T): T {
  const hit = bodyCache.get(key);
  if (hit) return hit as T;
  const value = make();
  if (bodyCache.size < CACHE_LIMIT) bodyCache.set(key, value);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function wantsUsage(body: Record<string, unknown>): boolean {
  return isRecord(body.stream_options) && body.stream_options.include_usage === true;
}

type Stringify = (value: unknown) => string;

function streamEvents(
  protocol: Protocol,
  model: string,
  events: number,
  usage: boolean,
  echo: ResponsesEcho,
  stringify: Stringify,
): string[] {
  if (protocol === "openai") return openaiStreamEvents(model, events, usage, stringify);
  if (protocol === "responses") return responsesStreamEvents(model, events, echo, stringify);
  return anthropicStreamEvents(model, events, stringify);
}

function jsonAnswer(
  protocol: Protocol,
  model: string,
  words: number,
  echo: ResponsesEcho,
  stringify: Stringify,
): string {
  if (protocol === "openai") return openaiCompletionJson(model, words, stringify);
  if (protocol === "responses") return responsesObjectJson(model, words, echo, stringify);
  return anthropicMessageJson(model, words, stringify);
}

/** A whole stream as one chunk of a chunked response, the way a fast provider's reaches a proxy. */
function instantStream(bytes: Uint8Array): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return new Response(body, { headers: SSE_HEADERS });
}

/** One event every `dripMs`: holds streams open for the many-open-streams memory test. */
function drippingStream(events: string[], dripMs: number): Response {
  let timer: ReturnType<typeof setInterval> | undefined;
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(events[next++] ?? ""));
      timer = setInterval(() => {
        const event = events[next++];
        if (event === undefined) {
          clearInterval(timer);
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(event));
      }, dripMs);
    },
    cancel() {
      clearInterval(timer);
    },
  });
  return new Response(body, { headers: SSE_HEADERS });
}

async function answer(protocol: Protocol, request: Request): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return new Response('{"error":{"message":"bad json"}}', { status: 400, headers: JSON_HEADERS });
  }
  if (!isRecord(body)) return new Response('{"error":{"message":"not an object"}}', { status: 400 });
  const model = typeof body.model === "string" ? body.model : "mock";
  const shape = parseMockModel(model);
  const stringify = shape.spaced ? pythonJson : JSON.stringify;
  // A Responses answer echoes some request settings: they are part of what is cached.
  const echo = protocol === "responses" ? readResponsesEcho(body) : {};
  const echoKey =
    protocol === "responses" ? `${echo.instructions}|${echo.max_output_tokens}|${echo.temperature}` : "";

  if (body.stream !== true) {
    const bytes = remember(`${protocol}|json|${model}|${echoKey}`, () =>
      encoder.encode(jsonAnswer(protocol, model, shape.events, echo, stringify)),
    );
    return new Response(bytes, { headers: JSON_HEADERS });
  }
  // Anthropic and Responses streams always carry usage; Chat Completions only when asked.
  const usage = protocol !== "openai" || wantsUsage(body);
  if (shape.dripMs > 0)
    return drippingStream(streamEvents(protocol, model, shape.events, usage, echo, stringify), shape.dripMs);
  const bytes = remember(`${protocol}|sse|${model}|${usage}|${echoKey}`, () =>
    encoder.encode(streamEvents(protocol, model, shape.events, usage, echo, stringify).join("")),
  );
  return instantStream(bytes);
}

function readPort(argv: string[]): number {
  const index = argv.indexOf("--port");
  return index >= 0 ? Number(argv[index + 1]) : 0;
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: readPort(process.argv),
  idleTimeout: 0,
  fetch(request) {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path.endsWith("/chat/completions")) return answer("openai", request);
    if (request.method === "POST" && path.endsWith("/v1/responses")) return answer("responses", request);
    if (request.method === "POST" && path.endsWith("/v1/messages")) return answer("anthropic", request);
    if (path === "/health") return new Response("ok");
    return new Response('{"error":{"message":"not found"}}', { status: 404, headers: JSON_HEADERS });
  },
});

process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
