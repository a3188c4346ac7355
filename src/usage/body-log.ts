/**
 * Request/response body logging, off unless `usage.logBodies` is true. Bodies are redacted of
 * anything key-like and cut to `usage.bodyLogLimit` bytes before they reach the log.
 */

export type BodyDirection = "request" | "response" | "upstream_request" | "upstream_response";

export interface BodyLogInput {
  requestId: string;
  direction: BodyDirection;
  body: string | Uint8Array | null | undefined;
  headers?: Headers | Record<string, string>;
}

export interface BodyLogEntry {
  msg: "body";
  request_id: string;
  direction: BodyDirection;
  headers?: Record<string, string>;
  body: string;
  /** Size of the whole body in bytes, before the cut. */
  body_bytes: number;
  truncated: boolean;
}

export interface BodyLogOptions {
  logBodies: boolean;
  bodyLogLimit: number;
}

const REDACTED = "[REDACTED]";

export const SECRET_HEADER =
  /^(authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|cookie|set-cookie)$/i;

// A JSON member whose name says it holds a secret: its string value is replaced.
const SECRET_JSON_FIELD =
  /("(?:authorization|x-api-key|api[-_]?key|apikey|x-goog-api-key|access[-_]?token|refresh[-_]?token|client[-_]?secret|secret|password|key_sha256)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

// Secret-shaped tokens anywhere in the text (provider keys, bearer credentials, URL key params).
const SECRET_PATTERNS: RegExp[] = [
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\b(?:gsk|xai|pk|rk)[_-][A-Za-z0-9_-]{16,}/g,
  /([?&](?:key|api_key|apikey)=)[^&\s"']+/gi,
];

/** Replaces anything key-like in a text: secret JSON fields, `sk-…`, `Bearer …`, `?key=…`. */
export function redactSecrets(text: string): string {
  let out = text.replace(SECRET_JSON_FIELD, `$1"${REDACTED}"`);
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: unknown) =>
      typeof prefix === "string" && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** Headers as a plain object with credential headers' values replaced. */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    out[name] = SECRET_HEADER.test(name) ? REDACTED : redactSecrets(value);
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });
// Extra bytes read past the limit before redaction, so a secret straddling the cut still matches.
const REDACTION_MARGIN = 512;

/** The log entry for a body: redacted, then cut to `limit` bytes (on a character boundary). */
export function toBodyLogEntry(input: BodyLogInput, limit: number): BodyLogEntry {
  const bytes =
    typeof input.body === "string" ? encoder.encode(input.body) : (input.body ?? new Uint8Array());
  const head = decoder.decode(bytes.subarray(0, limit + REDACTION_MARGIN));
  const redacted = encoder.encode(redactSecrets(head));
  const truncated = bytes.length > limit || redacted.length > limit;
  const body = truncated ? cutUtf8(redacted, limit) : decoder.decode(redacted);
  const entry: BodyLogEntry = {
    msg: "body",
    request_id: input.requestId,
    direction: input.direction,
    body,
    body_bytes: bytes.length,
    truncated,
  };
  if (input.headers) entry.headers = redactHeaders(input.headers);
  return entry;
}

/**
 * Returns the function the pipeline calls with each body; a no-op when body logging is off.
 * `write` receives one JSON line (default: stdout, the gateway's log stream).
 */
export function createBodyLogger(
  options: BodyLogOptions,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): (input: BodyLogInput) => void {
  if (!options.logBodies) return () => {};
  const limit = Math.max(0, options.bodyLogLimit);
  return (input) => {
    try {
      write(
        JSON.stringify({ time: new Date().toISOString(), level: "info", ...toBodyLogEntry(input, limit) }),
      );
    } catch {
      // Logging must never fail a request.
    }
  };
}

/** One-shot form of createBodyLogger. */
export function logBody(input: BodyLogInput, options: BodyLogOptions, write?: (line: string) => void): void {
  createBodyLogger(options, write)(input);
}

function cutUtf8(bytes: Uint8Array, limit: number): string {
  let end = Math.min(limit, bytes.length);
  // Step back over UTF-8 continuation bytes so no character is split.
  while (end > 0 && end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
  return decoder.decode(bytes.subarray(0, end));
}
