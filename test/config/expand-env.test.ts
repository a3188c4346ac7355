// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests write config text containing literal ${VAR} references
import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../src/config/config-error.ts";
import { hashKey } from "../../src/config/hash-key.ts";
import { loadConfigFromText } from "../../src/config/load-config.ts";

function problemsOf(text: string, env: Record<string, string | undefined>) {
  try {
    loadConfigFromText(text, "/srv/switchboard.yaml", env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("${VAR} expansion", () => {
  test("expands a set variable inside a string value", () => {
    const config = loadConfigFromText(
      "providers:\n  openai:\n    api_key: ${OPENAI_KEY}\n",
      "/srv/switchboard.yaml",
      { OPENAI_KEY: "sk-from-env" },
    );
    expect(config.providers[0].keys).toEqual([{ label: "key-1", secret: "sk-from-env", weight: 1 }]);
  });

  test("uses the default when the variable is unset or empty, and the value when set", () => {
    const text = "server:\n  host: ${HOST:-127.0.0.1}\n";
    expect(loadConfigFromText(text, "/srv/s.yaml", {}).server.host).toBe("127.0.0.1");
    expect(loadConfigFromText(text, "/srv/s.yaml", { HOST: "" }).server.host).toBe("127.0.0.1");
    expect(loadConfigFromText(text, "/srv/s.yaml", { HOST: "::1" }).server.host).toBe("::1");
  });

  test("expands several references and text around them in one string", () => {
    const text = "providers:\n  local:\n    type: openai\n    base_url: http://${H:-localhost}:${P}/v1\n";
    const config = loadConfigFromText(text, "/srv/s.yaml", { P: "11434" });
    expect(config.providers[0].baseUrl).toBe("http://localhost:11434/v1");
  });

  test("an unset variable without default is an error naming the variable, path and line", () => {
    const problems = problemsOf("auth:\n  master_key: ${SWITCHBOARD_MASTER_KEY}\n", {});
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe("auth.master_key");
    expect(problems[0].line).toBe(2);
    expect(problems[0].message).toContain("SWITCHBOARD_MASTER_KEY");
  });

  test("an empty variable without default is an error too, never a silent empty key", () => {
    const problems = problemsOf("providers:\n  openai:\n    api_key: ${OPENAI_API_KEY}\n", {
      OPENAI_API_KEY: "",
    });
    expect(problems.map((p) => p.path)).toEqual(["providers.openai.api_key"]);
    expect(problems[0].message).toContain("OPENAI_API_KEY");
  });

  test("a variable's value is never parsed as YAML", () => {
    const config = loadConfigFromText("auth:\n  master_key: ${K}\n", "/srv/s.yaml", {
      K: "a: [1, 2]\nb: {c: d}",
    });
    expect(config.auth.masterKeySha256).toBe(hashKey("a: [1, 2]\nb: {c: d}"));
  });

  test("keys are not expanded, only string values", () => {
    const problems = problemsOf("providers:\n  ${NAME}:\n    type: openai\n    base_url: http://x/v1\n", {
      NAME: "p",
    });
    expect(problems[0].path).toBe('providers["${NAME}"]');
  });

  test("numbers and booleans may come from variables", () => {
    const text = "server:\n  port: ${PORT:-9000}\n  debug: ${DEBUG:-true}\nrouting:\n  retries: ${RETRIES}\n";
    const config = loadConfigFromText(text, "/srv/s.yaml", { RETRIES: "4" });
    expect(config.server.port).toBe(9000);
    expect(config.server.debug).toBe(true);
    expect(config.routing.retries).toBe(4);
  });

  test("$${ is a literal ${", () => {
    const config = loadConfigFromText(
      'providers:\n  p:\n    type: openai\n    base_url: http://x/v1\n    headers: { X-T: "$${NOT_A_VAR}" }\n',
      "/srv/s.yaml",
      {},
    );
    expect(config.providers[0].headers).toEqual({ "X-T": "${NOT_A_VAR}" });
  });

  test("malformed references are errors with their path", () => {
    const problems = problemsOf("server:\n  host: ${BAD NAME}\n  body_limit: ${UNCLOSED\n", {});
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ["server.host", 2],
      ["server.body_limit", 3],
    ]);
  });

  test("every missing variable is reported at once", () => {
    const problems = problemsOf(
      "auth:\n  master_key: ${A}\nproviders:\n  openai:\n    api_key: ${B}\n  anthropic:\n    api_key: ${C}\n",
      {},
    );
    expect(problems.map((p) => p.message.match(/variable (\w+)/)?.[1])).toEqual(["A", "B", "C"]);
  });
});
