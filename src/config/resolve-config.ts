import { isAbsolute, resolve } from "node:path";
import { toBytes, toDurationMs, toFlag, toNumber, toWholeNumber } from "./coerce.ts";
import { DEFAULTS } from "./defaults.ts";
import type { Env } from "./expand-env.ts";
import { parseLimitsStore, parseUsageStore } from "./parse-store-url.ts";
import type { ProblemList } from "./problem-list.ts";
import { resolveAuth } from "./resolve-auth.ts";
import { resolveCatalog } from "./resolve-catalog.ts";
import { resolveModels } from "./resolve-models.ts";
import { resolveProviders } from "./resolve-providers.ts";
import type { RawConfig } from "./schema.ts";
import type { ModelPrice, ResolvedConfig, UsageStoreConfig } from "./types.ts";

export interface ResolveOptions {
  /** Absolute path of the config file; null in zero-config mode. */
  source: string | null;
  /** Folder relative store paths are resolved against. */
  baseDir: string;
  env: Env;
}

/**
 * Turns a schema-valid raw config into the ResolvedConfig the gateway reads: defaults filled
 * in, durations in ms, sizes in bytes, presets applied, keys hashed, cross-references checked.
 * Problems go to `problems`; the result is only meaningful when none were recorded.
 */
export function resolveConfig(
  raw: RawConfig,
  options: ResolveOptions,
  problems: ProblemList,
): ResolvedConfig {
  const server = raw.server ?? {};
  const routing = raw.routing ?? {};
  const usage = raw.usage ?? {};
  const providers = resolveProviders(raw.providers, options.env, problems);
  const catalog = resolveCatalog(raw.catalog, providers, problems);

  const config: ResolvedConfig = {
    source: options.source,
    server: {
      host: server.host ?? DEFAULTS.host,
      port: toWholeNumber(server.port, DEFAULTS.port, { min: 0, max: 65535 }, problems, ["server", "port"]),
      bodyLimit: toBytes(server.body_limit, DEFAULTS.bodyLimit, problems, ["server", "body_limit"]),
      idleTimeoutMs: toDurationMs(server.idle_timeout, DEFAULTS.idleTimeoutMs, problems, [
        "server",
        "idle_timeout",
      ]),
      readTimeoutMs: toDurationMs(server.read_timeout, DEFAULTS.readTimeoutMs, problems, [
        "server",
        "read_timeout",
      ]),
      jsonDepth: toWholeNumber(server.json_depth, DEFAULTS.jsonDepth, { min: 1, max: 10_000 }, problems, [
        "server",
        "json_depth",
      ]),
      drainTimeoutMs: toDurationMs(server.drain_timeout, DEFAULTS.drainTimeoutMs, problems, [
        "server",
        "drain_timeout",
      ]),
      drainDelayMs: toDurationMs(server.drain_delay, DEFAULTS.drainDelayMs, problems, [
        "server",
        "drain_delay",
      ]),
      debug: toFlag(server.debug, false),
      publicMetrics: toFlag(server.public_metrics, false),
      console: toFlag(server.console, true),
    },
    auth: resolveAuth(raw.auth, problems),
    providers,
    models: resolveModels(raw.models, providers, problems, catalog),
    catalog,
    routing: {
      retries: toWholeNumber(routing.retries, DEFAULTS.retries, { min: 0, max: 10 }, problems, [
        "routing",
        "retries",
      ]),
      retryBackoffMs: toDurationMs(routing.retry_backoff, DEFAULTS.retryBackoffMs, problems, [
        "routing",
        "retry_backoff",
      ]),
      retryAfterCapMs: toDurationMs(routing.retry_after_cap, DEFAULTS.retryAfterCapMs, problems, [
        "routing",
        "retry_after_cap",
      ]),
      fallbackOn: resolveFallbackOn(routing.fallback_on ?? DEFAULTS.fallbackOn),
      circuitBreaker: {
        failures: toWholeNumber(
          routing.circuit_breaker?.failures,
          DEFAULTS.circuitBreakerFailures,
          { min: 0 },
          problems,
          ["routing", "circuit_breaker", "failures"],
        ),
        cooldownMs: toDurationMs(
          routing.circuit_breaker?.cooldown,
          DEFAULTS.circuitBreakerCooldownMs,
          problems,
          ["routing", "circuit_breaker", "cooldown"],
        ),
      },
      streamIdleTimeoutMs: toDurationMs(routing.stream_idle_timeout, DEFAULTS.streamIdleTimeoutMs, problems, [
        "routing",
        "stream_idle_timeout",
      ]),
      providerFallback: toFlag(routing.provider_fallback, DEFAULTS.providerFallback),
    },
    usage: {
      store: resolveUsageStore(usage.store ?? DEFAULTS.usageStore, options.baseDir, problems),
      prices: resolvePrices(usage.prices),
      logBodies: toFlag(usage.log_bodies, false),
      bodyLogLimit: toBytes(usage.body_log_limit, DEFAULTS.bodyLogLimit, problems, [
        "usage",
        "body_log_limit",
      ]),
      writeTimeoutMs: toDurationMs(usage.write_timeout, DEFAULTS.usageWriteTimeoutMs, problems, [
        "usage",
        "write_timeout",
      ]),
      ...resolveUsageSpool(usage, options.baseDir, problems),
    },
    limits: {
      store: resolveLimitsStore(raw.limits?.store ?? DEFAULTS.limitsStore, problems),
      timeoutMs: toDurationMs(raw.limits?.timeout, DEFAULTS.limitsTimeoutMs, problems, ["limits", "timeout"]),
      onStoreFailure: raw.limits?.on_store_failure ?? DEFAULTS.limitsOnStoreFailure,
      lease: raw.limits?.lease ?? DEFAULTS.limitsLease,
    },
    responses: {
      retentionMs: toDurationMs(raw.responses?.retention, DEFAULTS.responsesRetentionMs, problems, [
        "responses",
        "retention",
      ]),
    },
  };

  if (config.server.idleTimeoutMs > 255_000 || config.server.idleTimeoutMs < 1000) {
    problems.add(["server", "idle_timeout"], "must be between 1s and 255s (the runtime's limit)");
  }
  // A write can never finish in less: every row would be retried forever (or dropped).
  if (config.usage.writeTimeoutMs < 1000) {
    problems.add(["usage", "write_timeout"], "must be at least 1s");
  }
  if (providers.length === 0) {
    problems.warnWithoutLine(["providers"], "no providers configured: every model request will answer 404");
  }
  if (config.auth.masterKeySha256 === undefined && config.auth.keys.length === 0) {
    problems.warnWithoutLine(
      ["auth"],
      "no master key and no keys: the gateway is open to anyone who can reach it",
    );
  }
  if (problems.warnings.length > 0) config.warnings = [...problems.warnings];
  return config;
}

function resolveFallbackOn(entries: ReadonlyArray<number | string>): ResolvedConfig["routing"]["fallbackOn"] {
  const fallbackOn = { statuses: new Set<number>(), any5xx: false, timeout: false, network: false };
  for (const entry of entries) {
    if (entry === "5xx") fallbackOn.any5xx = true;
    else if (entry === "timeout") fallbackOn.timeout = true;
    else if (entry === "network") fallbackOn.network = true;
    else fallbackOn.statuses.add(Number(entry));
  }
  return fallbackOn;
}

function resolveUsageStore(text: string, baseDir: string, problems: ProblemList): UsageStoreConfig {
  const store = parseUsageStore(text, baseDir);
  if (store) return store;
  problems.add(
    ["usage", "store"],
    `expected off, sqlite:PATH or postgres://…, got ${problems.describe(["usage", "store"], text)}`,
  );
  return { kind: "off" };
}

/** The spool sits in front of a PostgreSQL store only (SQLite is already a local file). */
function resolveUsageSpool(
  usage: NonNullable<RawConfig["usage"]>,
  baseDir: string,
  problems: ProblemList,
): { spool?: { path: string; maxBytes: number } } {
  const text = (usage.spool ?? DEFAULTS.usageSpool).trim();
  const maxBytes = toBytes(usage.spool_limit, DEFAULTS.usageSpoolLimit, problems, ["usage", "spool_limit"]);
  if (text === "off" || !/^postgres(ql)?:\/\//.test((usage.store ?? "").trim())) return {};
  return { spool: { path: isAbsolute(text) ? text : resolve(baseDir, text), maxBytes } };
}

function resolveLimitsStore(text: string, problems: ProblemList): string {
  const store = parseLimitsStore(text);
  if (store) return store;
  problems.add(
    ["limits", "store"],
    `expected memory or redis://, rediss://, valkey://, valkeys://…, got ${problems.describe(["limits", "store"], text)}`,
  );
  return DEFAULTS.limitsStore;
}

function resolvePrices(raw: NonNullable<RawConfig["usage"]>["prices"]): Record<string, ModelPrice> {
  const prices: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(raw ?? {})) {
    const resolved: ModelPrice = { input: toNumber(price.input, 0), output: toNumber(price.output, 0) };
    if (price.cache_read !== undefined) resolved.cacheRead = toNumber(price.cache_read, 0);
    if (price.cache_write !== undefined) resolved.cacheWrite = toNumber(price.cache_write, 0);
    prices[model] = resolved;
  }
  return prices;
}
