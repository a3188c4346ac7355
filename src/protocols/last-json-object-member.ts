import { skipSpace } from "./has-json-member.ts";

/**
 * The value of the top-level member `"<key>": {…}` of a JSON object's text, parsed alone, without
 * parsing the rest: a same-protocol answer's `usage` is read this way before it is handed over
 * (the body can be long; its usage is a few bytes). One forward pass tracks nesting and skips
 * strings, so a `usage` inside a choice, a tool's input or a text is never taken for the answer's
 * own; the last top-level one wins (as JSON.parse's would). Undefined when there is none, when its
 * value is not an object, or when the text is not what it seemed (the caller treats it as no usage).
 */
export function lastJsonObjectMember(text: string, key: string): unknown {
  let found = -1;
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      i = endOfString(text, i);
      if (i < 0) return undefined;
      // A member name at depth 1: the quoted key, then `:` and `{`.
      if (depth === 1 && i - start - 1 === key.length && text.startsWith(key, start + 1)) {
        let j = skipSpace(text, i + 1);
        if (text.charCodeAt(j) === COLON) {
          j = skipSpace(text, j + 1);
          if (text.charCodeAt(j) === OPEN_BRACE) found = j;
        }
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  if (found < 0) return undefined;
  const end = endOfObject(text, found);
  if (end < 0) return undefined;
  try {
    return JSON.parse(text.slice(found, end));
  } catch {
    return undefined;
  }
}

const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;

/** The index of the quote closing the string that opens at `start`; -1 if it never closes. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return -1;
}

/** The index just past the object that opens at `start`, skipping strings; -1 if it never closes. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
      if (i < 0) return -1;
    } else if (c === OPEN_BRACE) depth++;
    else if (c === CLOSE_BRACE && --depth === 0) return i + 1;
  }
  return -1;
}
