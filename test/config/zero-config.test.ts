import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../src/config/config-error.ts";
import { hashKey } from "../../src/config/hash-key.ts";
import { zeroConfig } from "../../src/config/zero-config.ts";

describe("zeroConfig", () => {
  test("enables each well-known provider whose key variable is set, in preset order", () => {
    const config = zeroConfig({
      ANTHROPIC_API_KEY: "sk-ant",
      OPENAI_API_KEY: "sk-oai",
      GROQ_API_KEY: "gsk",
      MISTRAL_API_KEY: "",
      UNRELATED: "x",
    });
    expect(config.source).toBeNull();
    expect(config.providers.map((p) => [p.name, p.type, p.baseUrl, p.keys.map((k) => k.secret)])).toEqual([
      ["openai", "openai", "https://api.openai.com/v1", ["sk-oai"]],
      ["anthropic", "anthropic", "https://api.anthropic.com", ["sk-ant"]],
      ["groq", "openai", "https://api.groq.com/openai/v1", ["gsk"]],
    ]);
    expect(config.providers[0].modelPrefixes).toContain("gpt-");
    expect(config.providers[1].preset).toBe("anthropic");
  });

  test("OLLAMA_BASE_URL enables keyless Ollama, adding /v1 when missing", () => {
    expect(zeroConfig({ OLLAMA_BASE_URL: "http://gpu-box:11434" }).providers).toEqual([
      {
        name: "ollama",
        type: "openai",
        baseUrl: "http://gpu-box:11434/v1",
        keys: [],
        models: [],
        modelPrefixes: [],
        timeoutMs: 600_000,
        headers: {},
        preset: "ollama",
      },
    ]);
    expect(zeroConfig({ OLLAMA_BASE_URL: "http://h:11434/v1/" }).providers[0].baseUrl).toBe(
      "http://h:11434/v1",
    );
  });

  test("with nothing set it still resolves, warns how to add a provider, and records no usage", () => {
    const config = zeroConfig({});
    expect(config.providers).toEqual([]);
    expect(config.warnings?.[0]).toContain("OPENAI_API_KEY");
    expect(config.usage.store).toEqual({ kind: "off" });
    expect(config.server.port).toBe(8080);
    expect(config.auth).toEqual({ keys: [] });
  });

  test("SWITCHBOARD_MASTER_KEY and SWITCHBOARD_USAGE_STORE apply", () => {
    const config = zeroConfig({ SWITCHBOARD_MASTER_KEY: "m", SWITCHBOARD_USAGE_STORE: "postgres://db/x" });
    expect(config.auth.masterKeySha256).toBe(hashKey("m"));
    expect(config.usage.store).toEqual({ kind: "postgres", url: "postgres://db/x" });
  });

  test("a bad SWITCHBOARD_USAGE_STORE is a ConfigError naming the variable", () => {
    try {
      zeroConfig({ SWITCHBOARD_USAGE_STORE: "mongo://x" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems[0].path).toContain("SWITCHBOARD_USAGE_STORE");
    }
  });
});
