import type { SSEEvent } from "../sse/parser.ts";

/** One event of a provider stream, whatever its framing: SSE's `event`/`data`, or an AWS frame's. */
export type WireEvent = SSEEvent;

/**
 * Splits a provider's response stream into events (the stream decoders' input). Bytes arrive in
 * arbitrary pieces: an event (or binary frame) split across reads is kept until it is whole.
 */
export interface StreamDeframer {
  push(bytes: Uint8Array): WireEvent[];
  /**
   * End of stream: the events still pending. A frame cut short is dropped; the stream decoder then
   * reports a stream that ended before it finished.
   */
  end(): WireEvent[];
}
