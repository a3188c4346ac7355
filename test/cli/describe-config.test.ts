import { describe, expect, test } from "bun:test";
import { configSummary, describeConfig, formatDuration, formatSize } from "../../src/cli/describe-config.ts";
import { redactUrl } from "../../src/cli/redact-url.ts";
import { loadConfigFromText } from "../../src/config/load-config.ts";
import { zeroConfig } from "../../src/config/zero-config.ts";

const config = loadConfigFromText(
  `
auth:
  master_key: master-secret-value
  keys:
    - { name: ci-bot, key: ci-secret-value, models: [fast], rpm: 60 }
providers:
  openai:
    api_key: sk-openai-secret-value
  eu:
    preset: openai
    base_url: https://eu.example.com/v1
    keys: [sk-eu-secret-1, sk-eu-secret-2]
    headers: { X-Secret-Header: header-secret-value }
models:
  best: openai/gpt-5
  smart: [openai/gpt-5, eu/gpt-5]
  fast:
    strategy: weighted
    targets:
      - { model: openai/gpt-4o-mini, weight: 3 }
      - { model: eu/gpt-4o-mini, weight: 1 }
routing:
  retries: 3
  fallback_on: [429, 5xx]
usage:
  store: postgres://user:db-password-value@db:5432/usage
limits:
  store: redis://:redis-password-value@cache:6379
`,
  "/srv/switchboard.yaml",
  {},
);

describe("describeConfig", () => {
  const text = describeConfig(config);

  test("lists providers with type, base URL and key count", () => {
    expect(text).toContain("  openai (openai): https://api.openai.com/v1, 1 key, timeout 10m");
    expect(text).toContain("  eu (openai, preset openai): https://eu.example.com/v1, 2 keys, timeout 10m");
    expect(text).toContain("    extra headers: X-Secret-Header");
  });

  test("lists models with strategy and targets", () => {
    expect(text).toContain("  best -> openai/gpt-5");
    expect(text).toContain("  smart -> ordered: openai/gpt-5, then eu/gpt-5");
    expect(text).toContain("  fast -> weighted: openai/gpt-4o-mini (weight 3), eu/gpt-4o-mini (weight 1)");
  });

  test("shows routing, usage store and keys", () => {
    expect(text).toContain("Config: /srv/switchboard.yaml");
    expect(text).toContain("Routing: 3 retries per target, backoff 250ms, Retry-After honoured up to 30s");
    expect(text).toContain("  fallback on: 429, 5xx");
    expect(text).toContain("Usage: store postgres://user:***@db:5432/usage");
    expect(text).toContain("Auth: master key set, 1 key");
    expect(text).toContain("  ci-bot: models fast; 60 rpm");
  });

  test("never prints a secret", () => {
    for (const output of [text, JSON.stringify(configSummary(config))]) {
      expect(output).not.toContain("secret-value");
      expect(output).not.toContain("sk-eu-secret");
      expect(output).not.toContain("password-value");
      expect(output).not.toContain("master-secret");
    }
  });

  test("zero-config mode says so and prints its warnings", () => {
    const zero = describeConfig(zeroConfig({}));
    expect(zero).toContain("zero-config mode");
    expect(zero).toContain("Providers (0):");
    expect(zero).toContain("Warnings:");
  });
});

describe("configSummary", () => {
  test("is JSON-able and counts keys instead of listing them", () => {
    const summary = JSON.parse(JSON.stringify(configSummary(config)));
    expect(summary.providers[1]).toEqual({
      name: "eu",
      type: "openai",
      preset: "openai",
      baseUrl: "https://eu.example.com/v1",
      keys: 2,
      models: [],
      modelPrefixes: ["gpt-", "o1", "o3", "o4", "chatgpt-", "codex-"],
      timeoutMs: 600_000,
      headers: ["X-Secret-Header"],
    });
    expect(summary.auth).toEqual({
      masterKey: true,
      keys: [{ name: "ci-bot", models: ["fast"], rpm: 60, tpm: null, maxConcurrent: null }],
    });
    expect(summary.routing.fallbackOn).toEqual(["429", "5xx"]);
    expect(summary.limits.store).toBe("redis://:***@cache:6379");
    expect(summary.models.map((m: { name: string }) => m.name)).toEqual(["best", "smart", "fast"]);
  });
});

describe("formatting helpers", () => {
  test.each([
    [250, "250ms"],
    [1500, "1.5s"],
    [30_000, "30s"],
    [120_000, "2m"],
    [3_600_000, "1h"],
    [0, "0s"],
  ])("formatDuration(%p) = %p", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test.each([
    [10 * 1024 * 1024, "10 MiB"],
    [512_000, "500 KiB"],
    [100, "100 B"],
  ])("formatSize(%p) = %p", (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });

  test("redactUrl hides passwords and lone usernames, keeps the rest", () => {
    expect(redactUrl("postgres://u:p@h/db")).toBe("postgres://u:***@h/db");
    expect(redactUrl("redis://tokenonly@h:6379")).toBe("redis://***@h:6379");
    expect(redactUrl("https://api.openai.com/v1")).toBe("https://api.openai.com/v1");
    expect(redactUrl("memory")).toBe("memory");
  });
});
