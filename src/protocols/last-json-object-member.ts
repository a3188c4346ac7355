import { skipSpace } from "./has-json-member.ts";

/**
 * The value of the last member `"<key>": {…}` in JSON text, parsed alone, without parsing the
 * rest: a same-protocol answer's `usage` is read this way before it is handed over (the body can
 * be long; its usage is a few bytes near the end). As in has-json-member.ts, an unescaped `"key"`
 * followed by `:` is always a member name in valid JSON. Undefined when there is none, or when the
 * text is not what it seemed (the caller treats it as no usage).
 */
export function lastJsonObjectMember(text: string, key: string): unknown {
  const quoted = `"${key}"`;
  for (let at = text.lastIndexOf(quoted); at >= 0; at = at > 0 ? text.lastIndexOf(quoted, at - 1) : -1) {
    let i = skipSpace(text, at + quoted.length);
    if (text.charCodeAt(i) !== COLON) continue;
    i = skipSpace(text, i + 1);
    if (text.charCodeAt(i) !== OPEN_BRACE) continue;
    const end = endOfObject(text, i);
    if (end < 0) return undefined;
    try {
      return JSON.parse(text.slice(i, end));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const QUOTE = 34;
const BACKSLASH = 92;

/** The index just past the object that opens at `start`, skipping strings; -1 if it never closes. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_BRACE) depth++;
    else if (c === CLOSE_BRACE && --depth === 0) return i + 1;
  }
  return -1;
}
