import type { GatewayKey } from "../config/types.ts";

/**
 * The outcome of a key's limit check. When allowed, the caller must call release() exactly once
 * when the request is over (stream end included) with the tokens the upstream really used:
 * it frees the concurrency slot and charges `actual − estimate` to the key's tpm.
 */
export type LimitDecision =
  | { allowed: true; headers: Record<string, string>; release(actualTokens: number): void }
  | {
      allowed: false;
      retryAfterSeconds: number;
      headers: Record<string, string>;
      message: string;
      /** 503 when the limits could not be checked (`on_store_failure: closed`); 429 otherwise. */
      status?: 429 | 503;
    };

/** Per-key rpm, tpm and maxConcurrent; memory (one instance) or Redis (shared by instances). */
export interface RateLimiter {
  acquire(key: GatewayKey, estimatedTokens: number): Promise<LimitDecision>;
  /** Resolves once a shared store's first connection attempt is over, whichever way it went. */
  ready?(): Promise<void>;
  close(): Promise<void>;
}

/** True when the key has any limit at all (keys without limits skip the limiter entirely). */
export function hasLimits(key: GatewayKey): boolean {
  return Boolean(key.rpm || key.tpm || key.maxConcurrent);
}

const noop = (): void => {};

/** The decision for a key without limits: shared, allocation-free. */
export const UNLIMITED: LimitDecision = Object.freeze({
  allowed: true,
  headers: Object.freeze({}),
  release: noop,
});
