import type { ProviderType } from "../config/types.ts";
import { type ErrorKind, GatewayError } from "../errors/gateway-error.ts";
import { saneRetryAfter } from "../routing/retry-after.ts";

export function errorKindForStatus(status: number): ErrorKind {
  if (status === 400 || status === 422) return "invalid_request";
  if (status === 401) return "authentication";
  if (status === 403) return "permission";
  if (status === 404) return "not_found";
  if (status === 413) return "request_too_large";
  if (status === 429) return "rate_limit";
  if (status === 503 || status === 529) return "overloaded";
  if (status === 504 || status === 408) return "timeout";
  return status >= 500 ? "api_error" : "invalid_request";
}

interface ParsedUpstreamError {
  message?: string;
  type?: string;
  param?: string | null;
  code?: string | null;
}

/** Reads an error body in any of the three wire formats (OpenAI, Anthropic, Gemini). */
export function parseUpstreamErrorBody(text: string): ParsedUpstreamError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { message: text.trim().slice(0, 500) || undefined };
  }
  if (Array.isArray(json)) json = json[0]; // Gemini sometimes wraps errors in an array
  if (!json || typeof json !== "object") return {};
  const error = (json as Record<string, unknown>).error;
  if (typeof error === "string") return { message: error };
  if (!error || typeof error !== "object") {
    const message = (json as Record<string, unknown>).message;
    return typeof message === "string" ? { message } : {};
  }
  const e = error as Record<string, unknown>;
  const code = e.code;
  return {
    message: typeof e.message === "string" ? e.message : undefined,
    // Gemini puts its symbolic name in `status` (e.g. RESOURCE_EXHAUSTED).
    type: typeof e.type === "string" ? e.type : undefined,
    param: typeof e.param === "string" ? e.param : null,
    code: typeof code === "string" ? code : typeof e.status === "string" ? e.status : null,
  };
}

/**
 * An upstream error response as a GatewayError: the status, message, type, param and code are
 * kept, and Retry-After passes through. The message is prefixed with nothing that could carry a
 * key: only the provider's name.
 */
export function toUpstreamError(
  status: number,
  bodyText: string,
  headers: Headers,
  providerName: string,
  providerType: ProviderType,
): GatewayError {
  const parsed = parseUpstreamErrorBody(bodyText);
  const retryAfter = saneRetryAfter(headers.get("retry-after"));
  return new GatewayError({
    kind: errorKindForStatus(status),
    status,
    message: parsed.message ?? `Provider '${providerName}' answered with HTTP ${status}.`,
    param: parsed.param ?? null,
    code: parsed.code ?? null,
    // A Gemini (or Vertex) type string means nothing to OpenAI or Anthropic clients.
    upstreamType: providerType === "gemini" || providerType === "vertex" ? undefined : parsed.type,
    headers: retryAfter ? { "retry-after": retryAfter } : undefined,
  });
}

/** A provider that could not be reached or failed before a response: 502, never a key or URL. */
export function upstreamUnreachable(providerName: string, reason: string): GatewayError {
  return new GatewayError({
    kind: "api_error",
    status: 502,
    message: `Provider '${providerName}' could not be reached: ${reason}.`,
    code: "upstream_unreachable",
  });
}
