/**
 * Whether JSON text has a member `"<key>"` whose value starts with `valueStart` (`{`, `"`, `[`),
 * whatever the spacing: `"usage":{`, `"usage": {` (Python's json.dumps: vLLM, SGLang, LiteLLM) and
 * `"usage" :\n {` all count. A cheap scan for the pass-through observers, which parse an event only
 * when it can carry what they look for: `indexOf` of the quoted key, then whitespace, `:`,
 * whitespace. In valid JSON a quote inside a string is escaped, so an unescaped `"key"` followed by
 * `:` is always a member name; nested members count too (Kimi's `choices[0].usage`).
 */
export function hasJsonMember(text: string, key: string, valueStart: string): boolean {
  const quoted = `"${key}"`;
  const expected = valueStart.charCodeAt(0);
  for (let at = text.indexOf(quoted); at >= 0; at = text.indexOf(quoted, at + 1)) {
    let i = skipSpace(text, at + quoted.length);
    if (text.charCodeAt(i) !== COLON) continue;
    i = skipSpace(text, i + 1);
    if (text.charCodeAt(i) === expected) return true;
  }
  return false;
}

const COLON = 58;

/** The first index at or after `from` that is not JSON whitespace (space, tab, LF, CR). */
export function skipSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return i;
    i++;
  }
}

/**
 * `hasJsonMember` for an SSE event's raw text (its `data:` lines as sent), for the pass-through's
 * event filters: never false when the event's data has the member. `quotedKey` is the key with its
 * quotes (a constant, so no string is built per event). A line break between the key and its value
 * could be a multi-line `data` field continuing, so it counts as a yes.
 */
export function mayHaveJsonMember(raw: string, quotedKey: string, valueStart: number): boolean {
  for (let at = raw.indexOf(quotedKey); at >= 0; at = raw.indexOf(quotedKey, at + 1)) {
    let i = skipSpaceOnLine(raw, at + quotedKey.length);
    if (isLineBreak(raw.charCodeAt(i))) return true;
    if (raw.charCodeAt(i) !== COLON) continue;
    i = skipSpaceOnLine(raw, i + 1);
    const c = raw.charCodeAt(i);
    if (c === valueStart || isLineBreak(c)) return true;
  }
  return false;
}

const isLineBreak = (c: number): boolean => c === 10 || c === 13;

function skipSpaceOnLine(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return i;
    i++;
  }
}
