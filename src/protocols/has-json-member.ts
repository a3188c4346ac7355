/**
 * Whether JSON text has a member `"<key>"` whose value starts with `valueStart` (`{`, `"`, `[`),
 * whatever the spacing: `"usage":{`, `"usage": {` (Python's json.dumps: vLLM, SGLang, LiteLLM) and
 * `"usage" :\n {` all count. A cheap scan for the pass-through observers, which parse an event only
 * when it can carry what they look for: `indexOf` of the quoted key, then whitespace, `:`,
 * whitespace. In valid JSON a quote inside a string is escaped, so an unescaped `"key"` followed by
 * `:` is always a member name; nested members count too (Kimi's `choices[0].usage`).
 */
export function hasJsonMember(text: string, key: string, valueStart: string): boolean {
  return findMember(text, `"${key}"`, valueStart.charCodeAt(0), skipSpace);
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
  return findMember(raw, quotedKey, valueStart, skipBlanks);
}

/**
 * The scan both share: each `quoted` occurrence, spacing (as `skip` reads it), `:`, spacing, the
 * value's first character. Reading stops at a line break only when `skip` does not pass it (raw
 * SSE text), and a line break there counts as a yes.
 */
function findMember(
  text: string,
  quoted: string,
  expected: number,
  skip: (text: string, from: number) => number,
): boolean {
  for (let at = text.indexOf(quoted); at >= 0; at = text.indexOf(quoted, at + 1)) {
    let i = skip(text, at + quoted.length);
    if (isLineBreak(text.charCodeAt(i))) return true;
    if (text.charCodeAt(i) !== COLON) continue;
    i = skip(text, i + 1);
    const c = text.charCodeAt(i);
    if (c === expected || isLineBreak(c)) return true;
  }
  return false;
}

const isLineBreak = (c: number): boolean => c === 10 || c === 13;

/** The first index at or after `from` that is not a space or a tab (spacing within one line). */
export function skipBlanks(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i;
}
