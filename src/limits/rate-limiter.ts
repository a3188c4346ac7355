import type { ResolvedConfig } from "../config/types.ts";
import type { RateLimiter } from "./limit-decision.ts";
import { MemoryRateLimiter } from "./memory-limiter.ts";
import { RedisRateLimiter } from "./redis-limiter.ts";

export { hasLimits, type LimitDecision, type RateLimiter, UNLIMITED } from "./limit-decision.ts";

/** Memory unless `limits.store` is a `redis://`/`rediss://` URL. */
export function createRateLimiter(config: ResolvedConfig): RateLimiter {
  const store = config.limits.store;
  if (/^(redis|rediss|valkey|valkeys):\/\//i.test(store)) return new RedisRateLimiter(store);
  return new MemoryRateLimiter();
}
