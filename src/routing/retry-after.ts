/** The longest wait the gateway passes on or honours: an hour (docs/reliability.md). */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * A `Retry-After` value safe to hand to a client: whole seconds up to an hour, or an HTTP date
 * at most an hour ahead; undefined for anything else (absurd, negative, malformed).
 */
export function saneRetryAfter(value: string | null, now: number = Date.now()): string | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return seconds * 1000 <= MAX_RETRY_AFTER_MS ? String(seconds) : String(MAX_RETRY_AFTER_MS / 1000);
  }
  // An IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
  if (trimmed.length > 40 || !/^[A-Za-z]{3}, [0-9A-Za-z :]+ GMT$/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return date - now <= MAX_RETRY_AFTER_MS ? trimmed : String(MAX_RETRY_AFTER_MS / 1000);
}

/**
 * Milliseconds an upstream asks us to wait, from `retry-after-ms` (OpenAI) or `Retry-After`
 * (delta-seconds or an HTTP date). Undefined when absent or unreadable; never negative.
 */
export function readRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = readRawRetryAfterMs(headers, now);
  return ms === undefined ? undefined : Math.min(ms, MAX_RETRY_AFTER_MS);
}

function readRawRetryAfterMs(headers: Headers, now: number): number | undefined {
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
