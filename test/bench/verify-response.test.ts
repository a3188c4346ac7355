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
