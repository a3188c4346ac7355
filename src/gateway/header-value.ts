/**
 * Response header values built from what a client controls (a model name, dropped field names)
 * must never make the gateway fail after a billed upstream call: anything outside visible ASCII
 * is percent-encoded, and no header exceeds the documented cap (docs/reliability.md).
 */
export const MAX_HEADER_VALUE = 8 * 1024;

const UNSAFE = /[^\x20-\x7e]/;

export function headerSafe(value: string, max = MAX_HEADER_VALUE): string {
  // toWellFormed: a lone surrogate would make encodeURIComponent throw (U+FFFD takes its place).
  const safe = UNSAFE.test(value)
    ? value.toWellFormed().replace(/[^\x20-\x7e]+/g, (run) => encodeURIComponent(run))
    : value;
  return safe.length <= max ? safe : `${safe.slice(0, max - 3)}...`;
}

/** A list header (`x-switchboard-dropped`): the first `limit` names, then `...+N` for the rest. */
export function headerList(names: readonly string[], limit = 20): string {
  const shown = names.slice(0, limit).map((name) => headerSafe(name, 200));
  const rest = names.length - shown.length;
  return headerSafe(rest > 0 ? `${shown.join(", ")}, ...+${rest}` : shown.join(", "));
}
