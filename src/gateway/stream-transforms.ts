import type { ProviderCodec, StreamEncoder } from "../ir/codec.ts";
import type { IRStopReason, IRStreamEvent, IRUsage } from "../ir/types.ts";
import { encodeSSE } from "../sse/encoder.ts";
import { type SSEEvent, SSEParser } from "../sse/parser.ts";
import type { StreamTransform } from "./relay-stream.ts";

/** What the gateway learns from a stream while relaying it. */
export class StreamObservation {
  usage: Partial<IRUsage> | null = null;
  stopReason: IRStopReason | null = null;
  /** The upstream sent its own error event in the stream. */
  upstreamError: string | null = null;

  observe(event: IRStreamEvent): void {
    if (event.type === "usage" || (event.type === "message_start" && event.usage)) {
      const usage = event.usage as Partial<IRUsage>;
      this.usage = this.usage ? { ...this.usage, ...usage } : { ...usage };
    } else if (event.type === "finish") {
      this.stopReason = event.reason;
    } else if (event.type === "error") {
      this.upstreamError = event.message;
    }
  }
}

/** Tracks whether the bytes sent so far end on an event boundary, so appended events stay separate. */
function endsWithBlankLine(bytes: Uint8Array, previous: boolean): boolean {
  const n = bytes.length;
  if (n === 0) return previous;
  if (n === 1) return bytes[0] === 10 && previous;
  return bytes[n - 1] === 10 && (bytes[n - 2] === 10 || bytes[n - 2] === 13);
}

const openAIErrorEvent = (message: string, type: string): string =>
  encodeSSE(JSON.stringify({ error: { message, type, code: "upstream_stream_error", param: null } }));

const anthropicErrorEvent = (message: string, type: string): string =>
  encodeSSE(JSON.stringify({ type: "error", error: { type, message } }), "error");

/**
 * OpenAI client ← OpenAI-type provider. Bytes pass through untouched; events that can carry
 * usage or a finish reason are decoded on the side. When the gateway added
 * `stream_options.include_usage` itself, the usage-only chunk the client did not ask for is
 * dropped, which means re-framing events (their data stays byte-identical).
 */
export class OpenAIPassthrough implements StreamTransform {
  private readonly parser = new SSEParser();
  private readonly decoder;
  private sawDone = false;
  private sawFinish = false;
  private atBoundary = true;

  constructor(
    codec: ProviderCodec,
    readonly observation: StreamObservation,
    private readonly dropUsageChunk: boolean,
  ) {
    this.decoder = codec.createStreamDecoder();
  }

  chunk(bytes: Uint8Array): Uint8Array | string | null {
    const events = this.parser.push(bytes);
    if (!this.dropUsageChunk) {
      for (const event of events) this.observe(event);
      this.atBoundary = endsWithBlankLine(bytes, this.atBoundary);
      return bytes;
    }
    let out = "";
    for (const event of events) {
      if (this.observe(event)) continue;
      out += encodeSSE(event.data, event.event === "message" ? undefined : event.event);
    }
    return out;
  }

  /** Returns true when the event is a usage-only chunk. */
  private observe(event: SSEEvent): boolean {
    const data = event.data;
    if (data === "[DONE]") {
      this.sawDone = true;
      return false;
    }
    const hasUsage = data.includes('"usage":{');
    const hasFinish = data.includes('"finish_reason":"');
    const hasError = data.startsWith('{"error"');
    if (!hasUsage && !hasFinish && !hasError) return false;
    if (hasFinish) this.sawFinish = true;
    for (const ir of this.decoder.push(event)) this.observation.observe(ir);
    if (hasError && !hasUsage) this.sawFinish = true; // the upstream ended the stream with its own error
    return hasUsage && /"choices":\s*\[\s*\]/.test(data);
  }

  end(): string {
    let out = "";
    for (const event of this.parser.end(true)) {
      const usageOnly = this.observe(event);
      // Re-framed streams send complete events only: flush the one the upstream left unterminated.
      if (this.dropUsageChunk && !usageOnly) out += encodeSSE(event.data);
    }
    if (this.sawDone || this.sawFinish) return out;
    return out + this.fail("The provider's stream ended before it finished.", "api_error");
  }

  fail(message: string, errorType: string): string {
    const separator = this.dropUsageChunk || this.atBoundary ? "" : "\n\n";
    return separator + openAIErrorEvent(message, errorType);
  }
}

/**
 * Anthropic client ← Anthropic-type provider. Bytes pass through untouched; only
 * `message_start`, `message_delta`, `message_stop` and `error` are decoded on the side.
 */
export class AnthropicPassthrough implements StreamTransform {
  private readonly parser = new SSEParser();
  private readonly decoder;
  private sawStop = false;
  private atBoundary = true;

  constructor(
    codec: ProviderCodec,
    readonly observation: StreamObservation,
  ) {
    this.decoder = codec.createStreamDecoder();
  }

  chunk(bytes: Uint8Array): Uint8Array {
    for (const event of this.parser.push(bytes)) this.observe(event);
    this.atBoundary = endsWithBlankLine(bytes, this.atBoundary);
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
    for (const event of this.parser.end(true)) this.observe(event);
    return this.sawStop ? "" : this.fail("The provider's stream ended before it finished.", "api_error");
  }

  fail(message: string, errorType: string): string {
    return (this.atBoundary ? "" : "\n\n") + anthropicErrorEvent(message, errorType);
  }
}

/** Any client ← a provider of the other protocol: SSE → provider decoder → IR → client encoder. */
export class TranslatingTransform implements StreamTransform {
  private readonly parser = new SSEParser();
  private readonly decoder;
  private sawFinish = false;
  private failed = false;

  constructor(
    codec: ProviderCodec,
    private readonly encoder: StreamEncoder,
    readonly observation: StreamObservation,
  ) {
    this.decoder = codec.createStreamDecoder();
  }

  chunk(bytes: Uint8Array): string {
    let out = "";
    for (const event of this.parser.push(bytes)) {
      for (const ir of this.decoder.push(event)) out += this.emit(ir);
    }
    return out;
  }

  private emit(event: IRStreamEvent): string {
    if (this.failed) return "";
    this.observation.observe(event);
    if (event.type === "finish") this.sawFinish = true;
    if (event.type === "error") this.failed = true;
    return this.encoder.push(event);
  }

  end(): string {
    let out = "";
    for (const event of this.parser.end(true)) {
      for (const ir of this.decoder.push(event)) out += this.emit(ir);
    }
    for (const ir of this.decoder.end()) out += this.emit(ir);
    if (this.failed) return out;
    if (!this.sawFinish) {
      return (
        out +
        this.emit({
          type: "error",
          errorType: "api_error",
          message: "The provider's stream ended before it finished.",
        })
      );
    }
    return out + this.encoder.end();
  }

  fail(message: string, errorType: string): string {
    if (this.failed) return "";
    return this.emit({ type: "error", errorType, message });
  }
}
