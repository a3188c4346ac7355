// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests write config text containing literal ${VAR} references
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashKey } from "../../src/config/hash-key.ts";
import {
  ConfigError,
  type ConfigProblem,
  formatConfigProblems,
  loadConfigFile,
  loadConfigFromText,
} from "../../src/config/load-config.ts";

function load(text: string, env: Record<string, string | undefined> = {}) {
  return loadConfigFromText(text, "/srv/switchboard/switchboard.yaml", env);
}

function problemsOf(text: string, env: Record<string, string | undefined> = {}): ConfigProblem[] {
  try {
    load(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("defaults", () => {
  test("an empty file resolves to the documented defaults", () => {
    const config = load("");
    expect(config.source).toBe("/srv/switchboard/switchboard.yaml");
    expect(config.server).toEqual({
      host: "0.0.0.0",
      port: 8080,
      bodyLimit: 10 * 1024 * 1024,
      jsonDepth: 128,
      idleTimeoutMs: 60_000,
      readTimeoutMs: 30_000,
      drainTimeoutMs: 30_000,
      drainDelayMs: 0,
      debug: false,
      publicMetrics: false,
      console: true,
    });
    expect(config.auth).toEqual({ keys: [] });
    expect(config.providers).toEqual([]);
    expect(config.models.size).toBe(0);
    expect(config.routing).toEqual({
      retries: 2,
      retryBackoffMs: 250,
      retryAfterCapMs: 30_000,
      fallbackOn: { statuses: new Set([429]), any5xx: true, timeout: true, network: true },
      circuitBreaker: { failures: 5, cooldownMs: 30_000 },
      streamIdleTimeoutMs: 300_000,
      providerFallback: true,
    });
    expect(config.usage).toEqual({
      store: { kind: "sqlite", path: "/srv/switchboard/switchboard.db" },
      prices: {},
      logBodies: false,
      bodyLogLimit: 64 * 1024,
      writeTimeoutMs: 10_000,
    });
    expect(config.limits).toEqual({ store: "memory", timeoutMs: 50, onStoreFailure: "local", lease: 0.01 });
  });

  test("usage.spool: a path (relative to the config folder), a bound, or off; none for SQLite", () => {
    const pg = "usage:\n  store: postgres://u:p@db/usage\n";
    expect(load(`${pg}  spool: /var/lib/switchboard/s.db\n  spool_limit: 1GiB\n`).usage.spool).toEqual({
      path: "/var/lib/switchboard/s.db",
      maxBytes: 1024 ** 3,
    });
    expect(load(`${pg}  spool: "off"\n`).usage.spool).toBeUndefined();
    expect(load("usage:\n  store: sqlite:./u.db\n").usage.spool).toBeUndefined();
  });

  test.each([
    "redis://cache:6379",
    "rediss://cache:6380/0",
    "valkey://cache:6379",
    "valkeys://user:pw@cache:6380",
  ])("limits.store %s is accepted (the limiter connects with every scheme the check accepts)", (store) => {
    const config = load(`limits:\n  store: ${store}\n  timeout: 20ms\n  on_store_failure: closed\n`);
    expect(config.limits).toEqual({ store, timeoutMs: 20, onStoreFailure: "closed", lease: 0.01 });
  });

  test("an open gateway and a provider-less config load, with warnings", () => {
    const config = load("server: { port: 9000 }\n");
    expect(config.warnings?.some((w) => w.includes("no providers"))).toBe(true);
    expect(config.warnings?.some((w) => w.includes("open to anyone"))).toBe(true);
  });
});

describe("every section resolves", () => {
  const text = `
server:
  host: 127.0.0.1
  port: 9090
  body_limit: 512KB
  json_depth: 64
  drain_timeout: 2m
  debug: true
  public_metrics: true
auth:
  master_key: master-secret
  keys:
    - name: ci
      key: ci-secret
      models: ["fast", "openai/*"]
      rpm: 60
      tpm: 200000
      max_concurrent: 3
    - name: hashed
      key_sha256: ${"AB".repeat(32)}
providers:
  openai:
    api_key: sk-openai
  local:
    type: openai
    base_url: http://127.0.0.1:11434/v1/
    models: [llama3.3]
    timeout: 120s
    headers: { X-Team: ml }
  eu:
    preset: openai
    base_url: https://eu.api.openai.com/v1
    keys:
      - { key: k1, weight: 2 }
      - k2
models:
  best: openai/gpt-5
  smart: [openai/gpt-5, local/llama3.3]
  fast:
    strategy: weighted
    targets:
      - { model: local/llama3.3, weight: 3 }
      - openai/gpt-4o-mini
routing:
  retries: 1
  retry_backoff: 100ms
  retry_after_cap: 10s
  fallback_on: [429, 503, timeout]
  circuit_breaker: { failures: 3, cooldown: 1m }
  stream_idle_timeout: 45s
  provider_fallback: false
usage:
  store: postgres://u:p@db/usage
  log_bodies: true
  body_log_limit: 1MiB
  write_timeout: 2s
  prices:
    gpt-4.1: { input: 2, output: 8, cache_read: 0.5 }
limits:
  store: redis://cache:6379
`;
  const config = load(text);

  test("server", () => {
    expect(config.server).toEqual({
      host: "127.0.0.1",
      port: 9090,
      bodyLimit: 512_000,
      jsonDepth: 64,
      idleTimeoutMs: 60_000,
      readTimeoutMs: 30_000,
      drainTimeoutMs: 120_000,
      drainDelayMs: 0,
      debug: true,
      publicMetrics: true,
      console: true,
    });
  });

  test("auth keys are hashed, never kept in clear", () => {
    expect(config.auth.masterKeySha256).toBe(hashKey("master-secret"));
    expect(config.auth.keys).toEqual([
      {
        name: "ci",
        sha256: hashKey("ci-secret"),
        models: ["fast", "openai/*"],
        rpm: 60,
        tpm: 200000,
        maxConcurrent: 3,
        passthrough: false,
      },
      { name: "hashed", sha256: "ab".repeat(32), passthrough: false },
    ]);
    expect(JSON.stringify(config.auth)).not.toContain("ci-secret");
    expect(hashKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  test("providers in file order, presets applied", () => {
    expect(config.providers.map((p) => p.name)).toEqual(["openai", "local", "eu"]);
    const [openai, local, eu] = config.providers;
    expect(openai).toEqual({
      name: "openai",
      type: "openai",
      baseUrl: "https://api.openai.com/v1",
      keys: [{ label: "key-1", secret: "sk-openai", weight: 1 }],
      models: [],
      modelPrefixes: ["gpt-", "o1", "o3", "o4", "chatgpt-", "codex-"],
      timeoutMs: 600_000,
      headers: {},
      preset: "openai",
      responsesModels: [
        "gpt-5*-pro*",
        "*codex*",
        "o1-pro*",
        "o3-pro*",
        "o3-deep-research*",
        "o4-mini-deep-research*",
        "computer-use-preview*",
      ],
      maxTokensField: "max_completion_tokens",
    });
    expect(local).toEqual({
      name: "local",
      type: "openai",
      baseUrl: "http://127.0.0.1:11434/v1",
      keys: [],
      models: ["llama3.3"],
      modelPrefixes: [],
      timeoutMs: 120_000,
      headers: { "X-Team": "ml" },
    });
    expect(eu.preset).toBe("openai");
    expect(eu.baseUrl).toBe("https://eu.api.openai.com/v1");
    expect(eu.keys).toEqual([
      { label: "key-1", secret: "k1", weight: 2 },
      { label: "key-2", secret: "k2", weight: 1 },
    ]);
  });

  test("models: alias, fallback chain, weighted group", () => {
    expect([...config.models.values()]).toEqual([
      { name: "best", strategy: "ordered", targets: [{ model: "openai/gpt-5", weight: 1 }] },
      {
        name: "smart",
        strategy: "ordered",
        targets: [
          { model: "openai/gpt-5", weight: 1 },
          { model: "local/llama3.3", weight: 1 },
        ],
      },
      {
        name: "fast",
        strategy: "weighted",
        targets: [
          { model: "local/llama3.3", weight: 3 },
          { model: "openai/gpt-4o-mini", weight: 1 },
        ],
      },
    ]);
  });

  test("routing, usage, limits", () => {
    expect(config.routing).toEqual({
      retries: 1,
      retryBackoffMs: 100,
      retryAfterCapMs: 10_000,
      fallbackOn: { statuses: new Set([429, 503]), any5xx: false, timeout: true, network: false },
      circuitBreaker: { failures: 3, cooldownMs: 60_000 },
      streamIdleTimeoutMs: 45_000,
      providerFallback: false,
    });
    expect(config.usage).toEqual({
      store: { kind: "postgres", url: "postgres://u:p@db/usage" },
      prices: { "gpt-4.1": { input: 2, output: 8, cacheRead: 0.5 } },
      logBodies: true,
      bodyLogLimit: 1024 * 1024,
      writeTimeoutMs: 2000,
      // A PostgreSQL store gets a spool by default, next to the config file.
      spool: { path: "/srv/switchboard/switchboard-spool.db", maxBytes: 256 * 1024 * 1024 },
    });
    expect(config.limits.store).toBe("redis://cache:6379");
  });
});

describe("presets", () => {
  test("a well-known name with no body gets its preset", () => {
    const config = load("providers:\n  groq:\n  bailian: {}\n  anthropic: { api_key: a }\n");
    expect(config.providers.map((p) => [p.name, p.type, p.baseUrl, p.preset])).toEqual([
      ["groq", "openai", "https://api.groq.com/openai/v1", "groq"],
      ["bailian", "openai", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "qwen"],
      ["anthropic", "anthropic", "https://api.anthropic.com", "anthropic"],
    ]);
  });

  test("a preset provider without api_key takes its key variable from the environment", () => {
    const config = load("providers:\n  deepseek: {}\n", { DEEPSEEK_API_KEY: "sk-ds" });
    expect(config.providers[0].keys).toEqual([{ label: "key-1", secret: "sk-ds", weight: 1 }]);
  });

  test("explicit fields override the preset", () => {
    const config = load(
      "providers:\n  openai:\n    api_key: k\n    base_url: http://proxy:9000/v1\n    model_prefixes: [ft-]\n",
    );
    expect(config.providers[0].baseUrl).toBe("http://proxy:9000/v1");
    expect(config.providers[0].modelPrefixes).toEqual(["ft-"]);
  });

  test("an empty api_key means no key, with a warning naming the provider", () => {
    const config = load("providers:\n  openai:\n    api_key: ${OPENAI_API_KEY:-}\n");
    expect(config.providers[0].keys).toEqual([]);
    expect(config.warnings).toContain(
      "providers.openai (line 2): no API key: set api_key (e.g. ${OPENAI_API_KEY}) or calls to openai will be refused",
    );
  });
});

describe("relative store paths", () => {
  test("sqlite paths are relative to the config file's folder", () => {
    expect(load("usage: { store: 'sqlite:data/u.db' }\n").usage.store).toEqual({
      kind: "sqlite",
      path: "/srv/switchboard/data/u.db",
    });
    expect(load("usage: { store: 'sqlite:/var/lib/u.db' }\n").usage.store).toEqual({
      kind: "sqlite",
      path: "/var/lib/u.db",
    });
    expect(load("usage: { store: off }\n").usage.store).toEqual({ kind: "off" });
  });
});

describe("problems carry path and line", () => {
  test.each([
    ["server:\n  port: eighty\n", "server.port", 2, "whole number"],
    ["server:\n  port: 70000\n", "server.port", 2, "0 to 65535"],
    ["server:\n  prot: 8080\n", "server.prot", 2, "did you mean `port`"],
    ["srever:\n  port: 8080\n", "srever", 1, "did you mean `server`"],
    ["server:\n  body_limit: 10 megs\n", "server.body_limit", 2, "a size"],
    ["server:\n  drain_timeout: 30x\n", "server.drain_timeout", 2, "a duration"],
    ["server:\n  debug: yes\n", "server.debug", 2, "true or false"],
    ["auth:\n  keys:\n    - name: a\n", "auth.keys[0]", 3, "needs key or key_sha256"],
    ["auth:\n  keys:\n    - key: a\n", "auth.keys[0].name", 3, "is required"],
    ["auth:\n  keys:\n    - name: a\n      key: k\n      rpm: 0\n", "auth.keys[0].rpm", 5, ">= 1"],
    ["auth:\n  keys:\n    - name: a\n      key_sha256: abc\n", "auth.keys[0].key_sha256", 4, "64 hex"],
    ["providers:\n  mine:\n    base_url: http://x/v1\n", "providers.mine.type", 3, "wire protocol"],
    ["providers:\n  mine:\n    type: openai\n", "providers.mine.base_url", 3, "base URL"],
    [
      "providers:\n  mine:\n    type: grpc\n    base_url: http://x\n",
      "providers.mine.type",
      3,
      "openai, anthropic",
    ],
    ["providers:\n  openai:\n    timeout: soon\n", "providers.openai.timeout", 3, "a duration"],
    ["providers:\n  openai:\n    base_url: ftp://x\n", "providers.openai.base_url", 3, "http"],
    ["providers:\n  openai:\n    api_key: a\n    keys: [b]\n", "providers.openai.keys", 4, "not both"],
    ["providers:\n  openai:\n    keys: []\n", "providers.openai.keys", 3, "non-empty list"],
    ["providers:\n  openai:\n    apikey: a\n", "providers.openai.apikey", 3, "did you mean `api_key`"],
    ["providers:\n  x:\n    preset: nope\n", "providers.x.preset", 3, "unknown preset"],
    ["providers:\n  a/b:\n    type: openai\n", 'providers["a/b"]', 2, "no `/`"],
    ["models:\n  best: nope/gpt-5\n", "models.best", 2, "provider `nope`"],
    [
      "providers:\n  openai: {}\nmodels:\n  m:\n    - openai/gpt-5\n    - ghost/x\n",
      "models.m[1]",
      6,
      "`ghost`",
    ],
    [
      "providers:\n  openai: {}\nmodels:\n  m:\n    strategy: weighted\n    targets:\n      - { model: openai/a, weight: 0 }\n",
      "models.m.targets[0].weight",
      7,
      "> 0",
    ],
    ["models:\n  m:\n    strategy: random\n    targets: [a]\n", "models.m.strategy", 3, "ordered, weighted"],
    ["models:\n  m: 5\n", "models.m", 2, "a string, a list or a mapping"],
    ["routing:\n  fallback_on: [429, 5xy]\n", "routing.fallback_on[1]", 2, "5xx, timeout or network"],
    [
      "routing:\n  circuit_breaker: { failures: 5, cooldwn: 1s }\n",
      "routing.circuit_breaker.cooldwn",
      2,
      "cooldown",
    ],
    ["usage:\n  store: mysql://db\n", "usage.store", 2, "postgres://"],
    ["usage:\n  prices:\n    gpt-4o: { input: 1 }\n", "usage.prices.gpt-4o.output", 3, "is required"],
    ["limits:\n  store: memcached\n", "limits.store", 2, "redis://"],
    ["limits:\n  store: valkeyx://cache\n", "limits.store", 2, "valkey://"],
    ["limits:\n  store: redis://\n", "limits.store", 2, "redis://"],
    ["limits:\n  on_store_failure: shared\n", "limits.on_store_failure", 2, "local, open or closed"],
    ["limits:\n  timeout: soon\n", "limits.timeout", 2, "duration"],
  ] as const)("%j → %s (line %d)", (text, path, line, message) => {
    const problems = problemsOf(text);
    const problem = problems.find((p) => p.path === path);
    expect(problem).toBeDefined();
    expect(problem?.line).toBe(line);
    expect(problem?.message).toContain(message);
  });

  test("all problems of a file are reported at once, in file order", () => {
    const problems = problemsOf(`
server:
  port: nope
  colour: blue
providers:
  openai:
    timeout: forever
routing:
  retries: -1
`);
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ["server.port", 3],
      ["server.colour", 4],
      ["providers.openai.timeout", 7],
      ["routing.retries", 9],
    ]);
  });

  test("cross-reference problems are all reported too", () => {
    const problems = problemsOf(`
auth:
  master_key: m
  keys:
    - { name: a, key: m }
    - { name: b, key: x }
    - { name: b, key: x }
providers:
  openai: {}
models:
  one: ghost/a
  two: [openai/a, phantom/b]
`);
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ["auth.keys[0]", 5],
      ["auth.keys[2].name", 7],
      ["auth.keys[2]", 7],
      ["models.one", 11],
      ["models.two[1]", 12],
    ]);
  });

  test("YAML syntax errors carry their line", () => {
    const problems = problemsOf("server:\n  port: 8080\n  host: [unclosed\nauth: {}\n");
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].message).toStartWith("YAML syntax");
    expect(problems[0].line).toBeGreaterThanOrEqual(3);
  });

  test("duplicate keys are a YAML error", () => {
    const problems = problemsOf("server:\n  port: 1\n  port: 2\n");
    expect(problems[0].message).toContain("YAML syntax");
    expect(problems[0].line).toBe(3);
  });

  test("usage.write_timeout under 1s is an error naming it (every write would time out)", () => {
    const problems = problemsOf("usage:\n  store: off\n  write_timeout: 0s\n");
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ["usage.write_timeout", "must be at least 1s"],
    ]);
  });

  test("a config that is not a mapping is an error", () => {
    expect(problemsOf("- a\n- b\n")[0].message).toContain("mapping");
  });

  test("a secret never appears in a problem message", () => {
    const problems = problemsOf(
      "providers:\n  openai:\n    api_key: sk-very-secret\n    keys: [sk-other-secret]\n",
    );
    expect(JSON.stringify(problems)).not.toContain("secret");
  });

  test("formatConfigProblems prints one line per problem: path (line N): message", () => {
    const error = new ConfigError([
      { path: "server.port", line: 3, message: "bad port" },
      { path: "routing.retries", message: "bad retries" },
      { path: "", line: 1, message: "YAML syntax: x" },
    ]);
    expect(formatConfigProblems(error)).toBe(
      "server.port (line 3): bad port\nrouting.retries: bad retries\n(config) (line 1): YAML syntax: x",
    );
  });
});

describe("loadConfigFile", () => {
  test("reads a file and anchors relative paths at its folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-config-"));
    dirs.push(dir);
    const path = join(dir, "switchboard.yaml");
    writeFileSync(path, "usage:\n  store: sqlite:./usage.db\nproviders:\n  openai: { api_key: '${K}' }\n");
    const config = loadConfigFile(path, { K: "sk" });
    expect(config.source).toBe(path);
    expect(config.usage.store).toEqual({ kind: "sqlite", path: join(dir, "usage.db") });
    expect(config.providers[0].keys[0].secret).toBe("sk");
  });

  test("a missing file is a ConfigError naming it", () => {
    expect(() => loadConfigFile("/nonexistent/switchboard.yaml", {})).toThrow(ConfigError);
    try {
      loadConfigFile("/nonexistent/switchboard.yaml", {});
    } catch (error) {
      expect((error as ConfigError).problems[0].message).toContain("/nonexistent/switchboard.yaml");
    }
  });

  test("examples/switchboard.yaml loads with an empty environment", () => {
    const config = loadConfigFile(join(import.meta.dir, "../../examples/switchboard.yaml"), {});
    expect(config.providers.length).toBeGreaterThan(3);
    expect(config.models.get("fast")?.strategy).toBe("weighted");
    expect(config.auth.keys.map((k) => k.name)).toEqual(["ci-bot", "notebook"]);
    expect(config.usage.prices["claude-sonnet-4-6"]).toEqual({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
    });
  });

  test("examples/switchboard.yaml takes values from the environment when set", () => {
    const config = loadConfigFile(join(import.meta.dir, "../../examples/switchboard.yaml"), {
      SWITCHBOARD_PORT: "9999",
      OPENAI_API_KEY: "sk-x",
      SWITCHBOARD_USAGE_STORE: "off",
    });
    expect(config.server.port).toBe(9999);
    expect(config.providers.find((p) => p.name === "openai")?.keys).toHaveLength(1);
    expect(config.usage.store).toEqual({ kind: "off" });
  });
});

describe("hostile YAML", () => {
  test("a self-referencing alias is a problem, not a stack overflow", () => {
    const problems = problemsOf("providers:\n  p: &x\n    headers: *x\n");
    expect(problems[0].path).toBe("providers.p.headers");
    expect(problems[0].message).toContain("alias");
  });

  test("anchors and aliases may share settings between providers", () => {
    const config = load(
      "providers:\n  a: &local { type: openai, base_url: 'http://127.0.0.1:8000/v1' }\n  b: *local\n",
    );
    expect(config.providers.map((p) => [p.name, p.baseUrl])).toEqual([
      ["a", "http://127.0.0.1:8000/v1"],
      ["b", "http://127.0.0.1:8000/v1"],
    ]);
  });

  test("a section of the wrong shape says mapping or list, in YAML words", () => {
    expect(problemsOf("server: 5\n")[0]).toEqual({
      path: "server",
      line: 1,
      message: "expected a mapping, got 5",
    });
    expect(problemsOf("auth:\n  keys: {}\n")[0].message).toBe("expected a list, got a mapping");
  });
});

describe("secrets in problems", () => {
  test("a mistyped key is described by its kind, never echoed", () => {
    const problems = problemsOf(
      "auth:\n  master_key: 918273645\nproviders:\n  openai:\n    keys: [{ key: 5551234, weight: 1 }]\n",
    );
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ["auth.master_key", "expected a string, got a number"],
      ["providers.openai.keys[0].key", "expected a string, got a number"],
    ]);
  });
});

test("non-secret values are still echoed in problems", () => {
  expect(problemsOf("auth:\n  keys:\n    - { name: a, key: k, rpm: -5 }\n")[0].message).toBe(
    "expected a whole number >= 1, got -5",
  );
  expect(problemsOf("providers:\n  openai:\n    keys: [7]\n")[0].message).toBe(
    "expected a string or a mapping, got a number",
  );
});

describe("responses:", () => {
  const providerOf = (text: string) => load(text).providers[0];
  test("true is every model, a list is globs, false is none", () => {
    const base = "providers:\n  p:\n    type: openai\n    base_url: http://127.0.0.1:1/v1\n";
    expect(providerOf(`${base}    responses: true\n`).responsesModels).toEqual(["*"]);
    expect(providerOf(`${base}    responses: ["*codex*"]\n`).responsesModels).toEqual(["*codex*"]);
    expect(providerOf(`${base}    responses: false\n`).responsesModels).toBeUndefined();
    expect(providerOf(base).responsesModels).toBeUndefined();
  });
  test("the openai preset can be turned off", () => {
    expect(
      providerOf("providers:\n  openai:\n    api_key: k\n    responses: false\n").responsesModels,
    ).toBeUndefined();
  });
});

describe("max_tokens_field:", () => {
  const providerOf = (text: string) => load(text).providers[0];
  const custom = "providers:\n  p:\n    type: openai\n    base_url: http://127.0.0.1:1/v1\n";
  test("a provider setting: the preset's default (OpenAI: max_completion_tokens), else max_tokens", () => {
    expect(providerOf("providers:\n  openai:\n    api_key: k\n").maxTokensField).toBe(
      "max_completion_tokens",
    );
    expect(providerOf("providers:\n  groq:\n    api_key: k\n").maxTokensField).toBeUndefined();
    expect(providerOf(custom).maxTokensField).toBeUndefined();
    expect(providerOf(`${custom}    max_tokens_field: max_completion_tokens\n`).maxTokensField).toBe(
      "max_completion_tokens",
    );
    expect(
      providerOf("providers:\n  openai:\n    api_key: k\n    max_tokens_field: max_tokens\n").maxTokensField,
    ).toBe("max_tokens");
  });
  test("another value, or a provider of another type, is a problem at the key", () => {
    expect(problemsOf(`${custom}    max_tokens_field: max_output_tokens\n`).map((p) => p.path)).toEqual([
      "providers.p.max_tokens_field",
    ]);
    const problems = problemsOf(
      "providers:\n  anthropic:\n    api_key: k\n    max_tokens_field: max_tokens\n",
    );
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ["providers.anthropic.max_tokens_field", "applies to types openai and azure only, not anthropic"],
    ]);
  });
});

test("a virtual key may not be named `master` (the master key's name in rows and stored responses)", () => {
  const problems = problemsOf("auth:\n  keys:\n    - { name: master, key: sk-x }\n");
  expect(problems.map((problem) => [problem.path, problem.message])).toEqual([
    ["auth.keys[0].name", "`master` is reserved for the master key"],
  ]);
});
