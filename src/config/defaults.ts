/** Defaults of every optional setting; docs/configuration.md lists the same values. */
export const DEFAULTS = {
  host: "0.0.0.0",
  port: 8080,
  bodyLimit: 10 * 1024 * 1024,
  drainTimeoutMs: 30_000,
  jsonDepth: 128,
  idleTimeoutMs: 60_000,
  readTimeoutMs: 30_000,
  providerTimeoutMs: 600_000,
  retries: 2,
  retryBackoffMs: 250,
  retryAfterCapMs: 30_000,
  fallbackOn: [429, "5xx", "timeout", "network"] as ReadonlyArray<number | string>,
  circuitBreakerFailures: 5,
  circuitBreakerCooldownMs: 30_000,
  streamIdleTimeoutMs: 300_000,
  providerFallback: true,
  /** Relative to the config file's folder. */
  usageStore: "sqlite:./switchboard.db",
  bodyLogLimit: 64 * 1024,
  limitsStore: "memory",
  responsesRetentionMs: 7 * 24 * 3_600_000,
} as const;
