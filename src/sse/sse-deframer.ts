import type { EventFilter, StreamDeframer, WireEvent } from "../ir/stream-deframer.ts";
import { SSEParser } from "./parser.ts";

/**
 * The SSE framing of a provider stream: the one SSE parser behind the deframer interface.
 *
 * `skim` finds where each event ends (a blank line) in the decoded text and hands the parser only
 * the events the filter accepts, whole; the rest are passed over as one substring each. That is
 * exact for streams whose lines end in LF (every provider recorded): an event is the text up to and
 * including `\n\n`, and the parser's state between events (its event type and data lines) is
 * empty. The one thing a skipped event would have changed is the last event id, which no observer
 * reads. The first CR seen (CR or CRLF line ends) turns skimming off: from then on every event is
 * parsed, since a blank line can then be spelled several ways.
 */
export class SSEDeframer implements StreamDeframer {
  private readonly parser = new SSEParser();
  /** Skimming's own (the parser then gets text); made on the first skim. */
  private decoder: TextDecoder | undefined;
  /**
   * Skimming: the event being received, in the pieces it came in, joined once when it is whole
   * (joining on every read would copy a large event over and over: quadratic).
   */
  private pending: string[] = [];
  /** The last pending piece ends in LF: a LF at the start of the next read completes a blank line. */
  private pendingEndsInLF = false;
  private sawCR = false;

  push(bytes: Uint8Array): WireEvent[] {
    return this.parser.push(bytes);
  }

  skim(bytes: Uint8Array, mayMatter: EventFilter): WireEvent[] {
    if (!this.decoder) this.decoder = new TextDecoder();
    const text = this.decoder.decode(bytes, { stream: true });
    if (this.sawCR) return this.parser.push(text);
    if (text.length === 0) return NONE;
    if (text.includes("\r")) {
      this.sawCR = true;
      return this.parser.push(this.takePending() + text);
    }
    let events: WireEvent[] | undefined;
    let start = 0;
    let end = this.pendingEndsInLF && text.charCodeAt(0) === 10 ? 1 : afterBlankLine(text, 0);
    while (end !== -1) {
      const piece = text.slice(start, end);
      const raw = this.pending.length === 0 ? piece : this.takePending() + piece;
      if (mayMatter(raw)) {
        const built = this.parser.push(raw);
        if (built.length > 0) events = events ? events.concat(built) : built;
      }
      start = end;
      end = afterBlankLine(text, start);
    }
    if (start < text.length) {
      this.pending.push(start === 0 ? text : text.slice(start));
      this.pendingEndsInLF = text.charCodeAt(text.length - 1) === 10;
    }
    return events ?? NONE;
  }

  private takePending(): string {
    const text = this.pending.join("");
    this.pending = [];
    this.pendingEndsInLF = false;
    return text;
  }

  /** A last event without its blank line is dispatched, as the official SDKs do. */
  end(): WireEvent[] {
    const rest = this.takePending() + (this.decoder?.decode() ?? "");
    const events = rest.length > 0 ? this.parser.push(rest) : [];
    const last = this.parser.end(true);
    return last.length > 0 ? events.concat(last) : events;
  }
}

/** The index just past the first `\n\n` at or after `from`; -1 when there is none. */
function afterBlankLine(text: string, from: number): number {
  const at = text.indexOf("\n\n", from);
  return at === -1 ? -1 : at + 2;
}

/** Shared by every skim that builds nothing (most of them): callers only read it. */
const NONE: WireEvent[] = [];
