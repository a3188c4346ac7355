import type { ModelRoute, ResolvedConfig, ResolvedProvider } from "../../src/config/types.ts";

/** A provider with test defaults; `keys` given as labels (secret = `secret-<label>`, weight 1). */
export function makeProvider(
  name: string,
  options: Partial<Omit<ResolvedProvider, "keys">> & {
    keys?: Array<string | { label: string; weight: number }>;
  } = {},
): ResolvedProvider {
  const { keys = [], ...rest } = options;
  return {
    name,
    type: "openai",
    baseUrl: `http://127.0.0.1:1/${name}`,
    models: [],
    modelPrefixes: [],
    timeoutMs: 1_000,
    headers: {},
    ...rest,
    keys: keys.map((key) =>
      typeof key === "string"
        ? { label: key, secret: `secret-${key}`, weight: 1 }
        : { label: key.label, secret: `secret-${key.label}`, weight: key.weight },
    ),
  };
}

export function makeRoute(
  name: string,
  targets: Array<string | { model: string; weight: number }>,
  strategy: ModelRoute["strategy"] = "ordered",
): ModelRoute {
  return {
    name,
    strategy,
    targets: targets.map((target) => (typeof target === "string" ? { model: target, weight: 1 } : target)),
  };
}

export function makeConfig(
  providers: ResolvedProvider[],
  routes: ModelRoute[] = [],
  routing: Partial<ResolvedConfig["routing"]> = {},
): ResolvedConfig {
  return {
    source: null,
    server: {
      host: "127.0.0.1",
      port: 0,
      bodyLimit: 10 * 1024 * 1024,
      jsonDepth: 128,
      idleTimeoutMs: 60_000,
      readTimeoutMs: 30_000,
      drainTimeoutMs: 30_000,
      drainDelayMs: 0,
      debug: false,
      publicMetrics: false,
      console: true,
    },
    auth: { keys: [] },
    providers,
    models: new Map(routes.map((route) => [route.name, route])),
    catalog: new Map(),
    routing: {
      retries: 2,
      retryBackoffMs: 250,
      retryAfterCapMs: 10_000,
      fallbackOn: { statuses: new Set([429]), any5xx: true, timeout: true, network: true },
      circuitBreaker: { failures: 5, cooldownMs: 30_000 },
      streamIdleTimeoutMs: 60_000,
      providerFallback: true,
      ...routing,
    },
    usage: { store: { kind: "off" }, prices: {}, logBodies: false, bodyLogLimit: 0, writeTimeoutMs: 10_000 },
    limits: { store: "memory", timeoutMs: 50, onStoreFailure: "local", lease: 0.01 },
    responses: { retentionMs: 7 * 24 * 3_600_000 },
  };
}

/** Short form of a target list for assertions: `provider/model`. */
export function describeTargets(targets: Array<{ provider: { name: string }; model: string }>): string[] {
  return targets.map((target) => `${target.provider.name}/${target.model}`);
}
