import { describe, expect, test } from "bun:test";
import { PRESETS, presetFor } from "../../src/providers/presets.ts";

describe("provider presets", () => {
  test("every provider the zero-config mode names has a preset", () => {
    const names = [
      "openai",
      "anthropic",
      "gemini",
      "groq",
      "openrouter",
      "deepseek",
      "xai",
      "mistral",
      "together",
      "fireworks",
      "cerebras",
      "zai",
      "minimax",
      "moonshot",
      "qwen",
      "ollama",
      "vllm",
      "lmstudio",
    ];
    expect(Object.keys(PRESETS)).toEqual(names);
  });

  test("base URLs are what each official SDK takes, without trailing slash", () => {
    expect(presetFor("openai")?.baseUrl).toBe("https://api.openai.com/v1");
    expect(presetFor("anthropic")?.baseUrl).toBe("https://api.anthropic.com");
    expect(presetFor("gemini")?.baseUrl).toBe("https://generativelanguage.googleapis.com");
    expect(presetFor("groq")?.baseUrl).toBe("https://api.groq.com/openai/v1");
    expect(presetFor("zai")?.baseUrl).toBe("https://api.z.ai/api/paas/v4");
    for (const preset of Object.values(PRESETS)) {
      expect(preset.baseUrl).not.toEndWith("/");
      expect(new URL(preset.baseUrl).protocol).toMatch(/^https?:$/);
    }
  });

  test("hosted providers have a key variable, local ones a base-URL variable", () => {
    expect(presetFor("openai")?.keyEnv).toBe("OPENAI_API_KEY");
    expect(presetFor("xai")?.keyEnv).toBe("XAI_API_KEY");
    expect(presetFor("ollama")?.keyEnv).toBeUndefined();
    expect(presetFor("ollama")?.baseUrlEnv).toBe("OLLAMA_BASE_URL");
  });

  test("wire types and prefixes", () => {
    expect(presetFor("anthropic")?.type).toBe("anthropic");
    expect(presetFor("gemini")?.type).toBe("gemini");
    expect(presetFor("deepseek")?.type).toBe("openai");
    expect(presetFor("openai")?.modelPrefixes).toEqual(expect.arrayContaining(["gpt-", "o1", "o3", "o4"]));
    expect(presetFor("anthropic")?.modelPrefixes).toEqual(["claude-"]);
    expect(presetFor("moonshot")?.modelPrefixes).toContain("kimi-");
  });

  test("no two presets claim the same prefix", () => {
    const seen = new Map<string, string>();
    for (const preset of Object.values(PRESETS)) {
      for (const prefix of preset.modelPrefixes) {
        expect(seen.get(prefix)).toBeUndefined();
        seen.set(prefix, preset.name);
      }
    }
  });

  test("bailian is an alias of qwen; unknown and prototype names are not presets", () => {
    expect(presetFor("bailian")).toBe(presetFor("qwen"));
    expect(presetFor("my-proxy")).toBeUndefined();
    expect(presetFor("constructor")).toBeUndefined();
    expect(presetFor("__proto__")).toBeUndefined();
  });
});
