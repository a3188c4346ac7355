/**
 * A scriptable mock provider for tests: one Bun.serve on 127.0.0.1, port 0, that speaks the
 * OpenAI, Anthropic and Gemini wire formats and records every request.
 *
 *   const mock = await startMockUpstream({ models: ["gpt-4o-mini"] });
 *   // provider base URLs: mock.baseUrls.openai (`${url}/v1`), .anthropic (url), .gemini (url)
 *   mock.enqueue({ fixture: "anthropic/sdkpy-tool_use_response.txt" });  // next request gets this
 *   mock.enqueue({ error: { status: 429, headers: { "retry-after": "1" } } }, { echo: true });
 *   ... drive the gateway ...
 *   mock.requests[0].body / .headers / .aborted
 *   await mock.stop();
 *
 * Endpoints (any path prefix): POST …/chat/completions, GET …/models (Anthropic list format when
 * the request has `anthropic-version`), POST …/messages, POST …/messages/count_tokens,
 * POST …/models/{model}:generateContent and :streamGenerateContent (`?alt=sse` → SSE, else a JSON array),
 * POST …/embeddings (OpenAI) and …/models/{model}:batchEmbedContents (Gemini): vectors from
 * mockVector (mock-echo.ts), `dimensions` / `outputDimensionality` long (default 3).
 *
 * Replies are taken FIFO from the queue, one per request; when it is empty the default reply is
 * used (initially `{ echo: true }`: a valid response in the endpoint's format whose text is
 * `echo: <last user text>`, streamed when the request asks, OpenAI usage chunk only with
 * stream_options.include_usage). A reply is one of:
 *   { json, status?, headers? }                  JSON body (a string is sent as exact bytes)
 *   { sse: string | string[] }                   raw SSE, each element one write, byte for byte
 *   { text, contentType? }                       any other raw body
 *   { fixture: "dir/file", interaction?, splitEvents? }
 *        .txt → text/event-stream, written one event per chunk (splitEvents: false = one write);
 *        .json → sent as is, unless it is a recording (js-genai, cassette, nock): then its
 *        `interaction`-th exchange (default 0) is replayed with its status and headers.
 *   { echo: true }                               the default behaviour, explicitly
 *   { error: { status, body?, headers?, message? } }  provider-shaped error body unless `body` given
 *   { networkError: true }                       the connection is closed with no response
 *   { hang: true }                               never answers (until the client goes away)
 *   (req: RecordedRequest) => reply | Promise<reply>   decide per request
 * Body replies also take: status, headers, delayMs (before headers), chunkDelayMs (between
 * chunks), hangAfterChunks: n (write n chunks, then stall without closing), dropAfterChunks: n
 * (write n chunks, then reset the connection). Bun sends headers with the first chunk, so
 * n = 0 for either means the client never gets headers.
 */
import { type Server, serve } from "bun";
import { readFixture, recordedInteractions, splitSSEEvents } from "./fixtures.ts";
import { classifyEndpoint, echoReply, protocolOf, providerErrorBody } from "./mock-echo.ts";

export interface RecordedRequest {
  /** 0-based position in `requests`. */
  seq: number;
  method: string;
  path: string;
  /** Query string including `?`, or "". */
  search: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  bodyText: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  /** The client went away before the response was complete (before headers or mid-stream). */
  aborted: boolean;
  /** The response was written to the end. */
  completed: boolean;
  /** Body chunks written so far. */
  chunksSent: number;
  /** Date.now() when the request arrived. */
  receivedAt: number;
}

export interface BodyControls {
  status?: number;
  headers?: Record<string, string>;
  delayMs?: number;
  chunkDelayMs?: number;
  hangAfterChunks?: number;
  dropAfterChunks?: number;
}

export type MockReply =
  | ({ json: unknown } & BodyControls)
  | ({ sse: string | string[] } & BodyControls)
  | ({ text: string; contentType?: string } & BodyControls)
  | ({ fixture: string; interaction?: number; splitEvents?: boolean } & BodyControls)
  | ({ echo: true } & BodyControls)
  | {
      error: { status: number; body?: unknown; headers?: Record<string, string>; message?: string };
      delayMs?: number;
    }
  | { networkError: true; delayMs?: number }
  | { hang: true }
  | ((req: RecordedRequest) => MockReply | Promise<MockReply>);

export interface MockUpstreamOptions {
  /** Model ids listed by GET /models (default a few well-known ones). */
  models?: string[];
  /**
   * Seconds before an idle connection is closed, as real providers do (default 0: never, so
   * hang replies last until the client goes away). Bun counts a response still being written
   * as idle too: every reply (hangs, slow streams) must end within this.
   */
  idleTimeoutSeconds?: number;
}

export interface MockUpstream {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Base URLs as a provider config gives them (the gateway appends the endpoint paths). */
  baseUrls: { openai: string; anthropic: string; gemini: string };
  requests: RecordedRequest[];
  enqueue(...replies: MockReply[]): void;
  /** Queues every exchange of a recording fixture, in order (e.g. 429, 429, 200). */
  enqueueRecording(name: string): void;
  setDefault(reply: MockReply): void;
  /** Clears the queue and the recorded requests and restores the echo default. */
  reset(): void;
  /** Resolves once `predicate(requests)` holds; rejects after timeoutMs. */
  waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_MODELS = ["gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash"];
const encoder = new TextEncoder();
const DROP_FLUSH_MS = 20;

interface Plan {
  status: number;
  headers: Record<string, string>;
  chunks: Uint8Array[];
  chunkDelayMs: number;
  hangAfterChunks?: number;
  dropAfterChunks?: number;
  /** Force the streaming path even for one chunk (SSE). */
  stream: boolean;
}

function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return Promise.race([Bun.sleep(ms), whenAborted(signal)]);
}

const toBytes = (chunks: string[]): Uint8Array[] => chunks.map((c) => encoder.encode(c));

function fixturePlan(
  reply: { fixture: string; interaction?: number; splitEvents?: boolean },
  status: number | undefined,
): Plan {
  const split = (text: string) => (reply.splitEvents === false ? [text] : splitSSEEvents(text));
  if (reply.fixture.endsWith(".json")) {
    let interactions: ReturnType<typeof recordedInteractions> | undefined;
    try {
      interactions = recordedInteractions(reply.fixture);
    } catch {
      interactions = undefined;
    }
    if (interactions) {
      const ix = interactions[reply.interaction ?? 0];
      if (!ix) throw new Error(`${reply.fixture} has no interaction ${reply.interaction}`);
      const isSSE = ix.contentType.includes("event-stream");
      return {
        status: status ?? ix.status,
        headers: { ...ix.headers, "content-type": ix.contentType },
        chunks: toBytes(isSSE && ix.bodyText ? split(ix.bodyText) : ix.bodyText ? [ix.bodyText] : []),
        chunkDelayMs: 0,
        stream: isSSE,
      };
    }
    return {
      status: status ?? 200,
      headers: { "content-type": "application/json" },
      chunks: toBytes([readFixture(reply.fixture)]),
      chunkDelayMs: 0,
      stream: false,
    };
  }
  return {
    status: status ?? 200,
    headers: { "content-type": "text/event-stream" },
    chunks: toBytes(split(readFixture(reply.fixture))),
    chunkDelayMs: 0,
    stream: true,
  };
}

export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const models = options.models ?? DEFAULT_MODELS;
  const requests: RecordedRequest[] = [];
  let queue: MockReply[] = [];
  let defaultReply: MockReply = { echo: true };

  function planFor(
    reply: Exclude<MockReply, (req: RecordedRequest) => unknown>,
    req: Request,
    rec: RecordedRequest,
  ) {
    const endpoint = classifyEndpoint(rec.method, rec.path, rec.search, req.headers);
    if ("error" in reply) {
      const { status, body, headers, message } = reply.error;
      const payload = body === undefined ? providerErrorBody(protocolOf(endpoint), status, message) : body;
      return {
        status,
        headers: { "content-type": "application/json", ...headers },
        chunks: toBytes([typeof payload === "string" ? payload : JSON.stringify(payload)]),
        chunkDelayMs: 0,
        stream: false,
      } satisfies Plan;
    }
    if ("hang" in reply || "networkError" in reply) throw new Error("unreachable");
    let plan: Plan;
    if ("json" in reply) {
      const text = typeof reply.json === "string" ? reply.json : JSON.stringify(reply.json);
      plan = {
        status: 200,
        headers: { "content-type": "application/json" },
        chunks: toBytes([text]),
        chunkDelayMs: 0,
        stream: false,
      };
    } else if ("sse" in reply) {
      const chunks = typeof reply.sse === "string" ? [reply.sse] : reply.sse;
      plan = {
        status: 200,
        headers: { "content-type": "text/event-stream" },
        chunks: toBytes(chunks),
        chunkDelayMs: 0,
        stream: true,
      };
    } else if ("text" in reply) {
      plan = {
        status: 200,
        headers: { "content-type": reply.contentType ?? "text/plain" },
        chunks: toBytes([reply.text]),
        chunkDelayMs: 0,
        stream: false,
      };
    } else if ("fixture" in reply) {
      plan = fixturePlan(reply, reply.status);
    } else {
      const echo = echoReply(endpoint, rec.body, { models, seq: rec.seq });
      plan = {
        status: echo.status,
        headers: { "content-type": echo.contentType },
        chunks: toBytes(echo.chunks),
        chunkDelayMs: 0,
        stream: echo.contentType === "text/event-stream",
      };
    }
    if (reply.status !== undefined) plan.status = reply.status;
    plan.headers = { ...plan.headers, ...reply.headers };
    plan.chunkDelayMs = reply.chunkDelayMs ?? 0;
    plan.hangAfterChunks = reply.hangAfterChunks;
    plan.dropAfterChunks = reply.dropAfterChunks;
    return plan;
  }

  function respond(plan: Plan, rec: RecordedRequest, signal: AbortSignal): Response {
    const simple =
      !plan.stream &&
      plan.chunks.length <= 1 &&
      plan.chunkDelayMs === 0 &&
      plan.hangAfterChunks === undefined &&
      plan.dropAfterChunks === undefined;
    if (simple) {
      rec.completed = true;
      rec.chunksSent = plan.chunks.length;
      return new Response(plan.chunks[0] ?? null, { status: plan.status, headers: plan.headers });
    }
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (plan.dropAfterChunks !== undefined && i >= plan.dropAfterChunks) {
          // Let Bun flush what was written, else the reset can overtake the headers.
          if (i > 0) await sleep(DROP_FLUSH_MS, signal);
          // No argument: Bun then resets the socket without logging an error.
          controller.error();
          return;
        }
        if (plan.hangAfterChunks !== undefined && i >= plan.hangAfterChunks) {
          await whenAborted(signal);
          return;
        }
        if (i >= plan.chunks.length) {
          rec.completed = true;
          controller.close();
          return;
        }
        if (i > 0 && plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs, signal);
        if (signal.aborted) return;
        controller.enqueue(plan.chunks[i]!);
        i++;
        rec.chunksSent = i;
      },
      cancel() {
        if (!rec.completed) rec.aborted = true;
      },
    });
    return new Response(body, { status: plan.status, headers: plan.headers });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    let bodyText = "";
    try {
      bodyText = await req.text();
    } catch {
      bodyText = "";
    }
    let body: unknown;
    try {
      body = bodyText ? JSON.parse(bodyText) : undefined;
    } catch {
      body = undefined;
    }
    const rec: RecordedRequest = {
      seq: requests.length,
      method: req.method,
      path: url.pathname,
      search: url.search,
      headers: Object.fromEntries(req.headers),
      bodyText,
      body,
      aborted: false,
      completed: false,
      chunksSent: 0,
      receivedAt: Date.now(),
    };
    requests.push(rec);
    const signal = req.signal;
    signal.addEventListener("abort", () => {
      if (!rec.completed) rec.aborted = true;
    });

    let reply = queue.length ? queue.shift()! : defaultReply;
    while (typeof reply === "function") reply = await reply(rec);

    if ("hang" in reply) {
      await whenAborted(signal);
      return new Response(null, { status: 499 });
    }
    if (reply.delayMs) await sleep(reply.delayMs, signal);
    if ("networkError" in reply) {
      return new Response(new ReadableStream({ pull: (c) => c.error() }));
    }
    return respond(planFor(reply, req, rec), rec, signal);
  }

  const server: Server<undefined> = serve({
    hostname: "127.0.0.1",
    port: 0,
    // Hang replies must outlive Bun's 10 s default idle timeout.
    idleTimeout: options.idleTimeoutSeconds ?? 0,
    fetch: handle,
    error(err) {
      return new Response(JSON.stringify({ error: { message: `mock upstream failure: ${String(err)}` } }), {
        status: 500,
        headers: { "content-type": "application/json" },
      });
    },
  });

  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    port: server.port ?? 0,
    baseUrls: { openai: `${url}/v1`, anthropic: url, gemini: url },
    requests,
    enqueue(...replies) {
      queue.push(...replies);
    },
    enqueueRecording(name) {
      recordedInteractions(name).forEach((_, interaction) => {
        queue.push({ fixture: name, interaction });
      });
    },
    setDefault(reply) {
      defaultReply = reply;
    },
    reset() {
      queue = [];
      requests.length = 0;
      defaultReply = { echo: true };
    },
    async waitFor(predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(requests)) {
        if (Date.now() > deadline) throw new Error(`mock upstream: condition not met within ${timeoutMs} ms`);
        await Bun.sleep(5);
      }
    },
    async stop() {
      await server.stop(true);
    },
  };
}
