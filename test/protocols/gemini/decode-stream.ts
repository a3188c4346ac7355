import type { IRStreamEvent } from "../../../src/ir/types.ts";
import { GeminiStreamDecoder } from "../../../src/protocols/gemini/gemini-stream-decoder.ts";
import { SSEParser } from "../../../src/sse/parser.ts";

/** SSE text → IR events through the real parser and decoder, fed in chunks of `chunkSize` bytes. */
export function decodeGeminiSSE(text: string, nextId: () => string, chunkSize = 0): IRStreamEvent[] {
  const parser = new SSEParser();
  const decoder = new GeminiStreamDecoder(nextId);
  const bytes = new TextEncoder().encode(text);
  const events: IRStreamEvent[] = [];
  const step = chunkSize > 0 ? chunkSize : Math.max(bytes.length, 1);
  for (let i = 0; i < bytes.length; i += step) {
    for (const ev of parser.push(bytes.subarray(i, i + step))) events.push(...decoder.push(ev));
  }
  for (const ev of parser.end()) events.push(...decoder.push(ev));
  events.push(...decoder.end());
  return events;
}
