/**
 * Milliseconds an upstream asks us to wait, from `retry-after-ms` (OpenAI) or `Retry-After`
 * (delta-seconds or an HTTP date). Undefined when absent or unreadable; never negative.
 */
export function readRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds !== null && /^\s*\d+(\.\d+)?\s*$/.test(milliseconds)) {
    return Math.max(0, Math.ceil(Number(milliseconds)));
  }
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Math.ceil(Number(value) * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A `Retry-After` header value (whole seconds, at least 1) for a wait in milliseconds. */
export function toRetryAfterHeader(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
