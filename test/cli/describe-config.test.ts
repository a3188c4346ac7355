import { describe, expect, test } from "bun:test";
import { configSummary, describeConfig, formatDuration, formatSize } from "../../src/cli/describe-config.ts";
import { loadConfigFromText } from "../../src/config/load-config.ts";
import { zeroConfig } from "../../src/config/zero-config.ts";
import { redactUrl } from "../../src/log/redact-url.ts";

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
    stall_timeout: 45s
  pro:
    type: openai
    base_url: https://pro.example.com/v1
    responses: true
  groq:
    responses: ["gpt-oss-*", "*-responses"]
  local:
    type: openai
    base_url: http://127.0.0.1:11434/v1
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
responses:
  retention: 48h
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

  test("shows which models each OpenAI-type provider calls on /responses, and stall timeouts", () => {
    const openaiDefault =
      "    responses: gpt-5*-pro*, *codex*, o1-pro*, o3-pro*, o3-deep-research*, o4-mini-deep-research*, computer-use-preview*";
    // A provider's line and its indented detail lines, up to the next provider.
    const block = (name: string) => text.slice(text.indexOf(`  ${name} (`)).split(/\n(?= {0,2}\S)/)[0] ?? "";
    // The openai preset's default (its Responses-only families), under its own name and borrowed.
    expect(block("openai")).toContain(openaiDefault);
    expect(block("eu")).toContain(openaiDefault);
    expect(block("pro")).toContain("    responses: every model");
    expect(block("groq")).toContain("    responses: gpt-oss-*, *-responses");
    // A provider without the setting (and no preset default) calls Chat Completions only: no line.
    expect(block("local")).not.toContain("responses:");
    expect(text).toContain(
      "  eu (openai, preset openai): https://eu.example.com/v1, 2 keys, timeout 10m, stall timeout 45s",
    );
  });

  test("shows the server limits and the Responses state retention", () => {
    expect(text).toContain(
      "Server: 0.0.0.0:8080, body limit 10 MiB, JSON depth 128, idle timeout 1m, read timeout 30s, drain timeout 30s",
    );
    expect(text).toContain(
      "Responses: translated answers kept for 48h (previous_response_id, GET/DELETE /v1/responses/{id})",
    );
    const off = describeConfig(loadConfigFromText("usage: { store: off }\n", "/srv/s.yaml", {}));
    expect(off).toContain("Responses: no state kept (usage store off)");
    expect(off).not.toContain("drain delay");
    const delayed = describeConfig(loadConfigFromText("server: { drain_delay: 2s }\n", "/srv/s.yaml", {}));
    expect(delayed).toContain("drain timeout 30s, drain delay 2s, debug off");
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
      stallTimeoutMs: 45_000,
      headers: ["X-Secret-Header"],
      responses: [
        "gpt-5*-pro*",
        "*codex*",
        "o1-pro*",
        "o3-pro*",
        "o3-deep-research*",
        "o4-mini-deep-research*",
        "computer-use-preview*",
      ],
    });
    expect(
      summary.providers.map((p: { name: string; responses: string[] }) => [p.name, p.responses]),
    ).toEqual([
      ["openai", summary.providers[1].responses],
      ["eu", summary.providers[1].responses],
      ["pro", ["*"]],
      ["groq", ["gpt-oss-*", "*-responses"]],
      ["local", []],
    ]);
    expect(summary.responses).toEqual({ state: true, retentionMs: 48 * 3_600_000 });
    expect(summary.server).toMatchObject({ jsonDepth: 128, idleTimeoutMs: 60_000, readTimeoutMs: 30_000 });
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
