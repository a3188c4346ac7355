import { isRedisUrl } from "../config/parse-store-url.ts";
import type { ResolvedConfig } from "../config/types.ts";
import type { StoreHealth } from "../observe/store-health.ts";
import type { RateLimiter } from "./limit-decision.ts";
import { MemoryRateLimiter } from "./memory-limiter.ts";

export { hasLimits, type LimitDecision, type RateLimiter, UNLIMITED } from "./limit-decision.ts";

/** The kind of store `limits.store` names, as /ready and the metrics show it. */
export function limitsStoreKind(store: string): "memory" | "redis" {
  return isRedisUrl(store) ? "redis" : "memory";
}

/** Memory unless `limits.store` is a `redis://`, `rediss://`, `valkey://` or `valkeys://` URL. */
export function createRateLimiter(config: ResolvedConfig, health?: StoreHealth): RateLimiter {
  const { store, timeoutMs, onStoreFailure, lease } = config.limits;
  if (isRedisUrl(store)) {
    // Evaluated only when configured: a gateway on the memory store never loads the Redis limiter
    // or its scripts (docs/performance.md, "Request schemas and codecs on first use").
    const { RedisRateLimiter } = require("./redis-limiter.ts") as typeof import("./redis-limiter.ts");
    return new RedisRateLimiter(store, { commandTimeoutMs: timeoutMs, onStoreFailure, health, lease });
  }
  return new MemoryRateLimiter();
}
