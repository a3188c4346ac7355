/**
 * An open stream keeps what it needs to finish, not the request that started it: agents send
 * bodies of hundreds of kilobytes and keep streams open for minutes, so a body held per stream is
 * the gateway's memory times the number of open streams (docs/performance.md, "What a stream
 * holds"). Each request here carries a 200 KB message that starts with a marker; with the streams
 * open, a heap snapshot of this process (the gateway runs in it) must hold no string with it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Server } from "bun";
import { startTestGateway, type TestGateway } from "../support/gateway.ts";

const encoder = new TextEncoder();

/** A provider that answers every call with one event of its protocol and then holds the stream. */
function startHoldingUpstream(): Server<undefined> {
  return Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    async fetch(request) {
      // As bytes: a string of the body here would be counted as the gateway's.
      await request.arrayBuffer();
      const path = new URL(request.url).pathname;
      const first = path.endsWith("/responses")
        ? 'event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","output":[]}}\n\n'
        : path.endsWith("/messages")
          ? 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":5,"output_tokens":1}}}\n\n'
          : 'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"hi"},"finish_reason":null}]}\n\n';
      let timer: ReturnType<typeof setInterval> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(first));
          // A comment now and then keeps the stream alive, as providers' pings do.
          timer = setInterval(() => controller.enqueue(encoder.encode(": ping\n\n")), 200);
        },
        cancel() {
          clearInterval(timer);
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    },
  });
}

/** The body of one request, as bytes, with a 200 KB message starting with `marker`. */
function bodyOf(kind: "chat" | "messages" | "responses", marker: string): Uint8Array {
  const content = `${marker}${"x".repeat(200_000)}`;
  const body =
    kind === "chat"
      ? { messages: [{ role: "user", content }], model: "gpt-4o-mini", stream: true }
      : kind === "messages"
        ? { messages: [{ role: "user", content }], model: "claude-sonnet-4-5", max_tokens: 100, stream: true }
        : { input: [{ role: "user", content }], model: "claude-sonnet-4-5", stream: true };
  return encoder.encode(JSON.stringify(body));
}

/** Strings in this process's heap (the gateway's among them) of over 100 KB that contain `marker`. */
async function stringsHolding(marker: string): Promise<number> {
  // Off the stack that handled the requests first: the collector scans the stack conservatively.
  await Bun.sleep(10);
  Bun.gc(true);
  const snapshot = JSON.parse(Bun.generateHeapSnapshot("v8")) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [type, name, size] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  let count = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (!types[snapshot.nodes[i + type]!]!.includes("string")) continue;
    if (snapshot.nodes[i + size]! < 100_000) continue;
    // A string node's name is its first 1,024 characters; each marker sits near the start.
    if (snapshot.strings[snapshot.nodes[i + name]!]!.includes(marker)) count++;
  }
  return count;
}

describe("an open stream does not hold its request", () => {
  let upstream: Server<undefined>;
  let gw: TestGateway;

  beforeAll(async () => {
    upstream = startHoldingUpstream();
    const base = `http://127.0.0.1:${upstream.port}`;
    gw = await startTestGateway({
      yaml: `providers:
  openai:
    type: openai
    base_url: ${base}/v1
    api_key: sk-openai-test
    models: [gpt-4o-mini]
  anthropic:
    type: anthropic
    base_url: ${base}
    api_key: sk-ant-test
    models: [claude-sonnet-4-5]
  openai-responses:
    type: openai
    base_url: ${base}/v1
    api_key: sk-openai-test
    responses: true
    models: [gpt-5]
routing:
  retries: 0
`,
    });
  });

  afterAll(async () => {
    await gw?.stop();
    upstream?.stop(true);
  });

  const cases = [
    { name: "openai → openai (the zero-copy pipe)", path: "/v1/chat/completions", kind: "chat" as const },
    { name: "anthropic → anthropic (the zero-copy pipe)", path: "/v1/messages", kind: "messages" as const },
    {
      name: "openai → anthropic (translated)",
      path: "/v1/chat/completions",
      kind: "chat" as const,
      model: "claude-sonnet-4-5",
    },
    { name: "responses → anthropic (translated)", path: "/v1/responses", kind: "responses" as const },
    {
      name: "responses → responses (the zero-copy pipe)",
      path: "/v1/responses",
      kind: "responses" as const,
      model: "gpt-5",
    },
  ];

  for (const c of cases) {
    test(`${c.name}: four open streams, none of their 200 KB messages kept`, async () => {
      const marker = `RETAINED-${c.kind}-${c.model ?? "native"}-${Date.now()}-`;
      const readers: Array<{ cancel(): Promise<void> }> = [];
      for (let i = 0; i < 4; i++) {
        let body = bodyOf(c.kind, `${marker}${i}-`);
        if (c.model) {
          const text = new TextDecoder().decode(body);
          body = encoder.encode(text.replace(/"model":"[^"]+"/, `"model":"${c.model}"`));
        }
        const response = await fetch(`${gw.url}${c.path}`, {
          method: "POST",
          headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
          body,
        });
        expect(response.status).toBe(200);
        const reader = response.body!.getReader();
        const first = await reader.read();
        expect(first.done).toBe(false);
        readers.push(reader);
      }
      try {
        // Held per stream, this would be two or three strings a stream (8 to 12 before the change);
        // one can be a body a stale stack slot still points at (the collector is conservative).
        expect(await stringsHolding(marker)).toBeLessThanOrEqual(1);
      } finally {
        for (const reader of readers) await reader.cancel();
      }
    });
  }
});
