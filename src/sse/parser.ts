/**
 * The one SSE parser of the codebase, following the WHATWG event-stream rules:
 * LF, CR or CRLF line ends (also split across chunks), `field:value` with an optional single
 * space after the colon, multi-line `data`, comments (`:`), `event`, `id`, `retry`.
 */
export interface SSEEvent {
  /** `event:` field; "message" when absent. */
  event: string;
  /** `data:` lines joined with "\n". */
  data: string;
  id?: string;
}

export class SSEParser {
  /** Made on the first bytes pushed: a parser fed text (the skimming deframer's) never needs one. */
  private decoder: TextDecoder | undefined;
  /**
   * The line being received, in the pieces it came in: joined once, when its line end comes
   * (appending to one string and searching it again on every read was quadratic in a long line).
   */
  private partial: string[] = [];
  /** A chunk ended in CR: a LF at the start of the next chunk belongs to the same line end. */
  private pendingCR = false;
  private eventType = "";
  private dataLines: string[] = [];
  private hasData = false;
  private lastId: string | undefined;

  /** Feed raw bytes (or text); returns the events completed by this chunk. */
  push(chunk: Uint8Array | string): SSEEvent[] {
    let text = typeof chunk === "string" ? chunk : this.decode(chunk);
    // An empty read changes nothing: above all, a CR that ended the last read still pairs with a
    // LF that starts the next one.
    if (text.length === 0) return [];
    if (this.pendingCR && text.charCodeAt(0) === 10) text = text.slice(1);
    this.pendingCR = false;
    const events: SSEEvent[] = [];
    let start = 0;
    const len = text.length;
    // Line ends are found with indexOf (native) rather than a character loop: most streams use
    // LF only, so the CR search runs once per chunk and is skipped from then on.
    let nextCR = text.indexOf("\r");
    while (start < len) {
      const nextLF = text.indexOf("\n", start);
      if (nextCR !== -1 && nextCR < start) nextCR = text.indexOf("\r", start);
      const end = nextCR !== -1 && (nextLF === -1 || nextCR < nextLF) ? nextCR : nextLF;
      if (end === -1) break;
      const line = text.slice(start, end);
      this.processLine(this.partial.length === 0 ? line : this.takePartial() + line, events);
      if (end === nextCR) {
        if (end + 1 < len) {
          start = text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
        } else {
          this.pendingCR = true;
          start = end + 1;
        }
      } else {
        start = end + 1;
      }
    }
    if (start < len) this.partial.push(start === 0 ? text : text.slice(start));
    return events;
  }

  private takePartial(): string {
    const line = this.partial.join("");
    this.partial = [];
    return line;
  }

  private decode(bytes: Uint8Array): string {
    if (!this.decoder) this.decoder = new TextDecoder();
    return this.decoder.decode(bytes, { stream: true });
  }

  /**
   * End of stream. Per the spec a final event without its blank line is discarded; with
   * `dispatchIncomplete` it is dispatched, as the official SDKs do (some recorded provider
   * streams end without the last line end).
   */
  end(dispatchIncomplete = false): SSEEvent[] {
    const rest = this.decoder?.decode() ?? "";
    const events = rest ? this.push(rest) : [];
    const last = this.takePartial();
    if (dispatchIncomplete) {
      if (last.length > 0) this.processLine(last, events);
      this.processLine("", events);
    }
    this.reset();
    return events;
  }

  private reset(): void {
    this.eventType = "";
    this.dataLines = [];
    this.hasData = false;
  }

  private processLine(line: string, events: SSEEvent[]): void {
    if (line.length === 0) {
      if (this.hasData) {
        events.push({ event: this.eventType || "message", data: this.dataLines.join("\n"), id: this.lastId });
      }
      this.reset();
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(":");
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case "data":
        this.dataLines.push(value);
        this.hasData = true;
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) this.lastId = value;
        break;
      default:
        break; // `retry` and unknown fields: nothing a gateway needs
    }
  }
}
