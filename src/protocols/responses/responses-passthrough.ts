import type { ProviderCodec } from "../../ir/codec.ts";
import type { StreamDeframer } from "../../ir/stream-deframer.ts";
import type { StreamObservation, StreamTransform } from "../../ir/stream-transform.ts";
import { encodeSSE } from "../../sse/encoder.ts";
import { endsWithBlankLine } from "../../sse/ends-with-blank-line.ts";
import type { SSEEvent } from "../../sse/parser.ts";
import { errorEventFields, toResponsesErrorCode } from "./responses-error-event.ts";

/** The events that end a Responses stream; only these (and `error`) are decoded on the side. */
const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);

/**
 * Responses client ← Responses upstream. Bytes pass through untouched; the terminal event (which
 * carries the usage) and `error` are decoded on the side. A stream cut short ends the way the
 * API itself fails one: an `error` event, then `response.failed`, numbered after the last event.
 */
export class ResponsesPassthrough implements StreamTransform {
  private readonly decoder;
  private sawEnd = false;
  private atBoundary = true;
  private responseId: string | null = null;
  private lastData = "";

  constructor(
    private readonly parser: StreamDeframer,
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
    this.lastData = event.data;
    const type = event.event !== "message" ? event.event : typeOfData(event.data);
    if (type === "response.created" && this.responseId === null) {
      this.responseId = /"id"\s*:\s*"([^"]+)"/.exec(event.data)?.[1] ?? null;
      for (const ir of this.decoder.push(event)) this.observation.observe(ir);
      return;
    }
    if (!type || !TERMINAL.has(type)) return;
    this.sawEnd = true;
    for (const ir of this.decoder.push(event)) this.observation.observe(ir);
  }

  end(): string {
    for (const event of this.parser.end()) this.observe(event);
    return this.sawEnd ? "" : this.fail("The provider's stream ended before it finished.", "api_error");
  }

  fail(message: string, errorType: string): string {
    // Any JSON spacing (Python servers write `"sequence_number": 7`).
    const sequence = Number(/"sequence_number"\s*:\s*(\d+)/.exec(this.lastData)?.[1] ?? -1) + 1;
    const error = encodeSSE(
      JSON.stringify({ type: "error", sequence_number: sequence, ...errorEventFields(errorType, message) }),
      "error",
    );
    const failed = encodeSSE(
      JSON.stringify({
        type: "response.failed",
        sequence_number: sequence + 1,
        response: {
          id: this.responseId,
          object: "response",
          status: "failed",
          error: { code: toResponsesErrorCode(errorType), message },
          output: [],
        },
      }),
      "response.failed",
    );
    this.sawEnd = true;
    return (this.atBoundary ? "" : "\n\n") + error + failed;
  }
}

/** The `type` of an event sent without an `event:` line (older streams), read off its start. */
function typeOfData(data: string): string | undefined {
  return /^\{\s*"type"\s*:\s*"([^"]+)"/.exec(data)?.[1];
}
