/**
 * Checks one answer before a target is measured: a benchmark of a gateway that answers errors
 * quickly measures nothing. The answer must be in the client's protocol, carry usage, and a
 * stream must hold every content delta and end properly.
 */
import { type SSEEvent, SSEParser } from "../../src/sse/parser.ts";
import type { BenchPath, Load, Protocol } from "./paths.ts";
import type { HttpCall } from "./wrk.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word === "ok").length;
}

/** Text and usage of a JSON answer; throws naming what is missing. */
export function checkJsonAnswer(protocol: Protocol, body: unknown, words: number): void {
  if (!isRecord(body)) throw new Error("answer is not a JSON object");
  let text = "";
  let hasUsage = false;
  if (protocol === "openai") {
    const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
    const message = isRecord(choice) ? choice.message : undefined;
    text = isRecord(message) && typeof message.content === "string" ? message.content : "";
    hasUsage = isRecord(body.usage) && typeof body.usage.prompt_tokens === "number";
  } else if (protocol === "responses") {
    if (body.object !== "response") throw new Error(`not a Responses object: object ${String(body.object)}`);
    if (body.status !== "completed") throw new Error(`response status ${String(body.status)}`);
    text = responsesOutputText(body.output);
    hasUsage =
      isRecord(body.usage) &&
      typeof body.usage.input_tokens === "number" &&
      typeof body.usage.output_tokens === "number";
  } else {
    const block = Array.isArray(body.content) ? body.content[0] : undefined;
    text = isRecord(block) && typeof block.text === "string" ? block.text : "";
    hasUsage = isRecord(body.usage) && typeof body.usage.input_tokens === "number";
  }
  if (countWords(text) !== words)
    throw new Error(`expected ${words} words, got ${JSON.stringify(text.slice(0, 80))}`);
  if (!hasUsage) throw new Error("answer has no usage");
}

/** The text of a Responses `output`'s message items (their `output_text` parts), in order. */
function responsesOutputText(output: unknown): string {
  if (!Array.isArray(output)) throw new Error("response has no output array");
  let text = "";
  for (const item of output) {
    if (!isRecord(item) || item.type !== "message" || !Array.isArray(item.content)) continue;
    for (const part of item.content)
      if (isRecord(part) && part.type === "output_text" && typeof part.text === "string") text += part.text;
  }
  return text;
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/**
 * A Responses stream: typed events (`event:` line matching the data's `type`), `sequence_number`
 * 0, 1, 2, … on every event, text in output_text.delta, and response.completed with usage last.
 */
function checkResponsesEvents(events: SSEEvent[], deltas: number): void {
  let text = "";
  let hasUsage = false;
  let ended = false;
  events.forEach((event, index) => {
    const data = parseJson(event.data);
    if (!isRecord(data)) throw new Error(`event ${index} is not a JSON object: ${event.data.slice(0, 80)}`);
    if (data.type === "error" || data.type === "response.failed")
      throw new Error(`stream carried an error: ${event.data.slice(0, 200)}`);
    if (event.event !== data.type)
      throw new Error(`event ${index}: event line ${event.event}, type ${String(data.type)}`);
    if (data.sequence_number !== index)
      throw new Error(`event ${index} (${event.event}) has sequence_number ${String(data.sequence_number)}`);
    if (ended) throw new Error(`${event.event} after response.completed`);
    if (data.type === "response.output_text.delta" && typeof data.delta === "string") text += data.delta;
    if (data.type === "response.completed") {
      ended = true;
      const response = isRecord(data.response) ? data.response : undefined;
      hasUsage = isRecord(response?.usage) && typeof response.usage.output_tokens === "number";
    }
  });
  if (countWords(text) !== deltas)
    throw new Error(`expected ${deltas} deltas of text, got ${countWords(text)}`);
  if (!ended) throw new Error("stream did not end with response.completed");
  if (!hasUsage) throw new Error("stream has no usage");
}

/** Delta text, usage and a proper end in a stream's events; throws naming what is wrong. */
export function checkStreamEvents(protocol: Protocol, events: SSEEvent[], deltas: number): void {
  if (protocol === "responses") {
    checkResponsesEvents(events, deltas);
    return;
  }
  let text = "";
  let hasUsage = false;
  let ended = false;
  for (const event of events) {
    if (protocol === "openai") {
      if (event.data === "[DONE]") {
        ended = true;
        continue;
      }
      const chunk = parseJson(event.data);
      if (!isRecord(chunk)) continue;
      if (isRecord(chunk.error)) throw new Error(`stream carried an error: ${event.data.slice(0, 200)}`);
      if (isRecord(chunk.usage) && typeof chunk.usage.completion_tokens === "number") hasUsage = true;
      const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
      const delta = isRecord(choice) ? choice.delta : undefined;
      if (isRecord(delta) && typeof delta.content === "string") text += delta.content;
    } else {
      const data = parseJson(event.data);
      if (!isRecord(data)) continue;
      if (data.type === "error") throw new Error(`stream carried an error: ${event.data.slice(0, 200)}`);
      if (data.type === "message_stop") ended = true;
      if (data.type === "message_delta" && isRecord(data.usage)) hasUsage = true;
      const delta = data.type === "content_block_delta" ? data.delta : undefined;
      if (isRecord(delta) && typeof delta.text === "string") text += delta.text;
    }
  }
  if (countWords(text) !== deltas)
    throw new Error(`expected ${deltas} deltas of text, got ${countWords(text)}`);
  if (!hasUsage) throw new Error("stream has no usage");
  if (!ended) throw new Error("stream did not end with its protocol's final event");
}

/** One request on `call`, checked as the client of `path` would see it. */
export async function verifyCall(
  call: HttpCall,
  path: BenchPath,
  load: Load,
  upstreamDirect: boolean,
): Promise<void> {
  const protocol = upstreamDirect ? path.upstream : path.client;
  const response = await fetch(call.url, { method: "POST", headers: call.headers, body: call.body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`status ${response.status}: ${text.slice(0, 300)}`);
  if (!load.stream) {
    checkJsonAnswer(protocol, parseJson(text), load.events);
    return;
  }
  const parser = new SSEParser();
  const events = [...parser.push(text), ...parser.end()];
  checkStreamEvents(protocol, events, load.events);
}
