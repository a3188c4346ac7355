import { describe, expect, test } from "bun:test";
import { ConfigError, type ConfigProblem, loadConfigFromText } from "../../src/config/load-config.ts";

const load = (text: string) => loadConfigFromText(text, "/srv/switchboard/switchboard.yaml", {});

function problemsOf(text: string): ConfigProblem[] {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("the catalog: section", () => {
  test("resolves to canonical id → provider or preset name → native id or false", () => {
    const config = load(`providers:
  anthropic: { api_key: k }
  claude-eu: { preset: anthropic, api_key: k }
catalog:
  anthropic/claude-opus-4.8:
    claude-eu: claude-opus-4-8@eu
    openrouter: false
    bailian: qwen-claude
  acme/widget-1:
    anthropic: widget
`);
    expect([...config.catalog.keys()]).toEqual(["anthropic/claude-opus-4.8", "acme/widget-1"]);
    // A preset's other name (`bailian`) is stored under the preset's own (`qwen`).
    expect(Object.fromEntries(config.catalog.get("anthropic/claude-opus-4.8") ?? [])).toEqual({
      "claude-eu": "claude-opus-4-8@eu",
      openrouter: false,
      qwen: "qwen-claude",
    });
  });

  test("every mistake is a problem with its path and line", () => {
    const problems = problemsOf(`providers:
  anthropic: { api_key: k }
catalog:
  anthropic/claude-opus-4-8:
    anthropic: claude-opus-4-8
  gemini/gemini-3.5-flash: {}
  plainid: { anthropic: x }
  acme/widget:
    opnrouter: w
`);
    expect(problems).toEqual([
      {
        path: 'catalog["anthropic/claude-opus-4-8"]',
        line: 4,
        message: "write this id as `anthropic/claude-opus-4.8` (requests are matched by that spelling)",
      },
      {
        path: 'catalog["gemini/gemini-3.5-flash"]',
        line: 6,
        message: "write this id as `google/gemini-3.5-flash` (requests are matched by that spelling)",
      },
      {
        path: "catalog.plainid",
        line: 7,
        message: "a catalog id is `vendor/model`, e.g. `anthropic/claude-opus-4.8`",
      },
      {
        path: 'catalog["acme/widget"].opnrouter',
        line: 9,
        message:
          "names `opnrouter`, which is neither a configured provider (configured: anthropic) nor a preset",
      },
    ]);
  });

  test("values are checked by the schema", () => {
    const problems = problemsOf(`catalog:
  acme/widget:
    openrouter: 3
  acme/other: nope
routing:
  provider_fallback: maybe
`);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      [
        'catalog["acme/widget"].openrouter',
        3,
        "expected the model id this provider is called with, or false (not served there), got 3",
      ],
      ['catalog["acme/other"]', 4, 'expected a mapping, got "nope"'],
      ["routing.provider_fallback", 6, 'expected true or false, got "maybe"'],
    ]);
  });
});

describe("models: targets", () => {
  test("a catalog id a configured provider serves needs no provider of the vendor's name", () => {
    const config = load(`providers:
  openrouter: { api_key: k }
models:
  fast: google/gemini-3.5-flash
  kimi: [moonshotai/kimi-k2.6, claude-opus-4-8]
`);
    expect(config.models.get("fast")?.targets).toEqual([{ model: "google/gemini-3.5-flash", weight: 1 }]);
    expect(config.warnings ?? []).not.toContainEqual(expect.stringContaining("claude-opus-4-8"));
  });

  test("one no configured provider serves is still an error", () => {
    const problems = problemsOf(`providers:
  anthropic: { api_key: k }
models:
  fast: google/gemini-3.5-flash
`);
    expect(problems.map((p) => p.path)).toEqual(["models.fast"]);
  });
});
