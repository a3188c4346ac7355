/**
 * The limit algorithm, shared by the memory limiter and (mirrored in Lua) the Redis one.
 *
 * GCRA in its leaky-bucket form: a key's `level` (requests or tokens used) drains continuously at
 * `limit` per minute. A request of `cost` is admitted when `level + cost ≤ limit`, which allows
 * a burst of `limit` after a quiet minute and then a steady `limit` per minute, with no window
 * edges. Costs above the limit are capped at it, so an oversized request is admitted (only) when
 * the bucket is empty instead of never.
 */

export const PERIOD_MS = 60_000;
// Float slack for drain arithmetic; far below one unit of any limit.
const EPSILON = 1e-9;

export interface BucketState {
  level: number;
  /** Epoch ms of the last update. */
  at: number;
}

export interface BucketCheck {
  allowed: boolean;
  /** Level after this request (unchanged when refused). */
  level: number;
  /** Whole units left after this request. */
  remaining: number;
  /** Until the bucket is empty again. */
  resetMs: number;
  /** Until this request would fit; 0 when allowed. */
  retryAfterMs: number;
}

/** Level of a bucket at `now`, after draining since its last update. */
export function drainBucket(state: BucketState | undefined, limit: number, now: number): number {
  if (!state) return 0;
  const elapsed = Math.max(0, now - state.at);
  return Math.max(0, state.level - (elapsed * limit) / PERIOD_MS);
}

/** Would `cost` fit into a bucket at `level`? Pure; the caller commits `level` when allowed. */
export function checkBucket(level: number, limit: number, cost: number): BucketCheck {
  const charged = Math.min(cost, limit);
  const after = level + charged;
  if (after <= limit + EPSILON) {
    return {
      allowed: true,
      level: after,
      remaining: Math.max(0, Math.floor(limit - after + EPSILON)),
      resetMs: Math.ceil((after * PERIOD_MS) / limit),
      retryAfterMs: 0,
    };
  }
  return {
    allowed: false,
    level,
    remaining: Math.max(0, Math.floor(limit - level + EPSILON)),
    resetMs: Math.ceil((level * PERIOD_MS) / limit),
    retryAfterMs: Math.ceil(((after - limit) * PERIOD_MS) / limit),
  };
}

/** OpenAI's reset format: `20ms`, `1s`, `8.64s`, `6m0s`. */
export function formatResetDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const minutes = Math.floor(whole / 60_000);
  const seconds = (whole % 60_000) / 1000;
  const s = `${Number(seconds.toFixed(3))}s`;
  return minutes > 0 ? `${minutes}m${s}` : s;
}

export interface LimitFigures {
  rpm?: { limit: number; remaining: number; resetMs: number };
  tpm?: { limit: number; remaining: number; resetMs: number };
}

/** `x-ratelimit-*` headers (OpenAI's names) for the limits a key has. */
export function toRateLimitHeaders(figures: LimitFigures): Record<string, string> {
  const headers: Record<string, string> = {};
  if (figures.rpm) {
    headers["x-ratelimit-limit-requests"] = String(figures.rpm.limit);
    headers["x-ratelimit-remaining-requests"] = String(figures.rpm.remaining);
    headers["x-ratelimit-reset-requests"] = formatResetDuration(figures.rpm.resetMs);
  }
  if (figures.tpm) {
    headers["x-ratelimit-limit-tokens"] = String(figures.tpm.limit);
    headers["x-ratelimit-remaining-tokens"] = String(figures.tpm.remaining);
    headers["x-ratelimit-reset-tokens"] = formatResetDuration(figures.tpm.resetMs);
  }
  return headers;
}

export type RefusalReason = "rpm" | "tpm" | "concurrency";

/** The client-facing explanation of a refusal (names the key, never its secret). */
export function toRefusalMessage(
  keyName: string,
  reason: RefusalReason,
  limit: number,
  retryAfterSeconds: number,
): string {
  const what =
    reason === "rpm"
      ? `${limit} requests per minute`
      : reason === "tpm"
        ? `${limit} tokens per minute`
        : `${limit} concurrent requests`;
  return `Rate limit reached for key '${keyName}': ${what}. Please retry after ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`;
}

/** Retry-After in whole seconds, at least 1. */
export function toRetryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
