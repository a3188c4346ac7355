import type { ProviderCodec } from "../../ir/codec.ts";
import type { EventFilter, StreamDeframer } from "../../ir/stream-deframer.ts";
import type { StreamObservation, StreamTransform } from "../../ir/stream-transform.ts";
import { encodeSSE } from "../../sse/encoder.ts";
import type { SSEEvent } from "../../sse/parser.ts";
import { SentTail } from "../../sse/sent-tail.ts";
import { hasJsonMember, mayHaveJsonMember } from "../has-json-member.ts";

/** A chunk whose first member is `error` (the upstream's own error event), any spacing. */
const STARTS_WITH_ERROR = /^\s*\{\s*"error"\s*:/;

const OPEN_BRACE = 123;
const QUOTE = 34;

/**
 * The events `observe` may act on, judged on their raw text (docs/performance.md): `[DONE]`, an
 * error, a usage object, a finish reason that is a string. A content delta (`"usage":null`,
 * `"finish_reason":null`) is none of them and is forwarded without being built.
 */
const mayMatter: EventFilter = (raw) =>
  mayHaveJsonMember(raw, '"usage"', OPEN_BRACE) ||
  mayHaveJsonMember(raw, '"finish_reason"', QUOTE) ||
  raw.includes('"error"') ||
  raw.includes("[DONE]");

/** The error event of an OpenAI Chat Completions stream (data only, no [DONE] after it). */
export const openAIErrorEvent = (message: string, type: string): string =>
  encodeSSE(JSON.stringify({ error: { message, type, code: "upstream_stream_error", param: null } }));

/**
 * OpenAI client ← OpenAI-type provider. Bytes pass through untouched; events that can carry
 * usage or a finish reason are decoded on the side. When the gateway added
 * `stream_options.include_usage` itself, the usage-only chunk the client did not ask for is
 * dropped, which means re-framing events (their data stays byte-identical).
 */
export class OpenAIPassthrough implements StreamTransform {
  private readonly decoder;
  private sawDone = false;
  private sawFinish = false;
  private readonly sent = new SentTail();

  constructor(
    private readonly parser: StreamDeframer,
    codec: ProviderCodec,
    readonly observation: StreamObservation,
    private readonly dropUsageChunk: boolean,
  ) {
    this.decoder = codec.createStreamDecoder();
  }

  chunk(bytes: Uint8Array): Uint8Array | string | null {
    if (!this.dropUsageChunk) {
      for (const event of this.parser.skim(bytes, mayMatter)) this.observe(event);
      this.sent.push(bytes);
      return bytes;
    }
    // Re-framed: every event is built, since every one is written out again.
    let out = "";
    for (const event of this.parser.push(bytes)) {
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
    // Any JSON spacing: Python servers (vLLM, SGLang, LiteLLM) write `"usage": {`.
    const hasUsage = hasJsonMember(data, "usage", "{");
    const hasFinish = hasJsonMember(data, "finish_reason", '"');
    const hasError = STARTS_WITH_ERROR.test(data);
    if (!hasUsage && !hasFinish && !hasError) return false;
    if (hasFinish) this.sawFinish = true;
    for (const ir of this.decoder.push(event)) this.observation.observe(ir);
    if (hasError && !hasUsage) this.sawFinish = true; // the upstream ended the stream with its own error
    return hasUsage && /"choices"\s*:\s*\[\s*\]/.test(data);
  }

  end(): string {
    let out = "";
    for (const event of this.parser.end()) {
      const usageOnly = this.observe(event);
      // Re-framed streams send complete events only: flush the one the upstream left unterminated.
      if (this.dropUsageChunk && !usageOnly) out += encodeSSE(event.data);
    }
    if (this.sawDone || this.sawFinish) return out;
    return out + this.fail("The provider's stream ended before it finished.", "api_error");
  }

  fail(message: string, errorType: string): string {
    const separator = this.dropUsageChunk || this.sent.endsWithBlankLine ? "" : "\n\n";
    return separator + openAIErrorEvent(message, errorType);
  }
}
