import { buildKeyIndex, type KeyIndex } from "../auth/authenticate.ts";
import type { ResolvedConfig } from "../config/types.ts";
import type { RateLimiter } from "../limits/rate-limiter.ts";
import { createRateLimiter } from "../limits/rate-limiter.ts";
import type { Logger } from "../log/logger.ts";
import { GatewayMetrics } from "../metrics/metrics.ts";
import { RoutingState } from "../routing/routing-state.ts";
import { isResponseStateStore, type ResponseStateStore } from "../usage/response-state-store.ts";
import { UsageRecorder } from "../usage/usage-recorder.ts";
import { openUsageStore, type UsageStore } from "../usage/usage-store.ts";
import type { RequestContext } from "./request-context.ts";

/**
 * Everything a request needs besides itself. One object for the life of the process; a SIGHUP
 * reload swaps its config-derived parts in place (see applyConfig), so in-flight requests keep
 * the references they started with.
 */
export interface GatewayRuntime {
  version: string;
  config: ResolvedConfig;
  keyIndex: KeyIndex;
  routing: RoutingState;
  limiter: RateLimiter;
  metrics: GatewayMetrics;
  usageStore: UsageStore | null;
  /** Responses API state (the usage store's database); null when the store is off. */
  responseStates: ResponseStateStore | null;
  /** Hourly removal of responses past their retention. */
  stateSweeper: ReturnType<typeof setInterval> | null;
  usage: UsageRecorder;
  logger: Logger;
  /** True once SIGTERM arrived: /ready answers 503, new requests still finish. */
  draining: boolean;
  /** Lifts the connection idle timeout for a request whose answer may be silent for long; set by start.ts. */
  holdOpen?: (request: Request) => void;
  /** Puts the idle timeout back once that answer is (nearly) written; set by start.ts. */
  releaseHold?: (request: Request) => void;
  /** Requests (and streams) still in progress, for the drain. */
  inFlight: number;
  /** Requests started since the process began (the idle collector watches it move). */
  requestsStarted: number;
  /** The same requests, so the drain deadline can record each one still running. */
  active: Set<RequestContext>;
}

export interface RuntimeOptions {
  version: string;
  logger: Logger;
  /** Tests pass a store (or null) instead of opening the configured one. */
  usageStore?: UsageStore | null;
  limiter?: RateLimiter;
  random?: () => number;
}

export async function createRuntime(
  config: ResolvedConfig,
  options: RuntimeOptions,
): Promise<GatewayRuntime> {
  const usageStore =
    options.usageStore !== undefined ? options.usageStore : await openUsageStore(config.usage.store);
  const responseStates = isResponseStateStore(usageStore) ? usageStore : null;
  return {
    version: options.version,
    config,
    keyIndex: buildKeyIndex(config),
    routing: new RoutingState(config, options.random ? { random: options.random } : undefined),
    limiter: options.limiter ?? createRateLimiter(config),
    metrics: new GatewayMetrics(),
    usageStore,
    responseStates,
    stateSweeper: responseStates ? sweepExpiredResponses(responseStates, options.logger) : null,
    usage: new UsageRecorder(usageStore),
    logger: options.logger,
    draining: false,
    inFlight: 0,
    requestsStarted: 0,
    active: new Set(),
  };
}

/** Swaps in a reloaded config; breaker and balancing state carry over (see RoutingState.updateConfig). */
export function applyConfig(runtime: GatewayRuntime, config: ResolvedConfig): void {
  const limitsStoreChanged = config.limits.store !== runtime.config.limits.store;
  runtime.config = config;
  runtime.keyIndex = buildKeyIndex(config);
  runtime.routing.updateConfig(config);
  if (limitsStoreChanged) {
    const old = runtime.limiter;
    runtime.limiter = createRateLimiter(config);
    void old.close();
  }
}

/** Stops background work and flushes buffered usage records (the end of a drain). */
export async function closeRuntime(runtime: GatewayRuntime): Promise<void> {
  if (runtime.stateSweeper) clearInterval(runtime.stateSweeper);
  await runtime.usage.close();
  await runtime.limiter.close();
  await runtime.usageStore?.close();
}

/** Removes expired Responses state now and every hour after (reads already ignore it). */
function sweepExpiredResponses(states: ResponseStateStore, logger: Logger): ReturnType<typeof setInterval> {
  const sweep = () => {
    states.deleteExpiredResponses(Date.now()).catch((error: unknown) =>
      logger.warn("expired responses not removed", {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  };
  setTimeout(sweep, 0).unref?.();
  const timer = setInterval(sweep, 3_600_000);
  timer.unref?.();
  return timer;
}
