import { describe, expect, test } from "bun:test";
import { servingTargets } from "../../src/catalog/serving-targets.ts";
import { loadConfigFromText } from "../../src/config/load-config.ts";

const config = loadConfigFromText(
  `providers:
  bedrock:
    region: us-east-1
    api_key: bedrock-key
  anthropic:
    api_key: sk-ant
  gemini:
    api_key: gm
  azure:
    base_url: https://r.openai.azure.com
    api_key: az
`,
  "/tmp/switchboard-test/switchboard.yaml",
  {},
);

describe("the catalog's cloud ids", () => {
  test("a Claude canonical id: Bedrock's inference profile first (config order), then Anthropic's own id", () => {
    expect(
      servingTargets(config, "anthropic/claude-sonnet-4.5").map((t) => [t.provider.name, t.model]),
    ).toEqual([
      ["bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"],
      ["anthropic", "claude-sonnet-4-5"],
    ]);
  });

  test("Vertex: dated Claude ids, Gemini ids as the Gemini API spells them", () => {
    const withVertex = {
      ...config,
      providers: [
        {
          ...config.providers[0]!,
          name: "vertex",
          type: "vertex" as const,
          vertex: { project: "p", location: "global" },
        },
      ],
    };
    expect(servingTargets(withVertex, "anthropic/claude-opus-4.5")[0]?.model).toBe(
      "claude-opus-4-5@20251101",
    );
    expect(servingTargets(withVertex, "google/gemini-3.5-flash")[0]?.model).toBe("gemini-3.5-flash");
  });

  test("Azure serves OpenAI's ids (deployments map them further); Bedrock is not assumed for unknown Claude ids", () => {
    expect(servingTargets(config, "openai/gpt-5.4").map((t) => t.provider.name)).toEqual(["azure"]);
    expect(servingTargets(config, "anthropic/claude-opus-4.8").map((t) => t.provider.name)).toEqual([
      "anthropic",
    ]);
  });
});
