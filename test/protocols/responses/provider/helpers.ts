import type { EncodeContext } from "../../../../src/ir/codec.ts";
import type { IRRequest, IRStreamEvent } from "../../../../src/ir/types.ts";
import { ResponsesStreamDecoder } from "../../../../src/protocols/responses/responses-stream-decoder.ts";
import { SSEParser } from "../../../../src/sse/parser.ts";
import { readFixture } from "../../../support/fixtures.ts";

/** A recorded Responses fixture (test/fixtures/openai-responses/…). */
export const readResponsesFixture = (name: string): string => readFixture(`openai-responses/${name}`);

export const readResponsesJson = (name: string): unknown => JSON.parse(readResponsesFixture(name));

/**
 * SSE text → IR events through the real parser and decoder, fed in chunks of `chunkSize` bytes;
 * the parser ends as the pipeline ends it (a last event without its blank line still counts).
 */
export function decodeResponsesSSE(text: string, chunkSize = 0): IRStreamEvent[] {
  const parser = new SSEParser();
  const decoder = new ResponsesStreamDecoder();
  const bytes = new TextEncoder().encode(text);
  const events: IRStreamEvent[] = [];
  const step = chunkSize > 0 ? chunkSize : Math.max(bytes.length, 1);
  for (let i = 0; i < bytes.length; i += step)
    for (const e of parser.push(bytes.subarray(i, i + step))) events.push(...decoder.push(e));
  for (const e of parser.end(true)) events.push(...decoder.push(e));
  events.push(...decoder.end());
  return events;
}

/** Adjacent deltas of one kind merged, so assertions read as the client would assemble them. */
export function mergeDeltas(events: IRStreamEvent[]): IRStreamEvent[] {
  const out: IRStreamEvent[] = [];
  for (const event of events) {
    const last = out[out.length - 1];
    if (last?.type === "text_delta" && event.type === "text_delta") last.text += event.text;
    else if (last?.type === "reasoning_delta" && event.type === "reasoning_delta") last.text += event.text;
    else if (
      last?.type === "tool_call_delta" &&
      event.type === "tool_call_delta" &&
      last.toolIndex === event.toolIndex
    )
      last.argumentsDelta += event.argumentsDelta;
    else out.push({ ...event });
  }
  return out;
}

/** The data of every SSE event of a fixture whose JSON `type` is `type`. */
export function fixtureEvents(text: string, type: string): Record<string, unknown>[] {
  const parser = new SSEParser();
  return [...parser.push(text), ...parser.end(true)]
    .map((e) => JSON.parse(e.data) as Record<string, unknown>)
    .filter((d) => d.type === type);
}

export function makeRequest(overrides: Partial<IRRequest> = {}): IRRequest {
  return {
    model: "gpt-5.1-codex-max",
    system: [],
    messages: [{ role: "user", parts: [{ type: "text", text: "hi" }] }],
    stream: false,
    unknown: {},
    ...overrides,
  };
}

export function makeContext(strict = false): EncodeContext {
  return { providerName: "openai", strict, dropped: [], adjusted: [] };
}
