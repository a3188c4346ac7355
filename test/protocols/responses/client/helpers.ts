import { expect } from "bun:test";
import OpenAI from "openai";
import type {
  ResponseCreateParamsNonStreaming,
  Response as SDKResponse,
} from "openai/resources/responses/responses";
import type { RequestOrigin } from "../../../../src/ir/codec.ts";
import type { IRResponse, IRStreamEvent } from "../../../../src/ir/types.ts";
import { responsesClientCodec } from "../../../../src/protocols/responses/codec.ts";
import { SSEParser } from "../../../../src/sse/parser.ts";
import { readFixture } from "../../../support/fixtures.ts";

export type Json = Record<string, unknown>;

export const readResponsesJson = (name: string): Json => JSON.parse(readFixture(`openai-responses/${name}`));

/** What the pipeline hands the encoders: the decoded request and the client's body. */
export function originOf(body: ResponseCreateParamsNonStreaming | Json): RequestOrigin {
  const json = body as Json;
  return { request: responsesClientCodec.decodeRequest(json), body: json };
}

/** IR events → the client's SSE text, through the real encoder, as the pipeline drives it. */
export function encodeEvents(
  events: IRStreamEvent[],
  origin?: RequestOrigin,
  model = "client-model",
): string {
  const encoder = responsesClientCodec.createStreamEncoder({
    requestedModel: model,
    includeUsage: true,
    inputTokenEstimate: 7,
    origin,
  });
  let out = "";
  for (const event of events) out += encoder.push(event);
  return out + encoder.end();
}

export interface WireEvent {
  event: string;
  data: Json;
}

/** SSE text → events, through the project's parser. */
export function parseEvents(text: string): WireEvent[] {
  const parser = new SSEParser();
  return [...parser.push(text), ...parser.end(true)].map((e) => ({
    event: e.event,
    data: JSON.parse(e.data),
  }));
}

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed"]);

/** Concatenated delta and the `.done` field it must equal, per event family. */
const ACCUMULATED: Record<string, { delta: string; done: string; field: string; index?: string }> = {
  "response.output_text.delta": { delta: "delta", done: "response.output_text.done", field: "text" },
  "response.function_call_arguments.delta": {
    delta: "delta",
    done: "response.function_call_arguments.done",
    field: "arguments",
  },
  "response.custom_tool_call_input.delta": {
    delta: "delta",
    done: "response.custom_tool_call_input.done",
    field: "input",
  },
  "response.reasoning_summary_text.delta": {
    delta: "delta",
    done: "response.reasoning_summary_text.done",
    field: "text",
  },
};

/**
 * The rules every recorded OpenAI stream follows (EVENTS.md §1–2): `event:` equals data.type;
 * sequence_number 0, 1, 2, … on every event; created then in_progress first; exactly one
 * terminal event, last; items added in output_index order 0, 1, 2 and each done before the
 * next is added; sub-events carry the open item's id and index; deltas add up to their `.done`;
 * the terminal response lists the done items. Returns the terminal response object.
 */
export function expectGrammar(events: WireEvent[]): Json {
  events.forEach(({ event, data }, i) => {
    expect(data.type).toBe(event);
    expect(data.sequence_number).toBe(i);
  });
  expect(events[0]?.event).toBe("response.created");
  expect(events[1]?.event).toBe("response.in_progress");
  expect(events.filter(({ event }) => TERMINAL.has(event)).length).toBe(1);
  const terminal = events.at(-1)!;
  expect(TERMINAL.has(terminal.event)).toBe(true);

  const done: Json[] = [];
  let open: Json | null = null;
  const sums = new Map<string, string>();
  for (const { event, data } of events.slice(2, -1)) {
    if (event === "response.output_item.added") {
      expect(open).toBeNull();
      expect(data.output_index).toBe(done.length);
      open = data.item as Json;
      continue;
    }
    if (event === "error") continue;
    expect(open).not.toBeNull();
    if (event === "response.output_item.done") {
      expect(data.output_index).toBe(done.length);
      expect((data.item as Json).id).toBe(open?.id);
      done.push(data.item as Json);
      open = null;
      continue;
    }
    expect(data.item_id).toBe(open?.id);
    expect(data.output_index).toBe(done.length);
    const family = ACCUMULATED[event];
    const key = `${data.item_id}/${data.content_index ?? data.summary_index ?? ""}`;
    if (family) sums.set(`${family.done}:${key}`, (sums.get(`${family.done}:${key}`) ?? "") + data.delta);
    const doneOf = Object.values(ACCUMULATED).find((f) => f.done === event);
    if (doneOf) expect(data[doneOf.field]).toBe(sums.get(`${event}:${key}`) ?? "");
  }
  const response = terminal.data.response as Json;
  if (terminal.event !== "response.failed") {
    expect(open).toBeNull();
    expect(response.output).toEqual(done);
  }
  return response;
}

/**
 * The official SDK's own reading of the stream: `client.responses.stream()` against a fetch that
 * answers with the SSE text, then `finalResponse()` (which validates every event against the
 * snapshot it accumulates).
 */
export async function sdkFinalResponse(sse: string): Promise<SDKResponse> {
  const client = sdkAnswering(new Response(sse, { headers: { "content-type": "text/event-stream" } }));
  return client.responses.stream({ model: "client-model", input: "hi" }).finalResponse();
}

/** The official SDK reading a JSON answer (`responses.create`, which adds `output_text`). */
export async function sdkCreate(json: Json): Promise<SDKResponse> {
  const client = sdkAnswering(Response.json(json));
  return client.responses.create({ model: "client-model", input: "hi" });
}

function sdkAnswering(response: Response): OpenAI {
  return new OpenAI({
    apiKey: "test",
    baseURL: "http://gateway.invalid/v1",
    maxRetries: 0,
    fetch: async () => response,
  });
}

/**
 * The stream an upstream would send for `response`: message_start, each part as deltas (text split
 * in two so items see more than one delta), the finish, then the usage (as OpenAI upstreams send
 * it, after the finish).
 */
export function eventsOf(response: IRResponse): IRStreamEvent[] {
  const events: IRStreamEvent[] = [{ type: "message_start", id: response.id, model: response.model }];
  const halves = (text: string) => [
    text.slice(0, Math.ceil(text.length / 2)),
    text.slice(Math.ceil(text.length / 2)),
  ];
  let toolIndex = 0;
  for (const part of response.parts) {
    if (part.type === "text") for (const text of halves(part.text)) events.push({ type: "text_delta", text });
    else if (part.type === "reasoning") {
      if (part.redacted) {
        events.push({ type: "redacted_reasoning", data: part.data ?? "" });
        continue;
      }
      for (const text of halves(part.text)) events.push({ type: "reasoning_delta", text });
      if (part.signature) events.push({ type: "reasoning_signature", signature: part.signature });
    } else if (part.type === "tool_call") {
      const index = toolIndex++;
      events.push({ type: "tool_call_start", toolIndex: index, id: part.id, name: part.name });
      for (const argumentsDelta of halves(part.arguments))
        events.push({ type: "tool_call_delta", toolIndex: index, argumentsDelta });
    }
  }
  events.push({ type: "finish", reason: response.stopReason }, { type: "usage", usage: response.usage });
  return events;
}

const idPrefix = (id: unknown) => String(id).slice(0, String(id).indexOf("_") + 1);

/** A response object with ids reduced to their prefix and clocks to 0, for comparing two runs. */
export function withoutIds(response: Json): Json {
  return {
    ...response,
    id: idPrefix(response.id),
    created_at: 0,
    completed_at: response.completed_at === null ? null : 0,
    output: (response.output as Json[]).map((item) => ({ ...item, id: idPrefix(item.id) })),
  };
}
