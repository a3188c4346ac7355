import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { SSEParser } from "../../src/sse/parser.ts";
import { readFixture, readFixtureBytes, recordedInteractions, splitSSEEvents } from "./fixtures.ts";
import { type MockUpstream, startMockUpstream } from "./mock-upstream.ts";
import { anthropicEvents, openAIChunks } from "./wire-builders.ts";

const mock: MockUpstream = await startMockUpstream({ models: ["m-one", "m-two"] });
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

const post = (path: string, body: unknown, init: RequestInit = {}) =>
  fetch(mock.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string>) },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });

/** JSON.parse's untyped result keeps assertions on wire shapes short. */
const parsed = async (res: Response | Promise<Response>) => JSON.parse(await (await res).text());

function sseEvents(text: string) {
  const p = new SSEParser();
  return [...p.push(text), ...p.end()];
}

const chatBody = (extra: Record<string, unknown> = {}) => ({
  model: "gpt-x",
  messages: [
    { role: "system", content: "be brief" },
    { role: "user", content: "hi there" },
  ],
  ...extra,
});

describe("recording", () => {
  test("records method, path, query, lower-cased headers, raw and parsed body", async () => {
    const raw = '{"model":"a",  "messages":[]}';
    await fetch(`${mock.url}/v1/chat/completions?x=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Custom": "yes" },
      body: raw,
    });
    const [r] = mock.requests;
    expect(r!.method).toBe("POST");
    expect(r!.path).toBe("/v1/chat/completions");
    expect(r!.search).toBe("?x=1");
    expect(r!.headers["x-custom"]).toBe("yes");
    expect(r!.bodyText).toBe(raw);
    expect(r!.body).toEqual({ model: "a", messages: [] });
    expect(r!.aborted).toBe(false);
    expect(r!.completed).toBe(true);
    expect(typeof r!.receivedAt).toBe("number");
  });

  test("a non-JSON body is kept as text with body undefined", async () => {
    await post("/v1/messages", "not json{");
    expect(mock.requests[0]!.bodyText).toBe("not json{");
    expect(mock.requests[0]!.body).toBeUndefined();
  });
});

describe("echo defaults", () => {
  test("OpenAI JSON: chat.completion echoing the last user message", async () => {
    const res = await post("/v1/chat/completions", chatBody());
    expect(res.status).toBe(200);
    const j = await parsed(res);
    expect(j.object).toBe("chat.completion");
    expect(j.model).toBe("gpt-x");
    expect(j.choices[0].message).toMatchObject({ role: "assistant", content: "echo: hi there" });
    expect(j.choices[0].finish_reason).toBe("stop");
    expect(j.usage.total_tokens).toBe(j.usage.prompt_tokens + j.usage.completion_tokens);
  });

  test("OpenAI stream without include_usage: no usage chunk; with it: usage-only chunk before [DONE]", async () => {
    const plain = sseEvents(await (await post("/v1/chat/completions", chatBody({ stream: true }))).text());
    expect(plain.at(-1)!.data).toBe("[DONE]");
    const plainChunks = plain.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(plainChunks.every((c) => c.choices.length === 1)).toBe(true);
    const text = plainChunks.map((c) => c.choices[0].delta.content ?? "").join("");
    expect(text).toBe("echo: hi there");
    expect(plainChunks.at(-1).choices[0].finish_reason).toBe("stop");

    const res = await post(
      "/v1/chat/completions",
      chatBody({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = sseEvents(await res.text());
    const usageChunk = JSON.parse(events.at(-2)!.data);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.completion_tokens).toBeGreaterThan(0);
  });

  test("Anthropic JSON and full event stream in order", async () => {
    const body = {
      model: "claude-x",
      max_tokens: 10,
      messages: [{ role: "user", content: [{ type: "text", text: "yo" }] }],
    };
    const j = await parsed(post("/v1/messages", body));
    expect(j).toMatchObject({ type: "message", model: "claude-x", stop_reason: "end_turn" });
    expect(j.content).toEqual([{ type: "text", text: "echo: yo" }]);

    const events = sseEvents(await (await post("/v1/messages", { ...body, stream: true })).text());
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
  });

  test("Anthropic count_tokens", async () => {
    const j = (await (
      await post("/v1/messages/count_tokens", { model: "c", messages: [] })
    ).json()) as Record<string, unknown>;
    expect(typeof j.input_tokens).toBe("number");
  });

  test("Gemini generateContent, alt=sse stream with CRLF framing, and JSON-array stream", async () => {
    const body = { contents: [{ role: "user", parts: [{ text: "hey you" }] }] };
    const j = await parsed(post("/v1beta/models/gemini-x:generateContent", body));
    expect(j.candidates[0].content.parts[0].text).toBe("echo: hey you");
    expect(j.modelVersion).toBe("gemini-x");

    const text = await (await post("/v1beta/models/gemini-x:streamGenerateContent?alt=sse", body)).text();
    expect(text.endsWith("\r\n\r\n")).toBe(true);
    const chunks = sseEvents(text).map((e) => JSON.parse(e.data));
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join("")).toBe("echo: hey you");
    expect(chunks.at(-1).candidates[0].finishReason).toBe("STOP");

    const arr = (await (
      await post("/v1beta/models/gemini-x:streamGenerateContent", body)
    ).json()) as unknown[];
    expect(arr.length).toBe(chunks.length);
  });

  test("models list: OpenAI format, Anthropic format with anthropic-version", async () => {
    const o = await parsed(fetch(`${mock.url}/v1/models`));
    expect(o.object).toBe("list");
    expect(o.data.map((m: { id: string }) => m.id)).toEqual(["m-one", "m-two"]);
    const a = await parsed(
      fetch(`${mock.url}/v1/models`, { headers: { "anthropic-version": "2023-06-01" } }),
    );
    expect(a.data[0]).toMatchObject({ type: "model", id: "m-one" });
    expect(a.has_more).toBe(false);
  });

  test("unknown path answers 404", async () => {
    expect((await fetch(`${mock.url}/nope`)).status).toBe(404);
  });
});

describe("scripted replies", () => {
  test("FIFO queue, then the default", async () => {
    mock.enqueue({ json: { n: 1 } }, { json: { n: 2 } });
    mock.setDefault({ json: { n: 0 } });
    const got = [];
    for (let i = 0; i < 3; i++) got.push(await (await post("/v1/chat/completions", {})).json());
    expect(got).toEqual([{ n: 1 }, { n: 2 }, { n: 0 }]);
  });

  test("json string is sent as exact bytes with status and headers", async () => {
    mock.enqueue({ json: '{"a" : 1 }', status: 201, headers: { "x-up": "1" } });
    const res = await post("/v1/chat/completions", {});
    expect(res.status).toBe(201);
    expect(res.headers.get("x-up")).toBe("1");
    expect(await res.text()).toBe('{"a" : 1 }');
  });

  test("sse chunks are written as-is and arrive as separate reads when delayed", async () => {
    const chunks = ["data: a\n\n", "data: b\r\n\r\n", ": comment\n\n"];
    mock.enqueue({ sse: chunks, chunkDelayMs: 30 });
    const res = await post("/v1/chat/completions", {});
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    const reads: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read())
      reads.push(new TextDecoder().decode(r.value));
    expect(reads).toEqual(chunks);
    expect(mock.requests[0]!.completed).toBe(true);
    expect(mock.requests[0]!.chunksSent).toBe(3);
  });

  test("error reply: provider-shaped bodies per endpoint, explicit body and headers", async () => {
    mock.enqueue(
      { error: { status: 429, headers: { "retry-after": "2" } } },
      { error: { status: 529 } },
      { error: { status: 503, message: "down" } },
      { error: { status: 400, body: "plain bytes" } },
    );
    const a = await post("/v1/chat/completions", {});
    expect(a.status).toBe(429);
    expect(a.headers.get("retry-after")).toBe("2");
    expect((await parsed(a)).error.type).toBe("rate_limit_exceeded");
    const b = await post("/v1/messages", {});
    expect(await b.json()).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "mock upstream error 529" },
    });
    const c = await post("/v1beta/models/g:generateContent", {});
    expect(await c.json()).toEqual({ error: { code: 503, message: "down", status: "UNAVAILABLE" } });
    const d = await post("/v1/messages", {});
    expect(d.status).toBe(400);
    expect(await d.text()).toBe("plain bytes");
  });

  test("networkError: fetch rejects, no response", async () => {
    mock.enqueue({ networkError: true });
    await expect(post("/v1/chat/completions", {})).rejects.toThrow();
    expect(mock.requests.length).toBe(1);
  });

  test("delayMs holds the headers back", async () => {
    mock.enqueue({ json: {}, delayMs: 120 });
    const t0 = performance.now();
    await post("/v1/chat/completions", {});
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
  });

  test("dropAfterChunks: the client reads n chunks, then the body errors", async () => {
    mock.enqueue({ sse: openAIChunks({ text: ["a", "b", "c"] }), dropAfterChunks: 2 });
    const res = await post("/v1/chat/completions", {});
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = "";
    let failed = false;
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read())
        text += new TextDecoder().decode(r.value);
    } catch {
      failed = true;
    }
    expect(failed).toBe(true);
    expect(text).toBe(
      openAIChunks({ text: ["a", "b", "c"] })
        .slice(0, 2)
        .join(""),
    );
  });

  test("hangAfterChunks: n chunks then silence; client abort is recorded", async () => {
    mock.enqueue({ sse: anthropicEvents(), hangAfterChunks: 1 });
    const ac = new AbortController();
    const res = await post("/v1/messages", {}, { signal: ac.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe(anthropicEvents()[0]!);
    const second = await Promise.race([
      reader.read().then(() => "data"),
      Bun.sleep(150).then(() => "stalled"),
    ]);
    expect(second).toBe("stalled");
    ac.abort();
    await mock.waitFor((rs) => rs[0]!.aborted);
    expect(mock.requests[0]!.completed).toBe(false);
    expect(mock.requests[0]!.chunksSent).toBe(1);
  });

  test("hang: no headers ever; aborting before headers is recorded", async () => {
    mock.enqueue({ hang: true });
    const ac = new AbortController();
    const pending = post("/v1/chat/completions", {}, { signal: ac.signal });
    await mock.waitFor((rs) => rs.length === 1);
    setTimeout(() => ac.abort(), 50);
    await expect(pending).rejects.toThrow();
    await mock.waitFor((rs) => rs[0]!.aborted);
  });

  test("a completed response is not marked aborted", async () => {
    await (await post("/v1/messages", { stream: true, messages: [] })).text();
    await Bun.sleep(20);
    expect(mock.requests[0]!.aborted).toBe(false);
    expect(mock.requests[0]!.completed).toBe(true);
  });

  test("function replies see the recorded request", async () => {
    mock.setDefault((req) => ({ json: { youSent: (req.body as { model: string }).model } }));
    expect(await (await post("/v1/chat/completions", { model: "zz" })).json()).toEqual({ youSent: "zz" });
  });
});

describe("fixture replay", () => {
  test("SSE fixture replays byte for byte, one event per chunk", async () => {
    const name = "anthropic/sdkpy-tool_use_response.txt";
    mock.enqueue({ fixture: name });
    const res = await post("/v1/messages", {});
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(readFixtureBytes(name));
  });

  test("CRLF Gemini fixture and OpenAI fixture replay exactly", async () => {
    for (const name of [
      "gemini/louter-native-sse-single-chunk.txt",
      "openai/openai-node-chat-stream-leading-newline-chunk.txt",
    ]) {
      mock.enqueue({ fixture: name, chunkDelayMs: 1 });
      const res = await post("/v1/chat/completions", {});
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(readFixtureBytes(name));
    }
  });

  test("plain JSON fixture is sent as is", async () => {
    const name = "openai/gomodel-chat_with_tools.json";
    mock.enqueue({ fixture: name });
    const res = await post("/v1/chat/completions", {});
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.text()).toBe(readFixture(name));
  });

  test("js-genai recording: status, content type and bodySegments as SSE", async () => {
    const name = "gemini/jsgenai-stream-function-call-2.0-flash.json";
    mock.enqueue({ fixture: name, interaction: 1 });
    const res = await post("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", {});
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = sseEvents(await res.text());
    const expected = (
      JSON.parse(readFixture(name)) as { interactions: { response: { bodySegments: unknown[] } }[] }
    ).interactions[1]!.response.bodySegments;
    expect(events.map((e) => JSON.parse(e.data))).toEqual(expected);
  });

  test("js-genai 404 error recording keeps its status and body", async () => {
    mock.enqueue({ fixture: "gemini/jsgenai-stream-404-model-not-found-error.json" });
    const res = await post("/v1beta/models/x:streamGenerateContent?alt=sse", {});
    expect(res.status).toBe(404);
    expect((await parsed(res)).error.status).toBe("NOT_FOUND");
  });

  test("enqueueRecording replays a cassette's exchanges in order (429, 429, 200)", async () => {
    const name = "anthropic/sdkpy-cassette-nonstream-429-rate-limit-x2-then-200.json";
    expect(recordedInteractions(name).map((i) => i.status)).toEqual([429, 429, 200]);
    mock.enqueueRecording(name);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await post("/v1/messages", {});
      statuses.push(res.status);
      // Recorded headers survive, minus framing ones that would no longer be true.
      if (i < 2) expect(res.headers.get("x-should-retry")).toBe("true");
      await res.text();
    }
    expect(statuses).toEqual([429, 429, 200]);
  });

  test("splitSSEEvents keeps every byte", () => {
    const text = "data: a\n\ndata: b\r\n\r\nevent: x\rdata: y\r\rtail";
    const parts = splitSSEEvents(text);
    expect(parts).toEqual(["data: a\n\n", "data: b\r\n\r\n", "event: x\rdata: y\r\r", "tail"]);
    expect(parts.join("")).toBe(text);
  });
});
