import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type Service, startMock } from "../../bench/lib/services.ts";
import { checkJsonAnswer, checkStreamEvents } from "../../bench/lib/verify-response.ts";
import { parseMockModel } from "../../bench/mock/parse-mock-model.ts";
import { SSEParser } from "../../src/sse/parser.ts";

function parseSse(text: string) {
  const parser = new SSEParser();
  return [...parser.push(text), ...parser.end()];
}

describe("parseMockModel", () => {
  test("events and drip come from the model name", () => {
    expect(parseMockModel("events-200")).toEqual({ events: 200, dripMs: 0, spaced: false });
    expect(parseMockModel("mock/events-30-drip-1000")).toEqual({ events: 30, dripMs: 1000, spaced: false });
    expect(parseMockModel(undefined)).toEqual({ events: 20, dripMs: 0, spaced: false });
    expect(parseMockModel("events-200-spaced")).toEqual({ events: 200, dripMs: 0, spaced: true });
  });
});

describe("bench mock upstream (separate process)", () => {
  let mock: Service;
  beforeAll(async () => {
    mock = await startMock(join(import.meta.dir, "../../bench/mock-upstream.ts"), undefined);
  });
  afterAll(() => mock.stop());

  const post = (path: string, body: object) =>
    fetch(`${mock.baseUrl}${path}`, { method: "POST", body: JSON.stringify(body) });

  test("OpenAI JSON has N words and usage", async () => {
    const response = await post("/v1/chat/completions", { model: "events-7" });
    expect(response.headers.get("content-type")).toBe("application/json");
    const body: unknown = await response.json();
    checkJsonAnswer("openai", body, 7);
    expect((body as { usage: unknown }).usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 7,
      total_tokens: 19,
    });
  });

  test("OpenAI stream: role chunk, N deltas, finish, usage only when asked, [DONE]", async () => {
    const withUsage = parseSse(
      await (
        await post("/v1/chat/completions", {
          model: "events-5",
          stream: true,
          stream_options: { include_usage: true },
        })
      ).text(),
    );
    expect(withUsage).toHaveLength(1 + 5 + 1 + 1 + 1);
    expect(withUsage.at(-1)?.data).toBe("[DONE]");
    checkStreamEvents("openai", withUsage, 5);
    const without = parseSse(
      await (await post("/v1/chat/completions", { model: "events-5", stream: true })).text(),
    );
    expect(without).toHaveLength(1 + 5 + 1 + 1);
    expect(() => checkStreamEvents("openai", without, 5)).toThrow("no usage");
  });

  test('spaced models answer in Python\'s JSON style (`"usage": {`), still valid and complete', async () => {
    const text = await (
      await post("/v1/chat/completions", {
        model: "events-2-spaced",
        stream: true,
        stream_options: { include_usage: true },
      })
    ).text();
    expect(text).toContain('"usage": {"prompt_tokens": 12');
    expect(text).not.toContain('"usage":{');
    checkStreamEvents("openai", parseSse(text), 2);
    const json = await (await post("/v1/messages", { model: "events-3-spaced" })).text();
    expect(json).toContain('"stop_reason": "end_turn"');
    checkJsonAnswer("anthropic", JSON.parse(json), 3);
  });

  test("Anthropic stream: the full event sequence in order", async () => {
    const response = await post("/v1/messages", { model: "events-3", stream: true });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(await response.text());
    expect(events.map((event) => event.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    checkStreamEvents("anthropic", events, 3);
  });

  test("Anthropic JSON has N words and usage", async () => {
    checkJsonAnswer("anthropic", await (await post("/v1/messages", { model: "events-4" })).json(), 4);
  });

  test("Responses JSON: a completed response object, one message item, usage, settings echoed", async () => {
    const response = await post("/v1/responses", {
      model: "events-6",
      instructions: "Be terse.",
      input: "Say ok.",
      max_output_tokens: 64,
      temperature: 0,
    });
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = (await response.json()) as Record<string, unknown>;
    checkJsonAnswer("responses", body, 6);
    expect(body).toMatchObject({
      object: "response",
      status: "completed",
      model: "events-6",
      instructions: "Be terse.",
      max_output_tokens: 64,
      temperature: 0,
      output: [
        {
          type: "message",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "ok ok ok ok ok ok", annotations: [] }],
        },
      ],
      usage: { input_tokens: 12, output_tokens: 6, total_tokens: 18 },
    });
  });

  test("Responses stream: the typed event grammar, numbered from 0, usage in response.completed", async () => {
    const response = await post("/v1/responses", { model: "events-3", input: "Say ok.", stream: true });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const text = await response.text();
    expect(text.startsWith("event: response.created\ndata: {")).toBe(true);
    expect(text).not.toContain("[DONE]");
    const events = parseSse(text);
    expect(events.map((event) => event.event)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const data = events.map((event) => JSON.parse(event.data) as Record<string, unknown>);
    expect(data.map((entry) => entry.sequence_number)).toEqual(events.map((_, i) => i));
    expect(data.map((entry) => entry.type)).toEqual(events.map((event) => event.event));
    expect(data[0]).toMatchObject({ response: { status: "in_progress", output: [], usage: null } });
    expect(data[7]).toMatchObject({ text: "ok ok ok " });
    expect(data.at(-1)).toMatchObject({
      response: {
        status: "completed",
        output: [{ type: "message", content: [{ type: "output_text", text: "ok ok ok " }] }],
        usage: { input_tokens: 12, output_tokens: 3, total_tokens: 15 },
      },
    });
    checkStreamEvents("responses", events, 3);
  });

  test("Responses: spaced JSON and dripped events keep the same grammar", async () => {
    const spaced = await (await post("/v1/responses", { model: "events-2-spaced", stream: true })).text();
    expect(spaced).toContain('"sequence_number": 0}');
    checkStreamEvents("responses", parseSse(spaced), 2);
    const started = performance.now();
    const dripped = await (await post("/v1/responses", { model: "events-1-drip-20", stream: true })).text();
    // 8 more events after response.created, 20 ms apart.
    expect(performance.now() - started).toBeGreaterThan(140);
    checkStreamEvents("responses", parseSse(dripped), 1);
  });

  test("drip sends the first event at once and the rest one interval apart", async () => {
    const started = performance.now();
    const response = await post("/v1/messages", { model: "events-2-drip-100", stream: true });
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    await reader.read();
    expect(performance.now() - started).toBeLessThan(80);
    let text = "";
    const decoder = new TextDecoder();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += decoder.decode(chunk.value);
    // 7 more events after message_start, 100 ms apart.
    expect(performance.now() - started).toBeGreaterThan(650);
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });

  test("a body that is not JSON gets 400, an unknown path 404", async () => {
    expect((await fetch(`${mock.baseUrl}/v1/messages`, { method: "POST", body: "{" })).status).toBe(400);
    expect((await post("/v1/embeddings", {})).status).toBe(404);
  });
});
