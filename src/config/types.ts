/**
 * The resolved configuration the rest of the gateway reads: presets applied, `${VAR}` expanded,
 * durations in milliseconds, sizes in bytes, keys hashed. Produced by load-config.ts from the
 * YAML file (whose raw shape is the TypeBox schema in schema.ts) or from the environment
 * (zero-config mode).
 */

import type { ProviderType } from "../providers/provider-type.ts";

export type { ProviderType } from "../providers/provider-type.ts";

/** AWS credentials (Bedrock): signed into each request with SigV4, never sent. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

/**
 * A source of short-lived bearer tokens, cached by the source (Vertex: a service account's or the
 * metadata server's OAuth tokens; Azure: Entra ID client credentials).
 */
export interface TokenSource {
  /** A token valid for at least the next minute; rejects with a GatewayError (no secret in it). */
  token(): Promise<string>;
  /** The values that must never be shown (the private key or client secret, the current token). */
  secrets(): string[];
  /** The kind of credential for `switchboard check`, never a secret. */
  describe(): string;
}

export interface ProviderKey {
  /** Stable label for logs and metrics (`key-1`, …); never the secret. */
  label: string;
  /** The API key (or static bearer token); "" when the key is `aws` or `tokenSource`. */
  secret: string;
  weight: number;
  /** Bedrock: SigV4 credentials instead of an API key. */
  aws?: AwsCredentials;
  /** Vertex, Azure: OAuth tokens (service account, metadata server, Entra ID) instead of an API key. */
  tokenSource?: TokenSource;
}

/** Azure OpenAI / AI Foundry settings. */
export interface AzureSettings {
  /** `api_version`: the deployment API (`/openai/deployments/{d}/…?api-version=`); absent: the v1 API. */
  apiVersion?: string;
  /** Model name → deployment name; a model not listed is its own deployment name. */
  deployments: Record<string, string>;
  /** How the key is sent: `api-key` header, or `Authorization: Bearer` (an Entra ID token). */
  auth: "api-key" | "bearer";
}

/** Google Vertex AI settings. */
export interface VertexSettings {
  project: string;
  /** A region (`us-east5`) or `global`. */
  location: string;
}

/** AWS Bedrock settings. */
export interface BedrockSettings {
  region: string;
}

export interface ResolvedProvider {
  /** The configured name: what `name/model` addresses and `x-switchboard-provider` reports. */
  name: string;
  type: ProviderType;
  /** Base URL without trailing slash, as given to the provider's own SDK. */
  baseUrl: string;
  /** Empty for keyless local servers (Ollama, vLLM). */
  keys: ProviderKey[];
  /** Models this provider serves, from config (bare-name routing, /v1/models). */
  models: string[];
  /** Bare model-id prefixes this provider claims (from its preset), e.g. `gpt-`, `claude-`. */
  modelPrefixes: string[];
  /** Time to response headers. */
  timeoutMs: number;
  /** Longest silence once the answer has started (JSON or stream); default routing.stream_idle_timeout. */
  stallTimeoutMs?: number;
  /** Extra headers sent upstream. */
  headers: Record<string, string>;
  /** Preset name when the provider is a well-known one. */
  preset?: string;
  /**
   * OpenAI-type only: model-id globs called on `/responses` instead of `/chat/completions`
   * (`["*"]` for every model); absent or empty for none.
   */
  responsesModels?: string[];
  /**
   * OpenAI-type only: the Chat Completions field that carries a translated request's output limit
   * (`max_tokens_field`, else the preset's); absent means `max_tokens`.
   */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /** `type: azure` only. */
  azure?: AzureSettings;
  /** `type: vertex` only. */
  vertex?: VertexSettings;
  /** `type: bedrock` only. */
  bedrock?: BedrockSettings;
}

export type RouteStrategy = "ordered" | "weighted" | "round_robin";

export interface ModelRoute {
  name: string;
  strategy: RouteStrategy;
  targets: Array<{ model: string; weight: number }>;
}

/**
 * The config's `catalog:` section: canonical model id (`vendor/model`) → provider name or preset
 * name → the id that provider is called with, or `false` where it does not serve the model.
 */
export type CatalogOverrides = ReadonlyMap<string, ReadonlyMap<string, string | false>>;

export interface GatewayKey {
  name: string;
  /** Lower-case hex SHA-256 of the key. */
  sha256: string;
  /** Allow-list globs; undefined means every model. */
  models?: string[];
  rpm?: number;
  tpm?: number;
  maxConcurrent?: number;
  /**
   * May use the raw pass-through `/p/{provider}/…` (the master key always may). The model
   * allow-list does not apply there: a raw request names no model the gateway could check.
   */
  passthrough: boolean;
}

export interface ModelPrice {
  /** USD per million tokens. */
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export type UsageStoreConfig =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string }
  | { kind: "off" };

export interface ResolvedConfig {
  /** Absolute path of the file it came from; null in zero-config mode. */
  source: string | null;
  server: {
    host: string;
    port: number;
    bodyLimit: number;
    /** Deepest nesting of arrays and objects a request body may have. */
    jsonDepth: number;
    /** A keep-alive connection idle this long is closed (whole seconds, at most 255: Bun's limit). */
    idleTimeoutMs: number;
    /** A request's body must arrive within this (408 otherwise). */
    readTimeoutMs: number;
    drainTimeoutMs: number;
    /**
     * On SIGTERM, how long the instance goes on serving (every answer with `Connection: close`,
     * `/ready` 503) before it closes its listener, so a load balancer moves away without a request
     * landing on a connection being closed (docs/operations.md).
     */
    drainDelayMs: number;
    /** Allow `x-switchboard-debug: upstream` for every key, not only the master key. */
    debug: boolean;
    /** `/metrics` without a key. */
    publicMetrics: boolean;
    /** The operator's console at `/console` and its `/admin/…` endpoints (master key only). */
    console: boolean;
  };
  auth: {
    masterKeySha256?: string;
    keys: GatewayKey[];
  };
  /** In file order. */
  providers: ResolvedProvider[];
  models: Map<string, ModelRoute>;
  /** The `catalog:` section, merged over the built-in catalog (src/catalog/) when a model is resolved. */
  catalog: CatalogOverrides;
  routing: {
    retries: number;
    retryBackoffMs: number;
    /** Largest Retry-After the gateway will wait for before moving on. */
    retryAfterCapMs: number;
    fallbackOn: { statuses: Set<number>; any5xx: boolean; timeout: boolean; network: boolean };
    circuitBreaker: { failures: number; cooldownMs: number };
    /** A stream with no bytes from upstream for this long is ended with an error event. */
    streamIdleTimeoutMs: number;
    /** A catalog id served by several providers fails over among them (`routing.provider_fallback`). */
    providerFallback: boolean;
  };
  usage: {
    store: UsageStoreConfig;
    /** Per-model prices from config, keyed by model id; override the built-in table. */
    prices: Record<string, ModelPrice>;
    logBodies: boolean;
    bodyLogLimit: number;
    /** A store write taking longer counts as failed; its rows are written again (kept once). */
    writeTimeoutMs: number;
    /**
     * Local file rows go through on their way to a PostgreSQL store, so a crash, an outage or a
     * start without the database loses none (`usage.spool`); absent: no spool.
     */
    spool?: { path: string; maxBytes: number };
  };
  /** Responses API state kept for translated responses (`previous_response_id`, GET/DELETE). */
  responses: { retentionMs: number };
  limits: {
    /** `memory` or a `redis://` URL shared by instances. */
    store: string;
    /** Longest wait for the shared store per check; past it the request is decided as on failure. */
    timeoutMs: number;
    /** What a request is decided by while the shared store is unreachable. */
    onStoreFailure: LimitsStoreFailurePolicy;
    /**
     * Share of each rpm/tpm an instance may take from Redis at once and use locally (`limits.lease`);
     * 0: one Redis round trip per request. Bound: at most instances × lease over a limit per minute.
     */
    lease: number;
  };
  /**
   * Things that load but are probably not what the operator meant (no providers, open gateway,
   * a provider without a key, …), one line each with path and line; logged at start and by `check`.
   */
  warnings?: string[];
}

/**
 * `local`: each instance applies the limits on its own (N instances admit up to N × the limit);
 * `open`: no limits; `closed`: every limited request is refused with 503.
 */
export type LimitsStoreFailurePolicy = "local" | "open" | "closed";
