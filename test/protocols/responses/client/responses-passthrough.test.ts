import { describe, expect, test } from "bun:test";
import { StreamObservation } from "../../../../src/ir/stream-transform.ts";
import { responsesProviderCodec } from "../../../../src/protocols/responses/provider-codec.ts";
import { toResponsesErrorCode } from "../../../../src/protocols/responses/responses-error-event.ts";
import { ResponsesPassthrough } from "../../../../src/protocols/responses/responses-passthrough.ts";
import { SSEParser } from "../../../../src/sse/parser.ts";
import { SSEDeframer } from "../../../../src/sse/sse-deframer.ts";
import { readFixture } from "../../../support/fixtures.ts";
import { responsesEvents } from "../../../support/wire-builders.ts";

const encoder = new TextEncoder();

function relay(chunks: string[], failWith?: string) {
  const observation = new StreamObservation();
  const transform = new ResponsesPassthrough(new SSEDeframer(), responsesProviderCodec, observation);
  let out = "";
  for (const chunk of chunks)
    out += new TextDecoder().decode(transform.chunk(encoder.encode(chunk)) as Uint8Array);
  out += failWith ? transform.fail(failWith, "api_error") : transform.end();
  const parser = new SSEParser();
  const events = [...parser.push(out), ...parser.end(true)];
  return { out, observation, events };
}

describe("ResponsesPassthrough", () => {
  test("a whole stream: bytes untouched, usage and finish observed from the terminal event", () => {
    const chunks = responsesEvents({
      pieces: ["a", "b"],
      usage: { input_tokens: 9, output_tokens: 2, cached_tokens: 4 },
    });
    const { out, observation } = relay(chunks);
    expect(out).toBe(chunks.join(""));
    expect(observation.usage).toEqual({
      inputTokens: 5,
      outputTokens: 2,
      cacheReadTokens: 4,
      reasoningTokens: 0,
    });
    expect(observation.stopReason).toBe("end_turn");
  });

  test("a recorded stream without a final blank line is still complete: nothing appended", () => {
    const text = readFixture("openai-responses/gomodel-text-gpt-4o-mini-stream.txt");
    expect(relay([text]).out).toBe(text);
  });

  test("the upstream fails mid-way: error then response.failed, numbered after the last event, with OpenAI's code", () => {
    const chunks = responsesEvents({ id: "resp_x", pieces: ["a", "b"] }).slice(0, 4);
    const { events } = relay(chunks, "connection reset");
    const [error, failed] = events.slice(-2).map((e) => JSON.parse(e.data));
    expect(events.slice(-2).map((e) => e.event)).toEqual(["error", "response.failed"]);
    expect(error).toEqual({
      type: "error",
      sequence_number: 4,
      error: { type: "api_error", code: "server_error", message: "connection reset", param: null },
      code: "server_error",
      message: "connection reset",
      param: null,
    });
    expect(failed.sequence_number).toBe(5);
    expect(failed.response).toEqual({
      id: "resp_x",
      object: "response",
      status: "failed",
      error: { code: "server_error", message: "connection reset" },
      output: [],
    });
  });

  test("an upstream that closes before its terminal event is failed the same way", () => {
    const chunks = responsesEvents({ pieces: ["a"] }).slice(0, -1);
    const { events } = relay(chunks);
    expect(events.slice(-2).map((e) => e.event)).toEqual(["error", "response.failed"]);
  });
});

describe("toResponsesErrorCode", () => {
  test("rate limits are rate_limit_exceeded; error types are server_error; OpenAI codes stay", () => {
    expect(toResponsesErrorCode("rate_limit_error")).toBe("rate_limit_exceeded");
    expect(toResponsesErrorCode("rate_limit_exceeded")).toBe("rate_limit_exceeded");
    expect(toResponsesErrorCode("api_error")).toBe("server_error");
    expect(toResponsesErrorCode("overloaded_error")).toBe("server_error");
    expect(toResponsesErrorCode("server_error")).toBe("server_error");
    expect(toResponsesErrorCode("insufficient_quota")).toBe("insufficient_quota");
  });
});
