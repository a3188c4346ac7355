/**
 * The start-up fast path for config text (docs/performance.md, "Footprint"): Bun's native YAML
 * parser, used only when the text cannot hold anything it reads differently from the `yaml`
 * library, which stays the reference (line numbers, duplicate keys as errors). Parsing a config
 * with the library, and evaluating the library at all, was ~20 ms of a ~110 ms start.
 *
 * The two parsers agree on YAML 1.2's core schema (docs/configuration.md, "Values", YAML). They differ in
 * what the scan below refuses: duplicate keys (Bun keeps the last, the library reports an error),
 * merge keys `<<` (Bun merges, the library keeps a `<<` key), and a few corner forms a review
 * found (a BOM, a lone CR, signed hex, null keys in flow sequences, a comment before a value: see
 * the test). It also refuses what it cannot follow line by line (nested or multi-line flow
 * collections, explicit keys, anchors, aliases, tags, several documents, quoted keys with
 * escapes, tabs). A refusal is never wrong, only slower: the caller then parses with the library.
 */

/** Keys compared as written; anything that could resolve to a non-string (1, 01, true, ~) is refused. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./@+-]*$/;
const NON_STRING_WORD = /^(?:true|false|null)$/i;
/** A mapping key at the start of a line's content: `key:` followed by a space, a comment or nothing. */
const KEY_AT_START = /^("[^"\\]*"|'(?:[^']|'')*'|[^\s"'#][^#]*?) *:(?: |$)/;
/** A quoted scalar, double (with escapes) or single (with `''`). */
const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g;
/** Whole-text forms the two parsers read apart: a lone CR (a line break to Bun only), NUL, an escaped lone surrogate, signed or 64-bit-overflowing hex and octal integers. */
const READ_APART = /\r(?!\n)|\0|\\u[dD][89a-fA-F]|[-+]0[xo]|0x0*[1-9a-f][0-9a-f]{16}|0o0*[1-7][0-7]{21}/i;
/** A value or item starting with `,`, or a block scalar with an explicit indentation indicator. */
const ODD_START = /^(?:,|[|>][-+1-9]*[1-9])/;
/** Anchors, aliases and tags: `&x`, `*x`, `!tag` where a node may start. */
const NODE_PROPERTY = /(?:^|[\s[{,:])[&*!]/;

interface Scope {
  column: number;
  keys: Set<string>;
}

/**
 * The parsed value when the text is plain enough for Bun's parser to read it exactly as the
 * `yaml` library would; undefined when the library must read it (or Bun's parser refused it).
 */
export function parsePlainYaml(text: string): { value: unknown } | undefined {
  if (!isPlainYaml(text)) return undefined;
  try {
    return { value: Bun.YAML.parse(text) };
  } catch {
    return undefined;
  }
}

/** True when every mapping key of the text can be seen line by line and none repeats in its mapping. */
export function isPlainYaml(text: string): boolean {
  // A BOM: the library counts it as a column, Bun strips it.
  if (text.startsWith("\uFEFF") || READ_APART.test(text) || !text.isWellFormed()) return false;
  const scopes: Scope[] = [];
  let sawContent = false;
  // A comment line between a key or dash without a value and the scalar that is its value: the
  // library reads that scalar on as a multi-line implicit key (swallowing a following `- y`).
  let awaitingValue = false;
  let commentWhileAwaiting = false;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    if (line.slice(0, indent).includes("\t")) return false;
    let rest = line.slice(indent);
    if (rest.startsWith("#") && awaitingValue) commentWhileAwaiting = true;
    if (rest === "" || rest.startsWith("#")) continue;
    const afterComment = commentWhileAwaiting;
    awaitingValue = commentWhileAwaiting = false;
    if (indent === 0 && /^(?:---|\.\.\.|%)/.test(rest)) {
      // One leading `---` is common; a second document, `...` or a directive is the library's.
      if (sawContent || !/^---\s*(?:#.*)?$/.test(rest)) return false;
      sawContent = true;
      continue;
    }
    sawContent = true;
    const content = withoutComment(rest);
    // A tab may separate a key from its value (`key:\tvalue`), which the key pattern would miss.
    if (content === undefined || content.includes("\t") || hasUnplainSyntax(content)) return false;
    let column = indent;
    let dashColumn: number | undefined;
    while (rest === "-" || rest.startsWith("- ")) {
      dashColumn ??= column;
      const after = rest.slice(1);
      const gap = after.length - after.trimStart().length;
      column += 1 + gap;
      rest = after.slice(gap);
    }
    // A sequence item ends every mapping nested deeper than its dash; the item's own mapping is new.
    if (dashColumn !== undefined) popDeeperThan(scopes, dashColumn);
    if (rest === "" || rest.startsWith("#")) {
      awaitingValue = true;
      continue;
    }
    if (rest === "?" || rest.startsWith("? ") || ODD_START.test(rest)) return false;
    if (rest.startsWith("{") || rest.startsWith("[")) {
      // A flow collection as a sequence item; one used as a key (`[a]: x`) is the library's.
      const close = rest.startsWith("{") ? "}" : "]";
      if (!withoutComment(rest)?.trimEnd().endsWith(close)) return false;
      continue;
    }
    const match = KEY_AT_START.exec(rest);
    if (!match) {
      // A scalar: a sequence item or a continuation. One that could still be read as a key is refused.
      if (/: |:$|: *#/.test(rest) || afterComment) return false;
      continue;
    }
    const key = keyText(match[1] ?? "");
    if (key === undefined) return false;
    popDeeperThan(scopes, column);
    const top = scopes.at(-1);
    if (dashColumn === undefined && top?.column === column) {
      if (top.keys.has(key)) return false;
      top.keys.add(key);
    } else {
      scopes.push({ column, keys: new Set([key]) });
    }
    const value = rest.slice(match[0].length).trimStart();
    if (value === "" || value.startsWith("#")) awaitingValue = true;
    if (ODD_START.test(value)) return false;
    // A value followed by `:` on the same line (`a: x:`, `a: "x": y`, `a: [x]: 1`) is an implicit
    // key the two parsers treat differently (or a YAML error only the library reports).
    const node = value.replace(/^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|\[[^\]]*\]|\{[^}]*\})/, "x");
    if (/:(?:\s|$)/.test(withoutComment(node) ?? node)) return false;
  }
  return true;
}

function popDeeperThan(scopes: Scope[], column: number): void {
  while ((scopes.at(-1)?.column ?? -1) > column) scopes.pop();
}

/** The key as a string, or undefined when it is not plainly one (numbers, booleans, escapes, `__proto__`). */
function keyText(written: string): string | undefined {
  let key: string;
  if (written.startsWith('"')) key = written.slice(1, -1);
  else if (written.startsWith("'")) key = written.slice(1, -1).replaceAll("''", "'");
  else if (PLAIN_KEY.test(written) && !NON_STRING_WORD.test(written)) key = written;
  else return undefined;
  return key === "__proto__" ? undefined : key;
}

/**
 * Merge keys, anchors, aliases, tags, or a flow mapping (braces other than `${VAR}`, the config's
 * own interpolation) that is not one line of plain, distinct keys (`headers: { X-Title: App }`).
 */
function hasUnplainSyntax(content: string): boolean {
  if (content.includes("<<") || NODE_PROPERTY.test(content)) return true;
  const text = content.replace(/\$\{[^}]*\}/g, "");
  // A bracket or comma inside a quoted scalar would end or split a flow collection early below.
  if ([...text.matchAll(QUOTED)].some(([quoted]) => /[{}[\],]/.test(quoted))) return true;
  // Inside a flow sequence, `a: x` is a one-pair mapping, and `: x` or `?` one with a null key,
  // which the two parsers name differently.
  const bracket = text.indexOf("[");
  if (bracket !== -1 && /[:?](?:[\s,\]]|$)/.test(text.slice(bracket))) return true;
  for (let open = text.indexOf("{"); open !== -1; open = text.indexOf("{", open + 1)) {
    const close = text.indexOf("}", open);
    if (close === -1 || !isFlatFlowMapping(text.slice(open + 1, close))) return true;
  }
  return false;
}

/** `a: 1, b: x` with nothing nested, every key plain and none repeated. */
function isFlatFlowMapping(inside: string): boolean {
  if (/[{}[\]]/.test(inside)) return false;
  const keys = new Set<string>();
  for (const entry of inside.split(",")) {
    const trimmed = entry.trim();
    if (trimmed === "") continue;
    const match = KEY_AT_START.exec(trimmed);
    const key = match ? keyText(match[1] ?? "") : undefined;
    if (key === undefined || keys.has(key)) return false;
    keys.add(key);
  }
  return true;
}

/**
 * The line without its comment; undefined when a quote or bracket that opens on the line does
 * not close on it: a quoted or flow value that runs on to the next lines could hold text that
 * looks like a key, so such a file is the library's.
 */
function withoutComment(content: string): string | undefined {
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < content.length; i++) {
    const char = content[i];
    if (quote) {
      if (char === "\\" && quote === '"') i++;
      // `''` is a quote inside a single-quoted scalar, not its end.
      else if (char === "'" && quote === "'" && content[i + 1] === "'") i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === "#" && (i === 0 || content[i - 1] === " " || content[i - 1] === "\t")) {
      return depth === 0 ? content.slice(0, i) : undefined;
    }
    // A quote opens a quoted scalar only where a scalar starts; in `it's` it is text.
    if ((char === '"' || char === "'") && (i === 0 || /[\s[,:-]/.test(content[i - 1] ?? ""))) quote = char;
    else if (char === "[") depth++;
    else if (char === "]") depth--;
  }
  return quote === undefined && depth === 0 ? content : undefined;
}
