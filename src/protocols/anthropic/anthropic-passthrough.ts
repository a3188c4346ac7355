import type { ProviderCodec } from "../../ir/codec.ts";
import type { EventFilter, StreamDeframer } from "../../ir/stream-deframer.ts";
import type { StreamObservation, StreamTransform } from "../../ir/stream-transform.ts";
import { encodeSSE } from "../../sse/encoder.ts";
import type { SSEEvent } from "../../sse/parser.ts";
import { SentTail } from "../../sse/sent-tail.ts";

const anthropicErrorEvent = (message: string, type: string): string =>
  encodeSSE(JSON.stringify({ type: "error", error: { type, message } }), "error");

/**
 * The events `observe` acts on, judged on their raw text (docs/performance.md): `message_start`,
 * `message_delta`, `message_stop` and `error`. Content block events are forwarded without being
 * built (one whose text says "error" is built and then ignored).
 */
const mayMatter: EventFilter = (raw) =>
  raw.includes("event: message_") || raw.includes("event:message_") || raw.includes("error");

/**
 * Anthropic client ← Anthropic-type provider. Bytes pass through untouched; only
 * `message_start`, `message_delta`, `message_stop` and `error` are decoded on the side.
 */
export class AnthropicPassthrough implements StreamTransform {
  private readonly decoder;
  private sawStop = false;
  private readonly sent = new SentTail();

  constructor(
    private readonly parser: StreamDeframer,
    codec: ProviderCodec,
    readonly observation: StreamObservation,
  ) {
    this.decoder = codec.createStreamDecoder();
  }

  chunk(bytes: Uint8Array): Uint8Array {
    for (const event of this.parser.skim(bytes, mayMatter)) this.observe(event);
    this.sent.push(bytes);
    return bytes;
  }

  private observe(event: SSEEvent): void {
    switch (event.event) {
      case "message_stop":
        this.sawStop = true;
        return;
      case "message_start":
      case "message_delta":
        for (const ir of this.decoder.push(event)) this.observation.observe(ir);
        return;
      case "error":
        this.sawStop = true;
        for (const ir of this.decoder.push(event)) this.observation.observe(ir);
        return;
      default:
        return;
    }
  }

  end(): string {
    for (const event of this.parser.end()) this.observe(event);
    return this.sawStop ? "" : this.fail("The provider's stream ended before it finished.", "api_error");
  }

  fail(message: string, errorType: string): string {
    return (this.sent.endsWithBlankLine ? "" : "\n\n") + anthropicErrorEvent(message, errorType);
  }
}
