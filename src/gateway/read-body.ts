import { withTimeout } from "../async/with-timeout.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { GatewayError, invalidRequest } from "../errors/gateway-error.ts";
import { findTooDeep, formatJsonPath } from "./json-depth.ts";

export const tooLarge = (limit: number): GatewayError =>
  new GatewayError({
    kind: "request_too_large",
    status: 413,
    message: `Request body is larger than the limit of ${limit} bytes.`,
    code: "request_too_large",
  });

export interface BodyLimits {
  /** Largest body in bytes (413 over it). */
  bytes: number;
  /** Deepest nesting of arrays and objects (400 naming the path over it). */
  depth: number;
  /** The whole body must arrive within this (408 otherwise). */
  readTimeoutMs: number;
}

const readTimedOut = (ms: number): GatewayError =>
  new GatewayError({
    kind: "invalid_request",
    status: 408,
    message: `The request body did not arrive within ${ms} ms.`,
    code: "request_timeout",
  });

/** The body's text, or a 408 when it does not arrive in time (a slow or stalled sender). */
function readText(request: Request, timeoutMs: number): Promise<string> {
  return withTimeout(request.text(), timeoutMs, () => readTimedOut(timeoutMs));
}

export const bodyLimitsOf = (config: ResolvedConfig): BodyLimits => ({
  bytes: config.server.bodyLimit,
  depth: config.server.jsonDepth,
  readTimeoutMs: config.server.readTimeoutMs,
});

/**
 * Reads a JSON object body within the size and nesting limits; raw text is kept for the
 * zero-copy path. Nesting is checked before anything else touches the value.
 */
export async function readJsonBody(
  request: Request,
  limits: BodyLimits,
): Promise<{ text: string; json: Record<string, unknown> }> {
  const limit = limits.bytes;
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const text = await readText(request, limits.readTimeoutMs);
  // Length in UTF-16 units bounds the byte length from below; check bytes only when close.
  if (text.length > limit || (text.length * 3 > limit && Buffer.byteLength(text) > limit))
    throw tooLarge(limit);
  if (text.length === 0) throw invalidRequest("Request body is empty; expected a JSON object.");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidRequest(
      `Request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw invalidRequest("Request body must be a JSON object.");
  }
  const tooDeep = findTooDeep(json, limits.depth);
  if (tooDeep) {
    const path = formatJsonPath(tooDeep);
    throw invalidRequest(
      `Request body nests arrays and objects deeper than the limit of ${limits.depth} at '${path}'.`,
      path,
      "json_too_deep",
    );
  }
  return { text, json: json as Record<string, unknown> };
}
