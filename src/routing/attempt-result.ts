import type { GatewayError } from "../errors/gateway-error.ts";

/** How one upstream attempt ended, as the pipeline's attempt function reports it. */
export type AttemptResult<T> =
  | { ok: true; value: T }
  | { ok: false; failure: "http"; status: number; error: GatewayError; retryAfterMs?: number }
  | { ok: false; failure: "timeout" | "network"; error: GatewayError };

export type AttemptFailure = Extract<AttemptResult<unknown>, { ok: false }>;
