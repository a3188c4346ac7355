import type { ProviderKey, ResolvedConfig } from "../config/types.ts";
import { GatewayError } from "../errors/gateway-error.ts";
import type { AttemptRecord } from "../observe/request-outcome.ts";
import type { AttemptFailure, AttemptResult } from "./attempt-result.ts";
import { backoffDelayMs, sleep as sleepFor } from "./backoff.ts";
import { type LastFailure, toFinalError } from "./final-error.ts";
import type { Target } from "./resolve-targets.ts";
import type { RoutingState } from "./routing-state.ts";

export type { AttemptResult } from "./attempt-result.ts";

export interface RunWithFallbackOptions {
  config: ResolvedConfig;
  state: RoutingState;
  /** The client's signal: once aborted, nothing more is attempted and no backoff is waited out. */
  signal?: AbortSignal;
  /** Every attempt is pushed here, skipped (breaker open) ones included. */
  attempts: AttemptRecord[];
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The longest a rate-limited key stays out of rotation for other requests. */
const MAX_RATE_LIMIT_COOLDOWN_MS = 60_000;

/** Status of the error thrown when the client went away (nginx's "client closed request"). */
export const CLIENT_CLOSED_STATUS = 499;

/**
 * Tries the targets in order until one answers (docs/routing.md, "When a provider fails"):
 * - retryable failures (per `routing.fallbackOn`) are retried up to `routing.retries` times per
 *   target with full-jitter exponential backoff; a Retry-After up to `retryAfterCapMs` is waited
 *   out exactly, a longer one moves on to the next target at once;
 * - a 429 first moves to another key of the same provider, without using up a retry;
 * - a 401/403 takes that key out for the rest of the request (and cools it down for others);
 *   the request carries on with the provider's other keys, then the next target;
 * - any other 4xx is thrown at once as the upstream's error: no fallback;
 * - a provider whose circuit is open is skipped (recorded as `breaker_open`).
 * Throws the final GatewayError (see toFinalError) when every target failed, and a 499
 * GatewayError (code `client_closed_request`) when the signal aborts.
 */
export async function runWithFallback<T>(
  targets: Target[],
  attempt: (target: Target, key: ProviderKey | undefined, attemptIndex: number) => Promise<AttemptResult<T>>,
  options: RunWithFallbackOptions,
): Promise<{ value: T; target: Target; key: ProviderKey | undefined }> {
  const { config, state, signal, attempts } = options;
  const { routing } = config;
  const sleep = options.sleep ?? sleepFor;
  // Keys whose credentials were rejected during this request, per provider name.
  const rejectedKeys = new Map<string, Set<string>>();
  let last: LastFailure | undefined;
  let attemptIndex = 0;

  for (const target of targets) {
    throwIfAborted(signal);
    const { provider } = target;
    if (!state.acquireProvider(provider)) {
      attempts.push(recordOf(target, undefined, -1, "breaker_open", 0));
      continue;
    }
    let rejected = rejectedKeys.get(provider.name);
    if (!rejected) {
      rejected = new Set();
      rejectedKeys.set(provider.name, rejected);
    }
    let retriesLeft = routing.retries;
    let backoffStep = 0;
    // Keys tried since the last wait: a 429 moves on to a key not in here before waiting.
    const triedThisRound = new Set<string>();

    while (true) {
      const untried =
        rejected.size + triedThisRound.size === 0 ? rejected : new Set([...rejected, ...triedThisRound]);
      const key =
        provider.keys.length === 0
          ? undefined
          : (state.pickKey(provider, untried) ?? state.pickKey(provider, rejected));
      if (provider.keys.length > 0 && !key) break; // every key of this provider was rejected
      if (key) triedThisRound.add(key.label);

      const startedAt = state.now();
      const result = await callAttempt(attempt, target, key, attemptIndex++, signal);
      const latencyMs = state.now() - startedAt;
      if (signal?.aborted) {
        attempts.push(recordOf(target, key, result.ok ? 200 : statusOf(result), "aborted", latencyMs));
        throw clientClosed();
      }
      if (result.ok) {
        attempts.push(recordOf(target, key, 200, "ok", latencyMs));
        state.recordSuccess(target, key);
        return { value: result.value, target, key };
      }
      attempts.push(recordOf(target, key, statusOf(result), result.failure, latencyMs));

      if (result.failure === "http" && (result.status === 401 || result.status === 403)) {
        // The provider refused the gateway's own key: a config problem the client must not see as a 401.
        last = { kind: "credentials", provider: provider.name, status: result.status };
        if (!key) break;
        rejected.add(key.label);
        state.coolDownKey(provider, key, routing.circuitBreaker.cooldownMs);
        continue;
      }

      if (!isRetryable(result, config)) {
        if (result.failure === "http" && result.status < 500) {
          // The provider is up and answered: an upstream client error goes back as is.
          state.recordSuccess(target, key);
          throw result.error;
        }
        state.recordFailure(target, key);
        throw toFinalError({ kind: "upstream", provider: provider.name, failure: result });
      }

      state.recordFailure(target, key);
      last = { kind: "upstream", provider: provider.name, failure: result };
      const retryAfterMs = result.failure === "http" ? result.retryAfterMs : undefined;

      if (result.failure === "http" && result.status === 429 && key) {
        state.coolDownKey(
          provider,
          key,
          Math.min(retryAfterMs ?? routing.retryBackoffMs, MAX_RATE_LIMIT_COOLDOWN_MS),
        );
        if (hasKeyOutside(provider.keys, new Set([...rejected, ...triedThisRound]))) continue;
      }
      if (retriesLeft <= 0 || state.isProviderOpen(provider)) break;
      if (retryAfterMs !== undefined && retryAfterMs > routing.retryAfterCapMs) break;

      const delayMs =
        retryAfterMs ??
        backoffDelayMs(backoffStep++, routing.retryBackoffMs, routing.retryAfterCapMs, state.random);
      try {
        await sleep(delayMs, signal);
      } catch (error) {
        if (signal?.aborted) throw clientClosed();
        throw error;
      }
      retriesLeft -= 1;
      triedThisRound.clear();
    }
  }

  throw toFinalError(last ?? { kind: "circuit_open", retryAfterMs: circuitRetryAfterMs(targets, state) });
}

function isRetryable(result: AttemptFailure, config: ResolvedConfig): boolean {
  const { fallbackOn } = config.routing;
  if (result.failure === "timeout") return fallbackOn.timeout;
  if (result.failure !== "http") return fallbackOn.network;
  if (fallbackOn.statuses.has(result.status)) return true;
  return fallbackOn.any5xx && result.status >= 500 && result.status <= 599;
}

/**
 * Calls the attempt function. Upstream failures come back as results; anything thrown is the
 * gateway's own (a GatewayError, or a bug) and goes to the client as is, never counted against
 * the provider's breaker nor failed over: another target would fail the same way.
 */
async function callAttempt<T>(
  attempt: (target: Target, key: ProviderKey | undefined, attemptIndex: number) => Promise<AttemptResult<T>>,
  target: Target,
  key: ProviderKey | undefined,
  attemptIndex: number,
  signal: AbortSignal | undefined,
): Promise<AttemptResult<T>> {
  try {
    return await attempt(target, key, attemptIndex);
  } catch (error) {
    if (signal?.aborted) throw clientClosed();
    throw error;
  }
}

function hasKeyOutside(keys: ProviderKey[], used: ReadonlySet<string>): boolean {
  return keys.some((key) => !used.has(key.label));
}

function circuitRetryAfterMs(targets: Target[], state: RoutingState): number | undefined {
  const reopenings = targets
    .map((target) => state.providerReopensAt(target.provider))
    .filter((at): at is number => at !== undefined);
  if (reopenings.length === 0) return undefined;
  return Math.max(0, Math.min(...reopenings) - state.now());
}

function statusOf(result: AttemptFailure): number {
  return result.failure === "http" ? result.status : 0;
}

function recordOf(
  target: Target,
  key: ProviderKey | undefined,
  status: number,
  outcome: string,
  latencyMs: number,
): AttemptRecord {
  return {
    provider: target.provider.name,
    model: target.model,
    keyLabel: key?.label ?? null,
    status,
    outcome,
    latencyMs,
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw clientClosed();
}

function clientClosed(): GatewayError {
  return new GatewayError({
    kind: "api_error",
    status: CLIENT_CLOSED_STATUS,
    message: "The client closed the request",
    code: "client_closed_request",
  });
}
