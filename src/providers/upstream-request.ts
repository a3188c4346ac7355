import type { ProviderKey, ResolvedProvider } from "../config/types.ts";
import { saneRetryAfter } from "../routing/retry-after.ts";
import { SECRET_HEADER } from "../usage/body-log.ts";

/** The Anthropic API version sent when the client did not name one. */
export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

/** Client headers that carry protocol options and pass through to a provider of the same family. */
const FORWARDED_OPENAI_HEADERS = ["openai-organization", "openai-project", "openai-beta"];
const FORWARDED_ANTHROPIC_HEADERS = ["anthropic-beta"];

/**
 * Headers for one upstream call: the provider's own credential (never the client's gateway
 * key), the protocol headers the client sent for that family, and the provider's extra headers.
 */
export function buildUpstreamHeaders(
  provider: ResolvedProvider,
  key: ProviderKey | undefined,
  clientHeaders: Headers,
): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  switch (provider.type) {
    case "openai":
      if (key) headers.authorization = `Bearer ${key.secret}`;
      for (const name of FORWARDED_OPENAI_HEADERS) {
        const value = clientHeaders.get(name);
        if (value) headers[name] = value;
      }
      break;
    case "anthropic":
      if (key) headers["x-api-key"] = key.secret;
      headers["anthropic-version"] = clientHeaders.get("anthropic-version") ?? DEFAULT_ANTHROPIC_VERSION;
      for (const name of FORWARDED_ANTHROPIC_HEADERS) {
        const value = clientHeaders.get(name);
        if (value) headers[name] = value;
      }
      break;
    case "gemini":
      if (key) headers["x-goog-api-key"] = key.secret;
      break;
  }
  for (const [name, value] of Object.entries(provider.headers)) headers[name.toLowerCase()] = value;
  return headers;
}

/** The same-protocol path of each provider type, appended to its base URL. */
export function nativeGenerationPath(provider: ResolvedProvider): string {
  return provider.type === "anthropic" ? "/v1/messages" : "/chat/completions";
}

/** Upstream response headers worth passing to the client (rate limits, request ids). */
export function passThroughResponseHeaders(upstream: Headers, into: Record<string, string>): void {
  for (const [name, value] of upstream) {
    if (
      name.startsWith("x-ratelimit-") ||
      name.startsWith("anthropic-ratelimit-") ||
      name === "retry-after" ||
      name === "request-id" ||
      name === "x-request-id" ||
      name === "openai-processing-ms"
    ) {
      if (name === "retry-after") {
        const sane = saneRetryAfter(value);
        if (sane !== undefined) into[name] = sane;
        continue;
      }
      // The gateway's own request id wins; the upstream's is kept under its own name.
      into[name === "x-request-id" ? "x-upstream-request-id" : name] = value;
    }
  }
}

/**
 * Redacts credentials from upstream headers for `x-switchboard-debug: upstream`; which headers
 * are secret is decided in one place (body logging's SECRET_HEADER).
 */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    out[name] = SECRET_HEADER.test(name) ? "[redacted]" : value;
  return out;
}
