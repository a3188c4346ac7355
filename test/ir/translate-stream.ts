import type { ClientCodec, ProviderCodec } from "../../src/ir/codec.ts";
import type { IRStreamEvent } from "../../src/ir/types.ts";
import { SSEParser } from "../../src/sse/parser.ts";

import { fixturesDir } from "../support/fixtures.ts";

/** The recorded fixtures folder, without the trailing slash. */
export const FIXTURES = fixturesDir().replace(/\/$/, "");

export interface ParsedEvent {
  event: string;
  data: unknown;
}

/** Parses SSE text with the project's parser; JSON data parsed, `[DONE]` kept as the string. */
export function parseSSE(text: string): ParsedEvent[] {
  const parser = new SSEParser();
  return [...parser.push(text), ...parser.end()].map((e) => ({
    event: e.event,
    data: e.data === "[DONE]" ? "[DONE]" : JSON.parse(e.data),
  }));
}

/** Upstream SSE text → provider decoder → IR events. */
export function decodeStream(provider: ProviderCodec, sse: string | string[]): IRStreamEvent[] {
  const parser = new SSEParser();
  const decoder = provider.createStreamDecoder();
  const out: IRStreamEvent[] = [];
  for (const chunk of Array.isArray(sse) ? sse : [sse])
    for (const e of parser.push(chunk)) out.push(...decoder.push(e));
  for (const e of parser.end()) out.push(...decoder.push(e));
  out.push(...decoder.end());
  return out;
}

/** IR events → client encoder → SSE text, exactly as the pipeline drives it. */
export function encodeStream(
  client: ClientCodec,
  events: IRStreamEvent[],
  options: { requestedModel?: string; includeUsage?: boolean; inputTokenEstimate?: number } = {},
): string {
  const encoder = client.createStreamEncoder({
    requestedModel: options.requestedModel ?? "client-model",
    includeUsage: options.includeUsage ?? true,
    inputTokenEstimate: options.inputTokenEstimate ?? 11,
  });
  let out = "";
  for (const e of events) out += encoder.push(e);
  return out + encoder.end();
}

/** Upstream SSE → what the client sees, parsed. */
export function translateStream(
  provider: ProviderCodec,
  client: ClientCodec,
  sse: string | string[],
  options: { requestedModel?: string; includeUsage?: boolean; inputTokenEstimate?: number } = {},
): ParsedEvent[] {
  return parseSSE(encodeStream(client, decodeStream(provider, sse), options));
}

/** Anthropic events reduced to what matters for comparison (names + block/delta content). */
export function summarizeAnthropic(events: ParsedEvent[]): unknown[] {
  return events.map(({ event, data }) => {
    const d = data as Record<string, unknown>;
    switch (event) {
      case "message_start": {
        const m = d.message as Record<string, unknown>;
        return ["message_start", m.model, m.usage];
      }
      case "content_block_start":
        return ["block_start", d.index, d.content_block];
      case "content_block_delta":
        return ["delta", d.index, d.delta];
      case "content_block_stop":
        return ["block_stop", d.index];
      case "message_delta":
        return ["message_delta", d.delta, d.usage];
      default:
        return [event, d];
    }
  });
}

/** OpenAI chunks reduced to [delta, finish_reason] or ["usage", usage] or "[DONE]". */
export function summarizeOpenAI(events: ParsedEvent[]): unknown[] {
  return events.map(({ data }) => {
    if (data === "[DONE]") return "[DONE]";
    const d = data as Record<string, unknown>;
    if (d.error) return ["error", d.error];
    const choices = d.choices as Array<Record<string, unknown>>;
    if (choices.length === 0) return ["usage", d.usage];
    return [choices[0]?.delta, choices[0]?.finish_reason];
  });
}
