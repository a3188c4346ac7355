// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests write config text containing literal ${VAR} references
// Item 9 of issue 15: a config problem names the file, line and field, never the value of a
// secret-bearing field or of anything expanded from the environment.
import { describe, expect, test } from "bun:test";
import {
  ConfigError,
  type ConfigProblem,
  formatConfigProblems,
  loadConfigFromText,
} from "../../src/config/load-config.ts";
import { zeroConfig } from "../../src/config/zero-config.ts";

const SOURCE = "/srv/switchboard/switchboard.yaml";

// Each secret is distinctive, so a partial echo (a prefix, a suffix) still matches.
const ENV = {
  PG_URL: "postgres://switchboard:pg-pass-7f3a9c@db.internal:5432/usage",
  REDIS_URL: "redis://:redis-pass-41d2e8@cache:6379",
  LEAKY: "env-value-c0ffee-91",
  OPENAI_KEY: "sk-env-openai-5b8e1d",
};
const SECRET_FRAGMENTS = [
  "pg-pass-7f3a9c",
  "redis-pass-41d2e8",
  "c0ffee",
  "5b8e1d",
  "file-api-key-3e9",
  "file-key-8d1",
  "file-master-2c7",
  "file-header-6a4",
  "file-store-pass-0b5",
  "file-base-pass-9f2",
];

function failureOf(text: string, env: Record<string, string> = ENV): ConfigError {
  try {
    loadConfigFromText(text, SOURCE, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("the config loaded; expected problems");
}

/** Everything an operator would see: the error's message, each formatted line, the problems as logged. */
function allOutputOf(error: ConfigError): string {
  return [error.message, formatConfigProblems(error), JSON.stringify(error.problems)].join("\n");
}

function expectNoSecret(output: string): void {
  for (const fragment of SECRET_FRAGMENTS) expect(output).not.toContain(fragment);
}

function problemAt(error: ConfigError, path: string): ConfigProblem {
  const problem = error.problems.find((p) => p.path === path);
  if (!problem) throw new Error(`no problem at ${path}: ${formatConfigProblems(error)}`);
  return problem;
}

describe("values from the environment are never echoed", () => {
  test.each([
    ["server:\n  port: ${LEAKY}\n", "server.port", 2, "whole number"],
    ["server:\n  drain_timeout: ${PG_URL}\n", "server.drain_timeout", 2, "a duration"],
    ["server:\n  body_limit: ${LEAKY}\n", "server.body_limit", 2, "a size"],
    ["server:\n  debug: ${LEAKY}\n", "server.debug", 2, "true or false"],
    ["routing:\n  retries: ${LEAKY}\n", "routing.retries", 2, "whole number"],
    ["providers:\n  openai:\n    timeout: ${OPENAI_KEY}\n", "providers.openai.timeout", 3, "a duration"],
    ["providers:\n  x:\n    preset: ${LEAKY}\n", "providers.x.preset", 3, "unknown preset"],
    [
      "providers:\n  x:\n    type: openai\n    base_url: ${PG_URL}\n",
      "providers.x.base_url",
      4,
      "http:// or https://",
    ],
    ["providers:\n  x:\n    type: openai\n    base_url: ${LEAKY}\n", "providers.x.base_url", 4, "not a URL"],
    ["models:\n  m: ${LEAKY}\n", "models.m", 2, "names no model"],
    ["models:\n  m: ${PG_URL}\n", "models.m", 2, "not configured"],
    ["usage:\n  store: ${REDIS_URL}\n", "usage.store", 2, "postgres://"],
    ["limits:\n  store: ${PG_URL}\n", "limits.store", 2, "redis://"],
    [
      "auth:\n  keys:\n    - { name: '${LEAKY}', key: a }\n    - { name: '${LEAKY}', key: b }\n",
      "auth.keys[1].name",
      4,
      "already the name",
    ],
  ] as const)("%j → %s (line %d)", (text, path, line, message) => {
    // `models.m: ${LEAKY}` needs a slash to be an error: give it one through the env value.
    const env = { ...ENV, LEAKY: text.startsWith("models") ? `${ENV.LEAKY}/` : ENV.LEAKY };
    const error = failureOf(text, env);
    const problem = problemAt(error, path);
    expect(problem.line).toBe(line);
    expect(problem.message).toContain(message);
    expect(error.message).toContain(SOURCE);
    expectNoSecret(allOutputOf(error));
  });

  test("the problem names the variable the value came from", () => {
    const problem = problemAt(failureOf("server:\n  port: ${LEAKY}\n"), "server.port");
    expect(problem.message).toBe("expected a whole number >= 0, got a string from ${LEAKY} (not shown)");
  });

  test("a value mixing file text and a variable is hidden too", () => {
    const error = failureOf("server:\n  drain_timeout: 'x-${LEAKY}-y'\n");
    expect(problemAt(error, "server.drain_timeout").message).toContain("${LEAKY}");
    expectNoSecret(allOutputOf(error));
  });

  test("a default taken from the file is still shown", () => {
    const problem = problemAt(failureOf("server:\n  port: ${UNSET_PORT:-eighty}\n"), "server.port");
    expect(problem.message).toBe('expected a whole number >= 0, got "eighty"');
  });

  test("a warning about a target from the environment does not echo it", () => {
    const config = loadConfigFromText(
      "providers:\n  openai: { api_key: x }\nmodels:\n  m: ${LEAKY}\n",
      SOURCE,
      ENV,
    );
    expect(config.warnings?.join("\n")).toContain("models.m (line 4)");
    expectNoSecret(config.warnings?.join("\n") ?? "");
  });
});

describe("secret-bearing fields are never echoed, even when written in the file", () => {
  test.each([
    ["auth:\n  master_key: [file-master-2c7]\n", "auth.master_key", 2],
    ["auth:\n  keys:\n    - { name: a, key: [file-key-8d1] }\n", "auth.keys[0].key", 3],
    ["auth:\n  master_key_sha256: file-master-2c7\n", "auth.master_key_sha256", 2],
    ["auth:\n  keys:\n    - { name: a, key_sha256: file-key-8d1 }\n", "auth.keys[0].key_sha256", 3],
    ["providers:\n  openai:\n    api_key: { k: file-api-key-3e9 }\n", "providers.openai.api_key", 3],
    [
      "providers:\n  openai:\n    keys: [{ key: file-key-8d1, weight: -1 }]\n",
      "providers.openai.keys[0].weight",
      3,
    ],
    ["usage:\n  store: 'postgress://u:file-store-pass-0b5@db/x'\n", "usage.store", 2],
    ["usage:\n  store: 'postgres//u:file-store-pass-0b5@db/x'\n", "usage.store", 2],
    ["limits:\n  store: 'redis:/u:file-store-pass-0b5@h'\n", "limits.store", 2],
    [
      "providers:\n  x:\n    type: openai\n    base_url: 'ftp://u:file-base-pass-9f2@h'\n",
      "providers.x.base_url",
      4,
    ],
    [
      "providers:\n  x:\n    type: openai\n    base_url: 'http//u:file-base-pass-9f2@h'\n",
      "providers.x.base_url",
      4,
    ],
    ["providers:\n  openai:\n    api_key: '${file-api-key-3e9}'\n", "providers.openai.api_key", 3],
    [
      "providers:\n  azure:\n    base_url: https://r.openai.azure.com\n    client_secret: [file-api-key-3e9]\n",
      "providers.azure.client_secret",
      4,
    ],
    [
      "providers:\n  azure:\n    base_url: https://r.openai.azure.com\n    client_secret: '${file-api-key-3e9'\n",
      "providers.azure.client_secret",
      4,
    ],
    [
      "providers:\n  bedrock:\n    region: us-east-1\n    aws_access_key_id: AKIA\n    aws_secret_access_key: [file-api-key-3e9]\n",
      "providers.bedrock.aws_secret_access_key",
      5,
    ],
    [
      "providers:\n  openai:\n    headers: { X-Token: '${file-header-6a4' }\n",
      "providers.openai.headers.X-Token",
      3,
    ],
  ] as const)("%j → %s (line %d)", (text, path, line) => {
    const error = failureOf(text);
    expect(problemAt(error, path).line).toBe(line);
    expectNoSecret(allOutputOf(error));
  });

  test("a secret field of the wrong type is described by its kind", () => {
    const error = failureOf("providers:\n  openai:\n    headers: { X-Token: 42 }\n");
    expect(problemAt(error, "providers.openai.headers.X-Token").message).toBe(
      "expected a string, got a number",
    );
  });

  test("an unparseable store URL says what is accepted, without the URL", () => {
    const error = failureOf("usage:\n  store: 'mysql://root:file-store-pass-0b5@db/x'\n");
    expect(problemAt(error, "usage.store").message).toBe(
      "expected off, sqlite:PATH or postgres://…, got a string (not shown)",
    );
  });
});

describe("YAML errors do not quote the source", () => {
  test.each([
    "providers:\n  openai:\n    api_key: !file-api-key-3e9 x\n    bad: [\n",
    "providers:\n  openai:\n    api_key: |file-api-key-3e9\n      x\n",
    "providers:\n  openai:\n    api_key: *file-api-key-3e9\n",
    'providers:\n  openai:\n    api_key: "file-api-key-3e9\\q"\n',
  ])("%j", (text) => {
    const error = failureOf(text);
    expect(error.problems[0]?.line).toBeGreaterThan(0);
    expectNoSecret(allOutputOf(error));
  });
});

test("zero-config: a bad SWITCHBOARD_USAGE_STORE names the variable, not its value", () => {
  let error: unknown;
  try {
    zeroConfig({ SWITCHBOARD_USAGE_STORE: "mysql://root:file-store-pass-0b5@db/x" });
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const output = allOutputOf(error as ConfigError);
  expect(output).toContain("SWITCHBOARD_USAGE_STORE");
  expectNoSecret(output);
});
