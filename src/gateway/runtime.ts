import { waitAtMost } from "../async/with-timeout.ts";
import { buildKeyIndex, type KeyIndex } from "../auth/authenticate.ts";
import type { ResolvedConfig } from "../config/types.ts";
import type { RateLimiter } from "../limits/rate-limiter.ts";
import { createRateLimiter, limitsStoreKind } from "../limits/rate-limiter.ts";
import type { Logger } from "../log/logger.ts";
import { GatewayMetrics } from "../metrics/metrics.ts";
import { LiveFeed } from "../observe/live-feed.ts";
import { reasonOf, type StoreChangeListener, StoreHealth, type StoreName } from "../observe/store-health.ts";
import { RoutingState } from "../routing/routing-state.ts";
import { isResponseStateStore, type ResponseStateStore } from "../usage/response-state-store.ts";
import { UsageRecorder } from "../usage/usage-recorder.ts";
import type { UsageSpool } from "../usage/usage-spool.ts";
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
  /** Whether each shared store answers; changes are logged once each (see logStoreChange). */
  stores: { limits: StoreHealth; usage: StoreHealth | null };
  logger: Logger;
  /** True once SIGTERM arrived: /ready answers 503, new requests still finish. */
  draining: boolean;
  /** Lifts the connection idle timeout for a request whose answer may be silent for long; set by start.ts. */
  holdOpen?: (request: Request) => void;
  /** Puts the idle timeout back once that answer is (nearly) written; set by start.ts. */
  releaseHold?: (request: Request) => void;
  /** Requests (and streams) still in progress, for the drain. */
  inFlight: number;
  /**
   * Requests started since the process began: the generation requests, and the docs and console
   * pages, whose first visit builds much that is then garbage (the idle collector watches it move).
   */
  requestsStarted: number;
  /** The same requests, so the drain deadline can record each one still running. */
  active: Set<RequestContext>;
  /** Finished requests for the console's Live page; fed only while someone is subscribed. */
  live: LiveFeed;
  /** Epoch ms when the process started serving (the console's uptime). */
  startedAt: number;
  /** The last SIGHUP reload and how it went; null until the first one. */
  lastReload: { at: number; ok: boolean; problems?: string[] } | null;
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
  const onChange = logStoreChange(options.logger);
  const usageHealth =
    config.usage.store.kind === "off" && !options.usageStore
      ? null
      : new StoreHealth("usage", config.usage.store.kind, onChange);
  const usageStore =
    options.usageStore !== undefined
      ? options.usageStore
      : await openUsageStoreToServe(config, usageHealth, options.logger);
  const responseStates = isResponseStateStore(usageStore) ? usageStore : null;
  const limitsHealth = newLimitsHealth(config, onChange);
  const spool = usageStore && config.usage.spool ? openSpool(config.usage.spool, options.logger) : undefined;
  return {
    version: options.version,
    config,
    keyIndex: buildKeyIndex(config),
    routing: new RoutingState(config, options.random ? { random: options.random } : undefined),
    limiter: options.limiter ?? createRateLimiter(config, limitsHealth),
    metrics: new GatewayMetrics(),
    usageStore,
    responseStates,
    stateSweeper: responseStates ? sweepExpiredResponses(responseStates, options.logger) : null,
    usage: new UsageRecorder(usageStore, {
      health: usageHealth ?? undefined,
      spool,
      writeTimeoutMs: config.usage.writeTimeoutMs,
      log: (msg, fields) => options.logger.info(msg, fields),
    }),
    stores: { limits: limitsHealth, usage: usageStore ? usageHealth : null },
    logger: options.logger,
    draining: false,
    inFlight: 0,
    requestsStarted: 0,
    active: new Set(),
    live: new LiveFeed(),
    startedAt: Date.now(),
    lastReload: null,
  };
}

/** Swaps in a reloaded config; breaker and balancing state carry over (see RoutingState.updateConfig). */
export function applyConfig(runtime: GatewayRuntime, config: ResolvedConfig): void {
  const before = runtime.config.limits;
  // Another store, or another Redis setting: a new limiter (Redis keeps the counts).
  const limitsStoreChanged =
    config.limits.store !== before.store ||
    (limitsStoreKind(config.limits.store) === "redis" &&
      (config.limits.timeoutMs !== before.timeoutMs ||
        config.limits.onStoreFailure !== before.onStoreFailure ||
        config.limits.lease !== before.lease));
  runtime.config = config;
  runtime.keyIndex = buildKeyIndex(config);
  runtime.routing.updateConfig(config);
  if (limitsStoreChanged) {
    const old = runtime.limiter;
    const health = newLimitsHealth(config, logStoreChange(runtime.logger));
    runtime.stores.limits = health;
    runtime.limiter = createRateLimiter(config, health);
    void old.close();
  }
}

/**
 * Stops background work and flushes buffered usage records (the end of a drain). Requests still
 * making their row (a stream whose last bytes are on their way) are waited for, up to `settleMs`;
 * any still running then is recorded as at the drain deadline, so the recorder closes only after
 * the last row is in.
 */
export async function closeRuntime(runtime: GatewayRuntime, settleMs = 2000): Promise<void> {
  if (runtime.stateSweeper) clearInterval(runtime.stateSweeper);
  const deadline = Date.now() + settleMs;
  while (runtime.active.size > 0 && Date.now() < deadline) await Bun.sleep(2);
  for (const ctx of [...runtime.active]) ctx.finishAtDrainDeadline();
  await runtime.usage.close();
  await runtime.limiter.close();
  await runtime.usageStore?.close();
}

/**
 * The configured usage store, for `serve`. A PostgreSQL store with a spool is opened in the
 * background when it does not answer within a moment, so the gateway starts (rows wait in the
 * spool); one whose schema is behind stops the start, naming `switchboard migrate`.
 */
async function openUsageStoreToServe(
  config: ResolvedConfig,
  health: StoreHealth | null,
  logger: Logger,
): Promise<UsageStore | null> {
  const store = config.usage.store;
  if (store.kind !== "postgres" || !config.usage.spool) return openUsageStore(store);
  const [{ PostgresUsageStore }, { DeferredUsageStore }] = await Promise.all([
    import("../usage/postgres-store.ts"),
    import("../usage/deferred-store.ts"),
  ]);
  const deferred = new DeferredUsageStore(() => PostgresUsageStore.open(store.url), {
    onOpen: () => health?.markUp(),
    onOpenFailure: (error) => health?.markDown(reasonOf(error)),
  });
  await waitAtMost(deferred.firstAttempt, 2000);
  if (deferred.schemaBehind) {
    await deferred.close();
    throw deferred.failure;
  }
  if (deferred.failure) {
    health?.markDown(`not connected at start: ${reasonOf(deferred.failure)}`);
    logger.warn("usage store not reachable at start; serving, with rows kept in the spool", {
      spool: config.usage.spool.path,
    });
  }
  return deferred;
}

function openSpool(spool: { path: string; maxBytes: number }, logger: Logger): UsageSpool | undefined {
  // Loaded only when a spool is configured (with a PostgreSQL store); outside the `try`, so that a
  // module that cannot load stops the start instead of passing for a spool file that cannot open.
  const { UsageSpool } = require("../usage/usage-spool.ts") as typeof import("../usage/usage-spool.ts");
  try {
    return new UsageSpool(spool.path, spool.maxBytes);
  } catch (error) {
    // Without its spool the recorder still works, in memory, as before.
    logger.error("usage spool cannot be opened; rows are buffered in memory only", {
      path: spool.path,
      error: reasonOf(error),
    });
    return undefined;
  }
}

/** Redis starts `connecting` (decided as when down, not logged as down until a probe fails). */
function newLimitsHealth(config: ResolvedConfig, onChange: StoreChangeListener): StoreHealth {
  const kind = limitsStoreKind(config.limits.store);
  return new StoreHealth("limits", kind, onChange, kind === "redis" ? "connecting" : "up");
}

/** One log line per change of a store's state: down (warn, with why and the effect), back (info). */
function logStoreChange(logger: Logger): StoreChangeListener {
  const effect: Record<StoreName, string> = {
    limits: "requests are decided by limits.on_store_failure until it answers",
    usage: "usage rows are kept and written when it answers",
  };
  return (store, view, was) => {
    if (view.state === "down") {
      logger.warn(`${store} store down`, {
        store,
        kind: view.kind,
        reason: view.reason,
        effect: effect[store],
      });
    } else if (was === "down") {
      logger.info(`${store} store back`, { store, kind: view.kind, fallbacks: view.fallbacks });
    } else {
      logger.info(`${store} store connected`, { store, kind: view.kind });
    }
  };
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
