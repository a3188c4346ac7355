import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/errors/gateway-error.ts";
import { resolveModelTargets, resolveTargets } from "../../src/routing/resolve-targets.ts";
import { RoutingState } from "../../src/routing/routing-state.ts";
import { describeTargets, makeConfig, makeProvider, makeRoute } from "./make-config.ts";

const openai = makeProvider("openai", { modelPrefixes: ["gpt-", "o1", "o3", "o4"], preset: "openai" });
const anthropic = makeProvider("anthropic", {
  type: "anthropic",
  modelPrefixes: ["claude-"],
  preset: "anthropic",
});
const gemini = makeProvider("gemini", { type: "gemini", modelPrefixes: ["gemini-"], preset: "gemini" });
const openrouter = makeProvider("openrouter", { models: ["claude-sonnet-4.6"] });
const local = makeProvider("local", { models: ["llama3.3", "qwen3"] });
const groq = makeProvider("groq", { models: ["llama3.3", "meta-llama/llama-4"] });

const config = makeConfig(
  [openai, anthropic, gemini, openrouter, local, groq],
  [
    makeRoute("best", ["anthropic/claude-opus-4-8"]),
    makeRoute("smart", ["anthropic/claude-sonnet-4-6", "openai/gpt-5.4"]),
    makeRoute("nested", ["smart", "gemini-2.5-pro"]),
    makeRoute("claude-sonnet-4-6", ["claude-sonnet-4-6", "openrouter/anthropic/claude-sonnet-4.6"]),
    makeRoute("loop-a", ["loop-b"]),
    makeRoute("loop-b", ["loop-a"]),
    makeRoute("broken", ["nowhere/nothing"]),
  ],
);

function resolve(model: string, controls = {}, state = new RoutingState(config)): string[] {
  return describeTargets(resolveTargets(config, model, controls, state));
}

function errorOf(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

describe("model resolution", () => {
  test("a string alias resolves to its target", () => {
    expect(resolve("best")).toEqual(["anthropic/claude-opus-4-8"]);
  });

  test("a list alias is an ordered chain", () => {
    expect(resolve("smart")).toEqual(["anthropic/claude-sonnet-4-6", "openai/gpt-5.4"]);
  });

  test("alias targets may be aliases and bare ids, expanded in place", () => {
    expect(resolve("nested")).toEqual([
      "anthropic/claude-sonnet-4-6",
      "openai/gpt-5.4",
      "gemini/gemini-2.5-pro",
    ]);
  });

  test("an alias may name itself as a target: the inner name is read as a model id", () => {
    expect(resolve("claude-sonnet-4-6")).toEqual([
      "anthropic/claude-sonnet-4-6",
      "openrouter/anthropic/claude-sonnet-4.6",
    ]);
  });

  test("alias cycles end instead of looping, and unresolvable ends are a 404", () => {
    const error = errorOf(() => resolve("loop-a"));
    expect(error.status).toBe(404);
    expect(error.message).toContain("loop-a");
  });

  test("an alias whose target is not configured is a 404 naming both", () => {
    const error = errorOf(() => resolve("broken"));
    expect(error.status).toBe(404);
    expect(error.message).toBe("The model 'broken' routes to 'nowhere/nothing', which is not configured");
  });

  test("provider/model splits at the first slash only", () => {
    expect(resolve("openrouter/anthropic/claude-sonnet-4.6")).toEqual([
      "openrouter/anthropic/claude-sonnet-4.6",
    ]);
  });

  test("a canonical id under a configured provider's name is sent with that provider's native id", () => {
    // Issue 12: Anthropic's API rejects the dotted spelling; the catalog maps it to its own id.
    expect(resolve("anthropic/claude-opus-4.8")).toEqual(["anthropic/claude-opus-4-8"]);
  });

  test("a slash whose prefix is not a provider is a bare id a provider may list", () => {
    expect(resolve("meta-llama/llama-4")).toEqual(["groq/meta-llama/llama-4"]);
  });

  test("bare ids go to the provider whose preset prefixes claim them", () => {
    expect(resolve("claude-opus-4-8")).toEqual(["anthropic/claude-opus-4-8"]);
    expect(resolve("gpt-5")).toEqual(["openai/gpt-5"]);
    expect(resolve("o3-mini")).toEqual(["openai/o3-mini"]);
    expect(resolve("gemini-2.5-flash")).toEqual(["gemini/gemini-2.5-flash"]);
  });

  test("a provider listing a bare id wins over a prefix claim", () => {
    expect(resolve("claude-sonnet-4.6")).toEqual(["openrouter/claude-sonnet-4.6"]);
  });

  test("several providers listing a bare id: the first in file order", () => {
    expect(resolve("llama3.3")).toEqual(["local/llama3.3"]);
  });

  test("an unknown model is a 404 not_found naming it", () => {
    const error = errorOf(() => resolve("no-such-model"));
    expect(error.status).toBe(404);
    expect(error.kind).toBe("not_found");
    expect(error.code).toBe("model_not_found");
    expect(error.param).toBe("model");
    expect(error.message).toBe("The model 'no-such-model' does not exist or is not configured");
  });

  test("an unconfigured provider prefix is a 404, never a guess", () => {
    expect(errorOf(() => resolve("mistral/mistral-large")).status).toBe(404);
    expect(errorOf(() => resolve("openai/")).status).toBe(404);
  });

  test("resolveModelTargets resolves without controls", () => {
    expect(describeTargets(resolveModelTargets(config, "smart", new RoutingState(config)))).toEqual([
      "anthropic/claude-sonnet-4-6",
      "openai/gpt-5.4",
    ]);
  });
});

describe("balanced groups", () => {
  const weighted = makeConfig(
    [openai, groq],
    [
      makeRoute(
        "fast",
        [
          { model: "groq/llama-3.3-70b", weight: 3 },
          { model: "openai/gpt-4o-mini", weight: 1 },
        ],
        "weighted",
      ),
      makeRoute("rr", ["openai/a", "openai/b", "openai/c"], "round_robin"),
    ],
  );

  test("weighted: the picked target first, then the rest of the group as fallbacks", () => {
    const low = new RoutingState(weighted, { random: () => 0.1 });
    expect(describeTargets(resolveTargets(weighted, "fast", {}, low))).toEqual([
      "groq/llama-3.3-70b",
      "openai/gpt-4o-mini",
    ]);
    const high = new RoutingState(weighted, { random: () => 0.8 });
    expect(describeTargets(resolveTargets(weighted, "fast", {}, high))).toEqual([
      "openai/gpt-4o-mini",
      "groq/llama-3.3-70b",
    ]);
  });

  test("weighted: 1,000 resolutions split 3:1 within tolerance", () => {
    // A seeded generator (mulberry32) keeps the test deterministic.
    let seed = 42;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const state = new RoutingState(weighted, { random });
    let groqFirst = 0;
    for (let i = 0; i < 1000; i++) {
      if (resolveTargets(weighted, "fast", {}, state)[0].provider.name === "groq") groqFirst++;
    }
    expect(groqFirst).toBeGreaterThan(710);
    expect(groqFirst).toBeLessThan(790);
  });

  test("round robin: each turn starts at the next target and wraps", () => {
    const state = new RoutingState(weighted);
    const firsts = Array.from({ length: 6 }, () =>
      describeTargets(resolveTargets(weighted, "rr", {}, state)),
    );
    expect(firsts).toEqual([
      ["openai/a", "openai/b", "openai/c"],
      ["openai/b", "openai/c", "openai/a"],
      ["openai/c", "openai/a", "openai/b"],
      ["openai/a", "openai/b", "openai/c"],
      ["openai/b", "openai/c", "openai/a"],
      ["openai/c", "openai/a", "openai/b"],
    ]);
  });
});

describe("request controls", () => {
  test("provider as a string keeps only that provider", () => {
    expect(resolve("smart", { provider: "openai" })).toEqual(["openai/gpt-5.4"]);
  });

  test("only, ignore and order", () => {
    expect(resolve("nested", { provider: { only: ["gemini", "openai"] } })).toEqual([
      "openai/gpt-5.4",
      "gemini/gemini-2.5-pro",
    ]);
    expect(resolve("nested", { provider: { ignore: ["anthropic"] } })).toEqual([
      "openai/gpt-5.4",
      "gemini/gemini-2.5-pro",
    ]);
    expect(resolve("nested", { provider: { order: ["gemini", "openai"] } })).toEqual([
      "gemini/gemini-2.5-pro",
      "openai/gpt-5.4",
      "anthropic/claude-sonnet-4-6",
    ]);
  });

  test("provider controls reach other providers serving a bare id", () => {
    expect(resolve("llama3.3", { provider: "groq" })).toEqual(["groq/llama3.3"]);
    expect(resolve("llama3.3", { provider: { order: ["groq"] } })).toEqual([
      "groq/llama3.3",
      "local/llama3.3",
    ]);
    expect(resolve("claude-sonnet-4.6", { provider: { ignore: ["openrouter"] } })).toEqual([
      "anthropic/claude-sonnet-4.6",
    ]);
  });

  test("unknown provider names in controls are a 400 naming them", () => {
    const error = errorOf(() => resolve("smart", { provider: { only: ["openai", "nope", "nada"] } }));
    expect(error.status).toBe(400);
    expect(error.param).toBe("provider.only");
    expect(error.message).toContain("'nope', 'nada'");
    expect(errorOf(() => resolve("smart", { provider: "nope" })).param).toBe("provider");
  });

  test("controls that leave no target are a 400, never a silent fallback to all", () => {
    const error = errorOf(() => resolve("smart", { provider: "gemini" }));
    expect(error.status).toBe(400);
    expect(error.kind).toBe("invalid_request");
    expect(error.message).toContain("smart");
    expect(errorOf(() => resolve("best", { provider: { ignore: ["anthropic"] } })).status).toBe(400);
  });

  test("fallbacks are resolved the same way and appended, deduplicated", () => {
    expect(resolve("best", { fallbacks: ["smart", "gpt-5", "anthropic/claude-opus-4-8"] })).toEqual([
      "anthropic/claude-opus-4-8",
      "anthropic/claude-sonnet-4-6",
      "openai/gpt-5.4",
      "openai/gpt-5",
    ]);
  });

  test("provider controls apply to fallbacks too", () => {
    expect(resolve("gpt-5", { provider: { ignore: ["anthropic"] }, fallbacks: ["smart"] })).toEqual([
      "openai/gpt-5",
      "openai/gpt-5.4",
    ]);
  });

  test("an unknown fallback model is a 404 naming it and its position", () => {
    const error = errorOf(() => resolve("best", { fallbacks: ["gpt-5", "mystery"] }));
    expect(error.status).toBe(404);
    expect(error.param).toBe("fallbacks[1]");
    expect(error.message).toContain("'mystery'");
  });
});
