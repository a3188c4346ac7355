import type { ProviderCodec } from "../../ir/codec.ts";
import type { StreamDeframer } from "../../ir/stream-deframer.ts";
import type { StreamObservation, StreamTransform } from "../../ir/stream-transform.ts";
import { encodeSSE } from "../../sse/encoder.ts";
import type { SSEEvent } from "../../sse/parser.ts";
import { SentTail } from "../../sse/sent-tail.ts";
import { skipBlanks } from "../has-json-member.ts";
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
  private readonly sent = new SentTail();
  private responseId: string | null = null;
  /** The highest `sequence_number` seen (the failure events are numbered after it); -1: none. */
  private lastSequence = -1;

  constructor(
    private readonly parser: StreamDeframer,
    codec: ProviderCodec,
    readonly observation: StreamObservation,
  ) {
    this.decoder = codec.createStreamDecoder();
  }

  chunk(bytes: Uint8Array): Uint8Array {
    for (const event of this.parser.skim(bytes, this.mayMatter)) this.observe(event);
    this.sent.push(bytes);
    return bytes;
  }

  /**
   * The events `observe` acts on, judged on their raw text (docs/performance.md): the first
   * `response.created`, the terminal events and `error`. Every event's sequence number is read
   * here, without building the event; one this cannot read (a line break inside the member: a
   * multi-line `data`) is built, and `observe` reads it.
   */
  private readonly mayMatter = (raw: string): boolean => {
    const sequence = readSequenceNumber(raw);
    if (sequence === UNREADABLE) return true;
    if (sequence > this.lastSequence) this.lastSequence = sequence;
    return (
      (this.responseId === null && raw.includes("response.created")) ||
      raw.includes("response.completed") ||
      raw.includes("response.incomplete") ||
      raw.includes("response.failed") ||
      raw.includes("error")
    );
  };

  private observe(event: SSEEvent): void {
    const sequence = Number(/"sequence_number"\s*:\s*(\d+)/.exec(event.data)?.[1] ?? -1);
    if (sequence > this.lastSequence) this.lastSequence = sequence;
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
    const sequence = this.lastSequence + 1;
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
    return (this.sent.endsWithBlankLine ? "" : "\n\n") + error + failed;
  }
}

/** The `type` of an event sent without an `event:` line (older streams), read off its start. */
function typeOfData(data: string): string | undefined {
  return /^\{\s*"type"\s*:\s*"([^"]+)"/.exec(data)?.[1];
}

const SEQUENCE_KEY = '"sequence_number"';
const UNREADABLE = -2;

/**
 * The first `"sequence_number": <digits>` of an event's raw text, any spacing on the line (Python
 * servers write `"sequence_number": 7`); -1 when there is none. UNREADABLE (the event is then
 * built, and `observe` reads its data) when the first one is not on a `data:` line (a comment, an
 * `id:` line) or anything but digits follows the key on its line.
 */
export function readSequenceNumber(raw: string): number {
  const at = raw.indexOf(SEQUENCE_KEY);
  if (at < 0) return -1;
  if (!raw.startsWith("data:", raw.lastIndexOf("\n", at) + 1)) return UNREADABLE;
  let i = skipBlanks(raw, at + SEQUENCE_KEY.length);
  if (raw.charCodeAt(i) !== 58) return UNREADABLE;
  i = skipBlanks(raw, i + 1);
  let value = 0;
  const first = i;
  for (let c = raw.charCodeAt(i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) value = value * 10 + (c - 48);
  if (i === first) return UNREADABLE;
  // Past 15 digits the sum rounds differently from Number(), which `observe` uses.
  return i - first > 15 ? Number(raw.slice(first, i)) : value;
}
