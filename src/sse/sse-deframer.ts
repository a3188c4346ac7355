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
  /** Skimming: the text of the event being received (everything after the last blank line). */
  private pending = "";
  private sawCR = false;

  push(bytes: Uint8Array): WireEvent[] {
    return this.parser.push(bytes);
  }

  skim(bytes: Uint8Array, mayMatter: EventFilter): WireEvent[] {
    if (!this.decoder) this.decoder = new TextDecoder();
    const text = this.decoder.decode(bytes, { stream: true });
    if (this.sawCR) return this.parser.push(text);
    if (text.includes("\r")) {
      this.sawCR = true;
      const rest = this.pending + text;
      this.pending = "";
      return this.parser.push(rest);
    }
    const buffer = this.pending.length === 0 ? text : this.pending + text;
    let events: WireEvent[] | undefined;
    let start = 0;
    // A `\n` that ended the previous piece may pair with one that starts this one.
    let from = Math.max(0, this.pending.length - 1);
    for (let blank = buffer.indexOf("\n\n", from); blank !== -1; blank = buffer.indexOf("\n\n", from)) {
      const end = blank + 2;
      const raw = buffer.slice(start, end);
      if (mayMatter(raw)) {
        const built = this.parser.push(raw);
        if (built.length > 0) events = events ? events.concat(built) : built;
      }
      start = end;
      from = end;
    }
    this.pending = start === 0 ? buffer : buffer.slice(start);
    return events ?? NONE;
  }

  /** A last event without its blank line is dispatched, as the official SDKs do. */
  end(): WireEvent[] {
    const rest = this.pending + (this.decoder?.decode() ?? "");
    this.pending = "";
    const events = rest.length > 0 ? this.parser.push(rest) : [];
    const last = this.parser.end(true);
    return last.length > 0 ? events.concat(last) : events;
  }
}

/** Shared by every skim that builds nothing (most of them): callers only read it. */
const NONE: WireEvent[] = [];
