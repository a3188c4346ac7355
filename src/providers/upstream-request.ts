import type { ProviderKey, ResolvedProvider } from "../config/types.ts";
import { saneRetryAfter } from "../routing/retry-after.ts";
import { SECRET_HEADER } from "../usage/body-log.ts";
import type { ProviderWire } from "./provider-wire.ts";

/** The Anthropic API version sent when the client did not name one. */
export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

/** Client headers that carry protocol options and pass through to a provider of the same family. */
const FORWARDED_OPENAI_HEADERS = ["openai-organization", "openai-project", "openai-beta"];
const FORWARDED_ANTHROPIC_HEADERS = ["anthropic-beta"];

/**
 * The provider whose config went into a headers object built here, kept beside the object so the
 * debug view redacts its configured header names and every secret by value without the pipeline
 * carrying the provider to it. The secrets are read only when a debug view asks (rarely; a token
 * source's current token changes), not on every call.
 */
const CONFIGURED = new WeakMap<Record<string, string>, ResolvedProvider>();

// Shorter configured values are matched whole only: `on` must not redact `application/json`.
const MIN_CONTAINED_SECRET = 8;

/**
 * Headers for one upstream call, before its credentials (the transport's `authorize` adds them):
 * the protocol headers the client sent for the wire's family, and the provider's extra headers.
 */
export function buildUpstreamHeaders(
  provider: ResolvedProvider,
  wire: ProviderWire,
  clientHeaders: Headers,
): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  switch (wire) {
    case "openai_chat":
    case "openai_responses":
      for (const name of FORWARDED_OPENAI_HEADERS) {
        const value = clientHeaders.get(name);
        if (value) headers[name] = value;
      }
      break;
    case "anthropic":
      // The clouds take the version in the body (their transport's adaptBody), not as a header.
      if (provider.type === "anthropic")
        headers["anthropic-version"] = clientHeaders.get("anthropic-version") ?? DEFAULT_ANTHROPIC_VERSION;
      for (const name of FORWARDED_ANTHROPIC_HEADERS) {
        const value = clientHeaders.get(name);
        if (value) headers[name] = value;
      }
      break;
    case "gemini":
    case "bedrock_converse":
      break;
    default: {
      const unknownWire: never = wire;
      throw new Error(`no headers for wire ${String(unknownWire)}`);
    }
  }
  for (const [name, value] of Object.entries(provider.headers)) headers[name.toLowerCase()] = value;
  CONFIGURED.set(headers, provider);
  return headers;
}

/** Every value of a key that must never be shown. */
function keySecrets(key: ProviderKey): string[] {
  const values = [key.secret];
  if (key.aws) values.push(key.aws.secretAccessKey, key.aws.sessionToken ?? "");
  if (key.tokenSource) values.push(...key.tokenSource.secrets());
  return values;
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
 * Upstream headers for `x-switchboard-debug: upstream`, with "[redacted]" for: credential headers
 * by name (body logging's SECRET_HEADER), every header the provider's config sets, and any
 * header whose value holds one of the provider's keys or configured header values.
 */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const provider = CONFIGURED.get(headers);
  const configured = provider && {
    headerNames: new Set(Object.keys(provider.headers).map((name) => name.toLowerCase())),
    values: [...provider.keys.flatMap(keySecrets), ...Object.values(provider.headers)].filter(Boolean),
  };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const secret =
      SECRET_HEADER.test(name) ||
      configured?.headerNames.has(name.toLowerCase()) === true ||
      configured?.values.some(
        (v) => value === v || (v.length >= MIN_CONTAINED_SECRET && value.includes(v)),
      ) === true;
    out[name] = secret ? "[redacted]" : value;
  }
  return out;
}
