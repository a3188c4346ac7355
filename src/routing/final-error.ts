import { type ErrorKind, GatewayError } from "../errors/gateway-error.ts";
import type { AttemptFailure } from "./attempt-result.ts";
import { toRetryAfterHeader } from "./retry-after.ts";

/** The last thing that went wrong for a request whose every target failed. */
export type LastFailure =
  | { kind: "upstream"; provider: string; failure: AttemptFailure }
  /** Every key of the provider was rejected (401/403): the gateway's config, not the client's. */
  | { kind: "credentials"; provider: string; status: number }
  /** Nothing was attempted: every target's circuit was open. */
  | { kind: "circuit_open"; retryAfterMs?: number };

/**
 * The error a client gets when every target failed (docs/routing.md, "What the client gets when every target failed"): the last upstream status if it
 * was 5xx or 429 (its message kept, Retry-After kept on 429), 504 after a timeout, 502 otherwise;
 * 503 with Retry-After when every circuit was open and nothing was tried.
 */
export function toFinalError(last: LastFailure): GatewayError {
  if (last.kind === "circuit_open") {
    return new GatewayError({
      kind: "overloaded",
      status: 503,
      message:
        "Every provider for this model is temporarily unavailable after repeated failures; retry later",
      code: "circuit_open",
      headers:
        last.retryAfterMs === undefined ? {} : { "retry-after": toRetryAfterHeader(last.retryAfterMs) },
    });
  }
  if (last.kind === "credentials") {
    // Never the upstream's message: providers echo part of the rejected key in it.
    return new GatewayError({
      kind: "api_error",
      status: 502,
      message: `Provider '${last.provider}' rejected the gateway's credentials (HTTP ${last.status}); check its key in the gateway config`,
      code: "upstream_auth_failed",
    });
  }
  const { failure } = last;
  if (failure.failure === "timeout") return restatus(failure.error, "timeout", 504);
  if (failure.failure !== "http") return restatus(failure.error, "api_error", 502);
  if (failure.status === 429) {
    const headers: Record<string, string> =
      failure.retryAfterMs === undefined ? {} : { "retry-after": toRetryAfterHeader(failure.retryAfterMs) };
    return restatus(failure.error, "rate_limit", 429, headers);
  }
  if (failure.status >= 500 && failure.status <= 599) {
    const kind: ErrorKind = failure.status === 503 || failure.status === 529 ? "overloaded" : "api_error";
    return restatus(failure.error, kind, failure.status);
  }
  return restatus(failure.error, "api_error", 502);
}

function restatus(
  error: GatewayError,
  kind: ErrorKind,
  status: number,
  headers: Record<string, string> = {},
): GatewayError {
  return new GatewayError({
    kind,
    status,
    message: error.message,
    param: error.param,
    code: error.code,
    upstreamType: error.upstreamType,
    headers: { ...withoutHeaders(error.headers, Object.keys(headers)), ...headers },
  });
}

// Header names are case-insensitive: drop `Retry-After` before adding `retry-after`, not both.
function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  const drop = new Set(names.map((name) => name.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name.toLowerCase())));
}
