/**
 * Access to the recorded provider wire data in test/fixtures (provenance and licenses in its
 * MANIFEST.md; a byte-exact copy of the project's shared fixture set).
 *
 *   fixturePath("anthropic/sdkpy-tool_use_response.txt")  -> absolute path
 *   readFixture(name) / readFixtureBytes(name)              -> exact file contents
 *   splitSSEEvents(text)                                    -> one string per event, joined = input
 *   recordedInteractions(name)                              -> the HTTP exchanges of a recording file
 *   jsgenaiToSSE(segments)                                  -> Gemini SSE text from js-genai bodySegments
 *
 * The directory resolves relative to this file and can be moved with SWITCHBOARD_FIXTURES.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function fixturesDir(): string {
  const fromEnv = process.env.SWITCHBOARD_FIXTURES;
  if (fromEnv) return fromEnv.endsWith("/") ? fromEnv : `${fromEnv}/`;
  return fileURLToPath(new URL("../fixtures/", import.meta.url));
}

export function fixturePath(name: string): string {
  return fixturesDir() + name.replace(/^\/+/, "");
}

export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), "utf8");
}

export function readFixtureBytes(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(fixturePath(name)));
}

/**
 * Splits SSE text after each blank line (LF LF, CRLF CRLF or CR CR), keeping every byte, so that
 * `splitSSEEvents(t).join("") === t`. A trailing partial event is kept as the last piece.
 */
export function splitSSEEvents(text: string): string[] {
  const pieces: string[] = [];
  const boundary = /\r\n\r\n|\n\n|\r\r/g;
  let start = 0;
  for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
    pieces.push(text.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/**
 * js-genai recordings keep each SSE event as parsed JSON (the wire text is lost), so this
 * re-serialises them the way Gemini frames `alt=sse`: `data: <json>` + CRLF CRLF.
 */
export function jsgenaiToSSE(segments: readonly unknown[]): string {
  return segments.map((s) => `data: ${JSON.stringify(s)}\r\n\r\n`).join("");
}

/** One recorded HTTP exchange, normalised across the three recording formats in the fixtures. */
export interface RecordedInteraction {
  method: string;
  /** Path plus query as recorded (host stripped). */
  url: string;
  requestBody: unknown;
  status: number;
  /** Response headers minus framing ones (length, encoding, connection) that would lie on replay. */
  headers: Record<string, string>;
  /** The response body as text to send (SSE text for streams, JSON text otherwise). */
  bodyText: string;
  contentType: string;
}

const FRAMING_HEADERS = new Set([
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
]);

function cleanHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== "object") return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const key = k.toLowerCase();
    if (FRAMING_HEADERS.has(key)) continue;
    out[key] = Array.isArray(v) ? v.map(String).join(", ") : String(v);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, "");
}

/**
 * Reads a recording file and returns its exchanges in order. Understands js-genai
 * (`{interactions:[{request,response:{statusCode,headers,bodySegments}}]}`), anthropic-sdk-python
 * cassettes (`[{request,response:{status_code,headers,body}}]`) and nock recordings
 * (`[{method,path,body,status,response,rawHeaders}]`). Throws for plain response files.
 */
export function recordedInteractions(name: string): RecordedInteraction[] {
  const data: unknown = JSON.parse(readFixture(name));
  if (isRecord(data) && Array.isArray(data.interactions)) {
    return data.interactions.map((raw: unknown) => fromJsgenai(raw));
  }
  if (Array.isArray(data) && data.every((e) => isRecord(e) && isRecord(e.response) && "request" in e)) {
    return data.map((raw) => fromCassette(raw as Record<string, unknown>));
  }
  if (Array.isArray(data) && data.every((e) => isRecord(e) && "scope" in e && "status" in e)) {
    return data.map((raw) => fromNock(raw as Record<string, unknown>));
  }
  throw new Error(`${name} is not a recording (js-genai, cassette or nock)`);
}

export function isRecordingFixture(name: string): boolean {
  if (!name.endsWith(".json")) return false;
  try {
    recordedInteractions(name);
    return true;
  } catch {
    return false;
  }
}

function fromJsgenai(raw: unknown): RecordedInteraction {
  const entry = isRecord(raw) ? raw : {};
  const req = isRecord(entry.request) ? entry.request : {};
  const res = isRecord(entry.response) ? entry.response : {};
  const headers = cleanHeaders(res.headers);
  const contentType = headers["content-type"] ?? "application/json";
  const segments = Array.isArray(res.bodySegments) ? res.bodySegments : [];
  const reqSegments = Array.isArray(req.bodySegments) ? req.bodySegments : [];
  const streamed = contentType.includes("event-stream") && Number(res.statusCode ?? 200) < 400;
  const bodyText = streamed ? jsgenaiToSSE(segments) : segments.length ? JSON.stringify(segments[0]) : "";
  return {
    method: String(req.method ?? "POST"),
    url: pathOf(String(req.url ?? "")),
    requestBody: reqSegments[0],
    status: Number(res.statusCode ?? 200),
    headers,
    bodyText,
    contentType,
  };
}

function fromCassette(entry: Record<string, unknown>): RecordedInteraction {
  const req = isRecord(entry.request) ? entry.request : {};
  const res = isRecord(entry.response) ? entry.response : {};
  const headers = cleanHeaders(res.headers);
  const body = res.body;
  const bodyText = typeof body === "string" ? body : JSON.stringify(body);
  const contentType =
    headers["content-type"] ?? (typeof body === "string" ? "text/event-stream" : "application/json");
  return {
    method: String(req.method ?? "POST"),
    url: pathOf(String(req.url ?? "")),
    requestBody: req.body,
    status: Number(res.status_code ?? 200),
    headers,
    bodyText,
    contentType,
  };
}

function fromNock(entry: Record<string, unknown>): RecordedInteraction {
  let headers: Record<string, string> = {};
  if (isRecord(entry.rawHeaders)) headers = cleanHeaders(entry.rawHeaders);
  const body = entry.response;
  const bodyText = typeof body === "string" ? body : JSON.stringify(body);
  return {
    method: String(entry.method ?? "POST"),
    url: String(entry.path ?? ""),
    requestBody: entry.body,
    status: Number(entry.status ?? 200),
    headers,
    bodyText,
    contentType: headers["content-type"] ?? "application/json",
  };
}
