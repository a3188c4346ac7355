import { PRESETS } from "../providers/presets.ts";
import { PROVIDER_KINDS } from "../providers/provider-kinds.ts";
import { ConfigError } from "./config-error.ts";
import { DEFAULTS } from "./defaults.ts";
import type { Env } from "./expand-env.ts";
import { hashKey } from "./hash-key.ts";
import { parseUsageStore } from "./parse-store-url.ts";
import type { ResolvedConfig, ResolvedProvider, UsageStoreConfig } from "./types.ts";

/**
 * Zero-config mode (docs/configuration.md), used when no config file is found: every preset whose key
 * variable is set is enabled, local servers (Ollama, vLLM, LM Studio) by their base-URL
 * variable. `SWITCHBOARD_MASTER_KEY` protects the gateway; usage recording is off unless
 * `SWITCHBOARD_USAGE_STORE` names a store, since there is no config folder to put a database in.
 */
export function zeroConfig(env: Env): ResolvedConfig {
  const providers: ResolvedProvider[] = [];
  for (const preset of Object.values(PRESETS)) {
    const key = preset.keyEnv ? env[preset.keyEnv] : undefined;
    const baseUrlOverride = preset.baseUrlEnv ? env[preset.baseUrlEnv] : undefined;
    // Local servers need their URL variable; hosted ones need their key.
    if (preset.baseUrlEnv ? !baseUrlOverride : !key) continue;
    providers.push({
      name: preset.name,
      type: preset.type,
      baseUrl: baseUrlOverride ? toOpenAIBaseUrl(baseUrlOverride) : preset.baseUrl,
      keys: key ? [{ label: "key-1", secret: key, weight: 1 }] : [],
      models: [],
      modelPrefixes: [...preset.modelPrefixes],
      timeoutMs: DEFAULTS.providerTimeoutMs,
      headers: {},
      preset: preset.name,
      ...(preset.responsesModels ? { responsesModels: [...preset.responsesModels] } : {}),
      ...(preset.maxTokensField ? { maxTokensField: preset.maxTokensField } : {}),
    });
  }

  // The clouds (Azure, Vertex, Bedrock) from their usual environment variables.
  for (const kind of Object.values(PROVIDER_KINDS)) {
    const provider = kind.fromEnv?.(env, DEFAULTS.providerTimeoutMs);
    if (provider) providers.push(provider);
  }

  const warnings: string[] = [];
  if (providers.length === 0) {
    warnings.push(
      "no providers: set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY (or another provider's key variable), " +
        "OLLAMA_BASE_URL for a local Ollama, or write a switchboard.yaml (see docs/configuration.md)",
    );
  }
  const masterKey = env.SWITCHBOARD_MASTER_KEY;
  if (!masterKey) warnings.push("no SWITCHBOARD_MASTER_KEY: the gateway is open to anyone who can reach it");

  const config: ResolvedConfig = {
    source: null,
    server: {
      host: DEFAULTS.host,
      port: DEFAULTS.port,
      bodyLimit: DEFAULTS.bodyLimit,
      jsonDepth: DEFAULTS.jsonDepth,
      idleTimeoutMs: DEFAULTS.idleTimeoutMs,
      readTimeoutMs: DEFAULTS.readTimeoutMs,
      drainTimeoutMs: DEFAULTS.drainTimeoutMs,
      drainDelayMs: DEFAULTS.drainDelayMs,
      debug: false,
      publicMetrics: false,
      console: true,
    },
    auth: masterKey ? { masterKeySha256: hashKey(masterKey), keys: [] } : { keys: [] },
    providers,
    models: new Map(),
    catalog: new Map(),
    routing: {
      retries: DEFAULTS.retries,
      retryBackoffMs: DEFAULTS.retryBackoffMs,
      retryAfterCapMs: DEFAULTS.retryAfterCapMs,
      fallbackOn: { statuses: new Set([429]), any5xx: true, timeout: true, network: true },
      circuitBreaker: {
        failures: DEFAULTS.circuitBreakerFailures,
        cooldownMs: DEFAULTS.circuitBreakerCooldownMs,
      },
      streamIdleTimeoutMs: DEFAULTS.streamIdleTimeoutMs,
      providerFallback: DEFAULTS.providerFallback,
    },
    usage: {
      store: usageStoreFromEnv(env),
      prices: {},
      logBodies: false,
      bodyLogLimit: DEFAULTS.bodyLogLimit,
      writeTimeoutMs: DEFAULTS.usageWriteTimeoutMs,
    },
    limits: {
      store: DEFAULTS.limitsStore,
      timeoutMs: DEFAULTS.limitsTimeoutMs,
      onStoreFailure: DEFAULTS.limitsOnStoreFailure,
      lease: DEFAULTS.limitsLease,
    },
    responses: { retentionMs: DEFAULTS.responsesRetentionMs },
  };
  if (warnings.length > 0) config.warnings = warnings;
  return config;
}

function usageStoreFromEnv(env: Env): UsageStoreConfig {
  const text = env.SWITCHBOARD_USAGE_STORE;
  if (!text) return { kind: "off" };
  const store = parseUsageStore(text, process.cwd());
  if (store) return store;
  throw new ConfigError([
    {
      path: "env SWITCHBOARD_USAGE_STORE",
      // The value may be a database URL with its password: never echoed.
      message: "expected off, sqlite:PATH or postgres://…, got something else (not shown)",
    },
  ]);
}

/**
 * `OLLAMA_BASE_URL=http://host:11434` is how Ollama's own tools spell it; the gateway speaks
 * its OpenAI-compatible API under `/v1`, so that suffix is added when missing.
 */
function toOpenAIBaseUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, "");
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}
