import type { ModelRoute, ResolvedConfig, ResolvedProvider, UsageStoreConfig } from "../config/types.ts";
import { redactUrl } from "../log/redact-url.ts";
import { PROVIDER_KINDS } from "../providers/provider-kinds.ts";
import { describeCatalog } from "./describe-catalog.ts";

/**
 * The human-readable `switchboard check` report: what the gateway will do with this config.
 * Never prints a secret: provider keys are counted, gateway keys named, header values and
 * URL passwords hidden.
 */
export function describeConfig(config: ResolvedConfig): string {
  const lines: string[] = [];
  lines.push(`Config: ${config.source ?? "none (zero-config mode, providers from environment variables)"}`);

  const s = config.server;
  lines.push(
    `Server: ${s.host}:${s.port}, body limit ${formatSize(s.bodyLimit)}, JSON depth ${s.jsonDepth}` +
      `, idle timeout ${formatDuration(s.idleTimeoutMs)}, read timeout ${formatDuration(s.readTimeoutMs)}` +
      `, drain timeout ${formatDuration(s.drainTimeoutMs)}` +
      (s.drainDelayMs > 0 ? `, drain delay ${formatDuration(s.drainDelayMs)}` : "") +
      `, debug ${onOff(s.debug)}, public metrics ${onOff(s.publicMetrics)}`,
  );

  const auth = config.auth;
  const authState =
    auth.masterKeySha256 === undefined && auth.keys.length === 0
      ? "open (no master key, no keys)"
      : `master key ${auth.masterKeySha256 === undefined ? "not set" : "set"}, ${plural(auth.keys.length, "key")}`;
  lines.push(`Auth: ${authState}`);
  for (const key of auth.keys) {
    const limits = [
      key.rpm === undefined ? "" : `${key.rpm} rpm`,
      key.tpm === undefined ? "" : `${key.tpm} tpm`,
      key.maxConcurrent === undefined ? "" : `${key.maxConcurrent} concurrent`,
    ].filter(Boolean);
    const models = key.models === undefined ? "all models" : `models ${key.models.join(", ")}`;
    lines.push(`  ${key.name}: ${models}${limits.length ? `; ${limits.join(", ")}` : ""}`);
  }

  lines.push(`Providers (${config.providers.length}):`);
  if (config.providers.length === 0) lines.push("  none: every model request will answer 404");
  for (const p of config.providers) lines.push(...describeProvider(p));

  lines.push(`Models (${config.models.size}):`);
  for (const route of config.models.values()) lines.push(`  ${route.name} -> ${describeRoute(route)}`);
  lines.push(...describeCatalog(config));

  const r = config.routing;
  lines.push(
    `Routing: ${plural(r.retries, "retry", "retries")} per target, backoff ${formatDuration(r.retryBackoffMs)}` +
      `, Retry-After honoured up to ${formatDuration(r.retryAfterCapMs)}`,
  );
  lines.push(`  fallback on: ${describeFallbackOn(r.fallbackOn).join(", ") || "nothing"}`);
  lines.push(
    `  circuit breaker: ${
      r.circuitBreaker.failures === 0
        ? "off"
        : `opens after ${plural(r.circuitBreaker.failures, "failure")}, cooldown ${formatDuration(r.circuitBreaker.cooldownMs)}`
    }`,
  );
  lines.push(`  stream idle timeout: ${formatDuration(r.streamIdleTimeoutMs)}`);

  const u = config.usage;
  lines.push(
    `Usage: store ${describeStore(u.store)}, body logging ${u.logBodies ? `on (up to ${formatSize(u.bodyLogLimit)})` : "off"}` +
      `, ${plural(Object.keys(u.prices).length, "price override")}`,
  );
  lines.push(`Limits: store ${redactUrl(config.limits.store)}`);
  lines.push(`Responses: ${describeResponsesState(config)}`);

  if (config.warnings?.length) {
    lines.push("Warnings:");
    for (const warning of config.warnings) lines.push(`  ${warning}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The same facts as a JSON-able object for the start-up log line; no secrets. */
export function configSummary(config: ResolvedConfig): Record<string, unknown> {
  return {
    source: config.source,
    server: { ...config.server },
    auth: {
      masterKey: config.auth.masterKeySha256 !== undefined,
      keys: config.auth.keys.map((k) => ({
        name: k.name,
        models: k.models ?? null,
        rpm: k.rpm ?? null,
        tpm: k.tpm ?? null,
        maxConcurrent: k.maxConcurrent ?? null,
      })),
    },
    providers: config.providers.map((p) => ({
      name: p.name,
      type: p.type,
      preset: p.preset ?? null,
      baseUrl: redactUrl(p.baseUrl),
      keys: p.keys.length,
      models: p.models,
      modelPrefixes: p.modelPrefixes,
      timeoutMs: p.timeoutMs,
      stallTimeoutMs: p.stallTimeoutMs ?? null,
      headers: Object.keys(p.headers),
      responses: p.responsesModels ?? [],
      // The cloud types' own settings (region, project, deployments, …), never a credential.
      ...(PROVIDER_KINDS[p.type].describe ? { settings: PROVIDER_KINDS[p.type].describe?.(p) } : {}),
    })),
    models: [...config.models.values()].map((m) => ({
      name: m.name,
      strategy: m.strategy,
      targets: m.targets,
    })),
    routing: {
      retries: config.routing.retries,
      retryBackoffMs: config.routing.retryBackoffMs,
      retryAfterCapMs: config.routing.retryAfterCapMs,
      fallbackOn: describeFallbackOn(config.routing.fallbackOn),
      circuitBreaker: { ...config.routing.circuitBreaker },
      streamIdleTimeoutMs: config.routing.streamIdleTimeoutMs,
    },
    usage: {
      store: describeStore(config.usage.store),
      logBodies: config.usage.logBodies,
      bodyLogLimit: config.usage.bodyLogLimit,
      pricedModels: Object.keys(config.usage.prices),
    },
    limits: {
      store: redactUrl(config.limits.store),
      timeoutMs: config.limits.timeoutMs,
      onStoreFailure: config.limits.onStoreFailure,
      lease: config.limits.lease,
    },
    responses: {
      // State lives in the usage store's database: none when that is off.
      state: config.usage.store.kind !== "off",
      retentionMs: config.responses.retentionMs,
    },
    warnings: config.warnings ?? [],
  };
}

function describeProvider(p: ResolvedProvider): string[] {
  const kind = p.preset && p.preset !== p.name ? `${p.type}, preset ${p.preset}` : p.type;
  const lines = [
    `  ${p.name} (${kind}): ${redactUrl(p.baseUrl)}, ${p.keys.length === 0 ? "no key" : plural(p.keys.length, "key")}` +
      `, timeout ${formatDuration(p.timeoutMs)}` +
      (p.stallTimeoutMs === undefined ? "" : `, stall timeout ${formatDuration(p.stallTimeoutMs)}`),
  ];
  if (p.models.length) lines.push(`    models: ${p.models.join(", ")}`);
  if (p.modelPrefixes.length) lines.push(`    claims bare ids starting with: ${p.modelPrefixes.join(", ")}`);
  // OpenAI-type only (config resolution refuses `responses:` elsewhere): which models go to /responses.
  const responses = p.responsesModels ?? [];
  if (responses.length) {
    const every = responses.includes("*");
    lines.push(`    responses: ${every ? "every model" : responses.join(", ")}`);
  }
  const headers = Object.keys(p.headers);
  if (headers.length) lines.push(`    extra headers: ${headers.join(", ")}`);
  for (const setting of PROVIDER_KINDS[p.type].describe?.(p) ?? []) lines.push(`    ${setting}`);
  return lines;
}

/** Where translated Responses answers are kept for `previous_response_id`, and for how long. */
function describeResponsesState(config: ResolvedConfig): string {
  if (config.usage.store.kind === "off")
    return "no state kept (usage store off): previous_response_id reaches Responses upstreams only";
  return `translated answers kept for ${formatDuration(config.responses.retentionMs)} (previous_response_id, GET/DELETE /v1/responses/{id})`;
}

/** `fast -> gpt-4o-mini, then claude-haiku`: a route's targets as `check` prints them. */
export function describeRoute(route: ModelRoute): string {
  if (route.targets.length === 1 && route.strategy === "ordered") return route.targets[0].model;
  const targets =
    route.strategy === "ordered"
      ? route.targets.map((t) => t.model).join(", then ")
      : route.targets.map((t) => `${t.model} (weight ${t.weight})`).join(", ");
  return `${route.strategy}: ${targets}`;
}

function describeFallbackOn(f: ResolvedConfig["routing"]["fallbackOn"]): string[] {
  return [
    ...[...f.statuses].sort((a, b) => a - b).map(String),
    ...(f.any5xx ? ["5xx"] : []),
    ...(f.timeout ? ["timeout"] : []),
    ...(f.network ? ["network"] : []),
  ];
}

function describeStore(store: UsageStoreConfig): string {
  if (store.kind === "off") return "off";
  if (store.kind === "sqlite") return `sqlite:${store.path}`;
  return redactUrl(store.url);
}

/** `250ms`, `30s`, `2m`, `1h`, `1.5s`: the way the config spells it. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0 || ms >= 1000) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `10 MiB`, `512 KiB`, `100 B`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${unit}`;
  }
  return `${bytes} B`;
}

function onOff(flag: boolean): string {
  return flag ? "on" : "off";
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
