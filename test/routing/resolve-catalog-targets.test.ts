import { describe, expect, test } from "bun:test";
import type { CatalogOverrides, ResolvedConfig, ResolvedProvider } from "../../src/config/types.ts";
import { GatewayError } from "../../src/errors/gateway-error.ts";
import { type RoutingControls, resolveTargets } from "../../src/routing/resolve-targets.ts";
import { RoutingState } from "../../src/routing/routing-state.ts";
import { describeTargets, makeConfig, makeProvider, makeRoute } from "./make-config.ts";

const preset = (name: string, type: ResolvedProvider["type"] = "openai", modelPrefixes: string[] = []) =>
  makeProvider(name, { type, preset: name, modelPrefixes });

const anthropic = preset("anthropic", "anthropic", ["claude-"]);
const openrouter = preset("openrouter");
const gemini = preset("gemini", "gemini", ["gemini-"]);
const moonshot = preset("moonshot", "openai", ["kimi-", "moonshot-"]);
const minimax = preset("minimax", "openai", ["MiniMax-", "minimax-"]);
const qwen = preset("qwen", "openai", ["qwen", "qwq-", "qvq-"]);
const openai = preset("openai", "openai", ["gpt-", "o1", "o3", "o4"]);
const groq = preset("groq");
const local = makeProvider("local", { models: ["llama3.3"] });

function configWith(
  providers: ResolvedProvider[],
  options: { catalog?: CatalogOverrides; providerFallback?: boolean } = {},
): ResolvedConfig {
  const config = makeConfig(providers, [makeRoute("opus", ["anthropic/claude-opus-4.8"])], {
    providerFallback: options.providerFallback ?? true,
  });
  if (options.catalog) config.catalog = options.catalog;
  return config;
}

const config = configWith([anthropic, openrouter, gemini, moonshot, minimax, qwen, openai, groq, local]);

function resolve(model: string, controls: RoutingControls = {}, on = config): string[] {
  return describeTargets(resolveTargets(on, model, controls, new RoutingState(on)));
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

describe("a canonical id reaches every configured provider serving it, each with its native id", () => {
  test.each([
    ["anthropic/claude-opus-4.8", ["anthropic/claude-opus-4-8", "openrouter/anthropic/claude-opus-4.8"]],
    ["google/gemini-3.5-flash", ["openrouter/google/gemini-3.5-flash", "gemini/gemini-3.5-flash"]],
    ["openai/gpt-5.5", ["openai/gpt-5.5", "openrouter/openai/gpt-5.5"]],
    ["moonshotai/kimi-k2.6", ["openrouter/moonshotai/kimi-k2.6", "moonshot/kimi-k2.6"]],
    ["minimax/minimax-m2.5", ["minimax/MiniMax-M2.5", "openrouter/minimax/minimax-m2.5"]],
    ["qwen/qwen3.6-plus", ["qwen/qwen3.6-plus", "openrouter/qwen/qwen3.6-plus"]],
  ])("%s", (model, expected) => {
    expect(resolve(model)).toEqual(expected);
  });

  test("the provider the id names goes first; otherwise config order", () => {
    // `anthropic/…` names the provider `anthropic`; `google/…` names none, so config order.
    expect(resolve("anthropic/claude-opus-4.8")[0]).toBe("anthropic/claude-opus-4-8");
    expect(resolve("gemini/gemini-3.5-flash")).toEqual([
      "gemini/gemini-3.5-flash",
      "openrouter/google/gemini-3.5-flash",
    ]);
  });

  test("Anthropic's native id maps to the same entry", () => {
    expect(resolve("claude-opus-4-8")).toEqual(resolve("anthropic/claude-opus-4.8"));
    expect(resolve("anthropic/claude-opus-4-8")).toEqual(resolve("anthropic/claude-opus-4.8"));
  });

  test("open-weight ids hosts name their own way", () => {
    expect(resolve("moonshotai/kimi-k2-0905")).toEqual([
      "openrouter/moonshotai/kimi-k2-0905",
      "moonshot/kimi-k2-0905-preview",
      "groq/moonshotai/kimi-k2-instruct-0905",
    ]);
    expect(resolve("meta-llama/llama-3.3-70b-instruct")).toEqual([
      "openrouter/meta-llama/llama-3.3-70b-instruct",
      "groq/llama-3.3-70b-versatile",
    ]);
  });

  test("a provider address outside the catalog's vendors stays one explicit target", () => {
    expect(resolve("openrouter/anthropic/claude-opus-4.8")).toEqual(["openrouter/anthropic/claude-opus-4.8"]);
    expect(resolve("groq/llama-3.3-70b-versatile")).toEqual(["groq/llama-3.3-70b-versatile"]);
  });

  test("aliases expand catalog ids in place", () => {
    expect(resolve("opus")).toEqual(["anthropic/claude-opus-4-8", "openrouter/anthropic/claude-opus-4.8"]);
  });

  test("a catalog id no configured provider serves, or an unknown vendor, is still a 404", () => {
    const only = configWith([anthropic]);
    expect(errorOf(() => resolve("google/gemini-3.5-flash", {}, only)).status).toBe(404);
    expect(errorOf(() => resolve("acme/widget-1")).status).toBe(404);
  });
});

describe("the provider control chooses among them", () => {
  test("only, order, ignore and the string form", () => {
    expect(resolve("anthropic/claude-opus-4.8", { provider: { only: ["openrouter"] } })).toEqual([
      "openrouter/anthropic/claude-opus-4.8",
    ]);
    expect(resolve("anthropic/claude-opus-4.8", { provider: { order: ["openrouter"] } })).toEqual([
      "openrouter/anthropic/claude-opus-4.8",
      "anthropic/claude-opus-4-8",
    ]);
    expect(resolve("claude-opus-4-8", { provider: { ignore: ["anthropic"] } })).toEqual([
      "openrouter/anthropic/claude-opus-4.8",
    ]);
    expect(resolve("moonshotai/kimi-k2.6", { provider: "moonshot" })).toEqual(["moonshot/kimi-k2.6"]);
  });

  test("a control leaving none of them is a 400", () => {
    const error = errorOf(() => resolve("anthropic/claude-opus-4.8", { provider: "gemini" }));
    expect(error.status).toBe(400);
    expect(error.code).toBe("no_provider_left");
  });

  test("catalog targets are the operator's configuration: never flagged for the address check", () => {
    const targets = resolveTargets(
      config,
      "anthropic/claude-opus-4.8",
      { provider: { only: ["openrouter"] } },
      new RoutingState(config),
    );
    expect(targets.map((target) => target.viaProviderControl)).toEqual([undefined]);
  });
});

describe("routing.provider_fallback: false", () => {
  const single = configWith([anthropic, openrouter], { providerFallback: false });

  test("the first provider only, as a bare id used to", () => {
    expect(resolve("anthropic/claude-opus-4.8", {}, single)).toEqual(["anthropic/claude-opus-4-8"]);
    expect(resolve("claude-opus-4-8", {}, single)).toEqual(["anthropic/claude-opus-4-8"]);
  });

  test("the provider control still reaches the others", () => {
    expect(resolve("anthropic/claude-opus-4.8", { provider: "openrouter" }, single)).toEqual([
      "openrouter/anthropic/claude-opus-4.8",
    ]);
    expect(resolve("anthropic/claude-opus-4.8", { provider: { order: ["openrouter"] } }, single)).toEqual([
      "openrouter/anthropic/claude-opus-4.8",
      "anthropic/claude-opus-4-8",
    ]);
  });
});

describe("precedence with the rules that came before the catalog", () => {
  test("an alias wins over a catalog id of the same name", () => {
    const aliased = makeConfig(
      [anthropic, openrouter],
      [makeRoute("anthropic/claude-opus-4.8", ["openrouter/anthropic/claude-opus-4.8"])],
    );
    expect(resolve("anthropic/claude-opus-4.8", {}, aliased)).toEqual([
      "openrouter/anthropic/claude-opus-4.8",
    ]);
  });

  test("a provider the catalog does not know keeps its address as written", () => {
    // A custom provider named like a vendor: the model part goes to it unchanged, alone.
    const google = makeProvider("google", { type: "gemini" });
    expect(resolve("google/gemini-3.5-flash", {}, configWith([google, openrouter]))).toEqual([
      "google/gemini-3.5-flash",
    ]);
  });

  test("a named provider the catalog says does not serve the id: the providers that do", () => {
    const targets = resolveTargets(config, "openai/gpt-oss-120b", {}, new RoutingState(config));
    expect(describeTargets(targets)).toEqual(["openrouter/openai/gpt-oss-120b", "groq/openai/gpt-oss-120b"]);
    // Still reachable by the control, by its address.
    const picked = resolveTargets(
      config,
      "openai/gpt-oss-120b",
      { provider: "openai" },
      new RoutingState(config),
    );
    expect(picked.map((target) => [target.provider.name, target.model, target.viaProviderControl])).toEqual([
      ["openai", "gpt-oss-120b", true],
    ]);
  });

  test("a custom provider claiming or listing a vendor's own id comes first, with the id as written", () => {
    const proxy = makeProvider("proxy", { type: "anthropic", modelPrefixes: ["claude-"] });
    expect(resolve("claude-opus-4-8", {}, configWith([proxy, anthropic, openrouter]))).toEqual([
      "proxy/claude-opus-4-8",
      "anthropic/claude-opus-4-8",
      "openrouter/anthropic/claude-opus-4.8",
    ]);
  });

  test("bare ids outside the catalog keep the bare-id rules", () => {
    expect(resolve("llama3.3")).toEqual(["local/llama3.3"]);
  });
});

describe("the config's catalog", () => {
  const overrides: CatalogOverrides = new Map([
    [
      "anthropic/claude-opus-4.8",
      new Map<string, string | false>([
        ["openrouter", false],
        ["groq", "claude-on-groq"],
      ]),
    ],
    ["acme/widget-1", new Map<string, string | false>([["local", "widget"]])],
  ]);
  const custom = configWith([anthropic, openrouter, groq, local], { catalog: overrides });

  test("overrides the built-in entry: false removes a provider, a new one is added", () => {
    expect(resolve("anthropic/claude-opus-4.8", {}, custom)).toEqual([
      "anthropic/claude-opus-4-8",
      "groq/claude-on-groq",
    ]);
  });

  test("adds entries of vendors the built-in catalog does not know", () => {
    expect(resolve("acme/widget-1", {}, custom)).toEqual(["local/widget"]);
  });
});
