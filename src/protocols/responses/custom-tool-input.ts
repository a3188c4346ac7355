import { isRecord, tryParseJson } from "../../ir/guards.ts";

/**
 * A custom (freeform) tool travels through providers as a function of one string argument (see
 * from-responses-tools.ts), so its call comes back as arguments `{"input":"<raw text>"}`; the
 * client wants the raw text.
 */

/** The raw input of a custom tool call from its JSON arguments; the arguments as they are if they hold none. */
export function readCustomToolInput(args: string): string {
  const parsed = tryParseJson(args);
  if (isRecord(parsed) && typeof parsed.input === "string") return parsed.input;
  // Cut short (max tokens): as much of the string as arrived.
  const reader = new CustomToolInputReader();
  const partial = reader.push(args);
  return reader.entered ? partial + reader.held : args;
}

const OPENING = /^\s*\{\s*"input"\s*:\s*"/;
const OPENING_COMPACT = '{"input":"';
const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/**
 * Decodes the `input` string of streamed arguments incrementally, so the client's deltas carry
 * raw text as the model writes it. It follows the one shape a model bound to the schema writes,
 * `{"input":"…"}` (any whitespace around the tokens); arguments of any other shape are not
 * streamed (`entered` stays false) and the caller sends the input in one delta at the end.
 * An escape split across chunks, and the high half of a surrogate pair, wait for the next chunk.
 */
export class CustomToolInputReader {
  private state: "opening" | "string" | "closed" | "other" = "opening";
  private buffer = "";
  /** Decoded text held back: a high surrogate whose low half has not arrived. */
  held = "";

  /** Whether the arguments opened as `{"input":"`, so the deltas carry the input. */
  get entered(): boolean {
    return this.state === "string" || this.state === "closed";
  }

  /** One arguments delta → the raw input text it completes ("" when none yet). */
  push(delta: string): string {
    if (this.state === "closed" || this.state === "other") return "";
    this.buffer += delta;
    if (this.state === "opening") {
      const match = OPENING.exec(this.buffer);
      if (!match) {
        const compact = this.buffer.replace(/\s+/g, "");
        if (compact.length >= OPENING_COMPACT.length || !OPENING_COMPACT.startsWith(compact))
          this.state = "other";
        return "";
      }
      this.state = "string";
      this.buffer = this.buffer.slice(match[0].length);
    }
    return this.decode();
  }

  private decode(): string {
    const s = this.buffer;
    let out = this.held;
    this.held = "";
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '"') {
        this.state = "closed";
        i = s.length;
        break;
      }
      if (c !== "\\") {
        out += c;
        i++;
        continue;
      }
      const e = s[i + 1];
      if (e === undefined) break;
      if (e === "u") {
        if (i + 6 > s.length) break;
        const code = Number.parseInt(s.slice(i + 2, i + 6), 16);
        out += Number.isNaN(code) ? s.slice(i, i + 6) : String.fromCharCode(code);
        i += 6;
        continue;
      }
      out += ESCAPES[e] ?? e;
      i += 2;
    }
    this.buffer = s.slice(i);
    const last = out.charCodeAt(out.length - 1);
    if (this.state === "string" && last >= 0xd800 && last <= 0xdbff) {
      this.held = out.slice(-1);
      out = out.slice(0, -1);
    }
    return out;
  }
}
