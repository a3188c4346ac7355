import type { GatewayKey } from "../config/types.ts";
import {
  type BucketCheck,
  type BucketState,
  checkBucket,
  drainBucket,
  type RefusalReason,
  toRateLimitHeaders,
  toRefusalMessage,
  toRetryAfterSeconds,
} from "./gcra.ts";
import { hasLimits, type LimitDecision, type RateLimiter, UNLIMITED } from "./limit-decision.ts";

interface KeyState {
  requests?: BucketState;
  tokens?: BucketState;
  concurrent: number;
}

/**
 * Limits held in this process. Check and commit happen in one synchronous step, so concurrent
 * acquire() calls are exact (JavaScript runs them one at a time).
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly states = new Map<string, KeyState>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(key: GatewayKey, estimatedTokens: number): Promise<LimitDecision> {
    return this.acquireNow(key, estimatedTokens);
  }

  /** The synchronous core, also used by the Redis limiter as its fallback. */
  acquireNow(key: GatewayKey, estimatedTokens: number): LimitDecision {
    if (!hasLimits(key)) return UNLIMITED;
    const now = this.now();
    let state = this.states.get(key.name);
    if (!state) {
      state = { concurrent: 0 };
      this.states.set(key.name, state);
    }
    const estimate = Math.max(0, Math.ceil(estimatedTokens));
    const req: BucketCheck | null = key.rpm
      ? checkBucket(drainBucket(state.requests, key.rpm, now), key.rpm, 1)
      : null;
    const tok: BucketCheck | null = key.tpm
      ? checkBucket(drainBucket(state.tokens, key.tpm, now), key.tpm, estimate)
      : null;
    const headers = toRateLimitHeaders({
      rpm: req && key.rpm ? { limit: key.rpm, remaining: req.remaining, resetMs: req.resetMs } : undefined,
      tpm: tok && key.tpm ? { limit: key.tpm, remaining: tok.remaining, resetMs: tok.resetMs } : undefined,
    });

    let reason: RefusalReason | null = null;
    let limit = 0;
    let retryMs = 0;
    if (key.maxConcurrent && state.concurrent >= key.maxConcurrent) {
      // No way to know when a slot frees; 1 s is the smallest Retry-After there is.
      [reason, limit, retryMs] = ["concurrency", key.maxConcurrent, 1000];
    }
    if (req && !req.allowed && req.retryAfterMs >= retryMs)
      [reason, limit, retryMs] = ["rpm", key.rpm!, req.retryAfterMs];
    if (tok && !tok.allowed && tok.retryAfterMs >= retryMs)
      [reason, limit, retryMs] = ["tpm", key.tpm!, tok.retryAfterMs];
    if (reason) {
      const retryAfterSeconds = toRetryAfterSeconds(retryMs);
      headers["retry-after"] = String(retryAfterSeconds);
      return {
        allowed: false,
        retryAfterSeconds,
        headers,
        message: toRefusalMessage(key.name, reason, limit, retryAfterSeconds),
      };
    }

    if (req) state.requests = { level: req.level, at: now };
    if (tok) state.tokens = { level: tok.level, at: now };
    if (key.maxConcurrent) state.concurrent++;
    const charged = key.tpm ? Math.min(estimate, key.tpm) : 0;
    const held = state;
    let released = false;
    return {
      allowed: true,
      headers,
      release: (actualTokens: number) => {
        if (released) return;
        released = true;
        if (key.maxConcurrent) held.concurrent = Math.max(0, held.concurrent - 1);
        if (key.tpm) {
          const t = this.now();
          const actual = Number.isFinite(actualTokens) ? Math.max(0, actualTokens) : charged;
          const level = drainBucket(held.tokens, key.tpm, t) + (actual - charged);
          held.tokens = { level: Math.max(0, level), at: t };
        }
      },
    };
  }

  async close(): Promise<void> {
    this.states.clear();
  }
}
