import type { StreamDeframer, WireEvent } from "../ir/stream-deframer.ts";
import { SSEParser } from "./parser.ts";

/** The SSE framing of a provider stream: the one SSE parser behind the deframer interface. */
export class SSEDeframer implements StreamDeframer {
  private readonly parser = new SSEParser();

  push(bytes: Uint8Array): WireEvent[] {
    return this.parser.push(bytes);
  }

  /** A last event without its blank line is dispatched, as the official SDKs do. */
  end(): WireEvent[] {
    return this.parser.end(true);
  }
}
