import { describe, expect, test } from "bun:test";
import { checkJsonAnswer, checkStreamEvents } from "../../bench/lib/verify-response.ts";
import type { SSEEvent } from "../../src/sse/parser.ts";

const data = (value: unknown, event = "message"): SSEEvent => ({ event, data: JSON.stringify(value) });

describe("checkStreamEvents", () => {
  test("an OpenAI stream without [DONE] is not a finished stream", () => {
    const events = [
      data({ choices: [{ delta: { content: "ok " } }] }),
      data({ choices: [], usage: { completion_tokens: 1 } }),
    ];
    expect(() => checkStreamEvents("openai", events, 1)).toThrow("did not end");
    expect(() =>
      checkStreamEvents("openai", [...events, { event: "message", data: "[DONE]" }], 1),
    ).not.toThrow();
  });

  test("an error event mid-stream fails the check", () => {
    const events = [data({ error: { message: "upstream died" } }), { event: "message", data: "[DONE]" }];
    expect(() => checkStreamEvents("openai", events, 0)).toThrow("upstream died");
    expect(() => checkStreamEvents("anthropic", [data({ type: "error", error: {} }, "error")], 0)).toThrow(
      "error",
    );
  });

  test("missing deltas are counted", () => {
    const events = [
      data({ type: "content_block_delta", delta: { type: "text_delta", text: "ok " } }),
      data({ type: "message_delta", usage: { output_tokens: 2 } }),
      data({ type: "message_stop" }),
    ];
    expect(() => checkStreamEvents("anthropic", events, 2)).toThrow("expected 2 deltas of text, got 1");
  });
});

describe("checkJsonAnswer", () => {
  test("needs usage in the client's protocol", () => {
    const openai = { choices: [{ message: { content: "ok ok" } }], usage: { prompt_tokens: 1 } };
    expect(() => checkJsonAnswer("openai", openai, 2)).not.toThrow();
    expect(() => checkJsonAnswer("anthropic", openai, 2)).toThrow();
    expect(() => checkJsonAnswer("openai", { ...openai, usage: undefined }, 2)).toThrow("no usage");
  });
});

describe("Responses answers", () => {
  const typed = (type: string, body: Record<string, unknown>, sequence: number): SSEEvent => ({
    event: type,
    data: JSON.stringify({ type, ...body, sequence_number: sequence }),
  });
  const completed = (usage: unknown = { input_tokens: 1, output_tokens: 2 }) => ({
    response: { object: "response", status: "completed", usage },
  });
  const stream = () => [
    typed("response.created", { response: { status: "in_progress" } }, 0),
    typed("response.output_text.delta", { delta: "ok " }, 1),
    typed("response.output_text.delta", { delta: "ok" }, 2),
    typed("response.completed", completed(), 3),
  ];

  test("a stream passes with its deltas, numbered events and response.completed with usage last", () => {
    expect(() => checkStreamEvents("responses", stream(), 2)).not.toThrow();
    expect(() => checkStreamEvents("responses", stream(), 3)).toThrow("expected 3 deltas");
  });

  test("a stream fails without response.completed, without usage, or with anything after it", () => {
    expect(() => checkStreamEvents("responses", stream().slice(0, 3), 2)).toThrow("response.completed");
    const noUsage = [...stream().slice(0, 3), typed("response.completed", completed(null), 3)];
    expect(() => checkStreamEvents("responses", noUsage, 2)).toThrow("no usage");
    const after = [...stream(), typed("response.output_text.delta", { delta: "" }, 4)];
    expect(() => checkStreamEvents("responses", after, 2)).toThrow("after response.completed");
  });

  test("a stream fails on an error event, a gap in sequence_number or an event line that disagrees", () => {
    const failed = [
      ...stream().slice(0, 2),
      typed("error", { message: "upstream died" }, 2),
      typed("response.failed", {}, 3),
    ];
    expect(() => checkStreamEvents("responses", failed, 1)).toThrow("upstream died");
    const gap = stream();
    gap[2] = typed("response.output_text.delta", { delta: "ok" }, 5);
    expect(() => checkStreamEvents("responses", gap, 2)).toThrow("sequence_number 5");
    const untyped = stream().map((event) => ({ ...event, event: "message" }));
    expect(() => checkStreamEvents("responses", untyped, 2)).toThrow("event line message");
  });

  test("JSON: a completed response object with output_text and usage", () => {
    const body = {
      object: "response",
      status: "completed",
      output: [
        { type: "reasoning", summary: [] },
        { type: "message", content: [{ type: "output_text", text: "ok ok", annotations: [] }] },
      ],
      usage: { input_tokens: 12, output_tokens: 2 },
    };
    expect(() => checkJsonAnswer("responses", body, 2)).not.toThrow();
    expect(() => checkJsonAnswer("responses", { ...body, object: "chat.completion" }, 2)).toThrow(
      "not a Responses object",
    );
    expect(() => checkJsonAnswer("responses", { ...body, status: "incomplete" }, 2)).toThrow("incomplete");
    expect(() => checkJsonAnswer("responses", { ...body, usage: null }, 2)).toThrow("no usage");
    expect(() => checkJsonAnswer("openai", body, 2)).toThrow();
  });
});
