import type { SSEEvent } from "../sse/parser.ts";

/** One event of a provider stream, whatever its framing: SSE's `event`/`data`, or an AWS frame's. */
export type WireEvent = SSEEvent;

/**
 * Whether an event, as its raw text (an SSE event's lines as sent, its blank line included), may
 * be one an observer needs. A hint: `false` only when it certainly is not; a deframer may build
 * an event the filter rejects, so the observer still checks each event it gets.
 */
export type EventFilter = (raw: string) => boolean;

/**
 * Splits a provider's response stream into events (the stream decoders' input). Bytes arrive in
 * arbitrary pieces: an event (or binary frame) split across reads is kept until it is whole.
 * A deframer is used with `push` or with `skim`, not both.
 */
export interface StreamDeframer {
  push(bytes: Uint8Array): WireEvent[];
  /**
   * `push` for an observer that needs few of the events (the same-protocol pass-through, which
   * forwards the bytes as they are): events `mayMatter` rejects may be skipped without being
   * built, which spares the strings and objects of every text delta (docs/performance.md).
   */
  skim(bytes: Uint8Array, mayMatter: EventFilter): WireEvent[];
  /**
   * End of stream: the events still pending. A frame cut short is dropped; the stream decoder then
   * reports a stream that ended before it finished.
   */
  end(): WireEvent[];
}
