import { describe, expect, test } from "bun:test";
import { canonicalIdOf, canonicalOfNativeId, canonicalOfVendorId } from "../../src/catalog/canonical-id.ts";
import { CATALOG_CLOUDS, CATALOG_ENTRIES, CATALOG_VENDORS } from "../../src/catalog/catalog-data.ts";
import { builtinNativeId, nativeIdFor } from "../../src/catalog/native-id.ts";
import { catalogIdsInUse, servingTargets } from "../../src/catalog/serving-targets.ts";
import type { CatalogOverrides } from "../../src/config/types.ts";
import { PRESETS } from "../../src/providers/presets.ts";
import { makeConfig, makeProvider } from "../routing/make-config.ts";

/**
 * Every id of the hosted reference page (002), with the id each preset's API knows it by:
 * the vendor's own API and OpenRouter.
 */
const REFERENCE_PAGE: Array<[canonical: string, preset: string, native: string]> = [
  ["anthropic/claude-opus-4.8", "anthropic", "claude-opus-4-8"],
  ["anthropic/claude-opus-4.6", "anthropic", "claude-opus-4-6"],
  ["anthropic/claude-sonnet-4.6", "anthropic", "claude-sonnet-4-6"],
  ["anthropic/claude-haiku-4.5", "anthropic", "claude-haiku-4-5"],
  ["google/gemini-3.5-flash", "gemini", "gemini-3.5-flash"],
  ["google/gemini-3.1-pro-preview", "gemini", "gemini-3.1-pro-preview"],
  ["google/gemini-3.1-flash-lite", "gemini", "gemini-3.1-flash-lite"],
  ["google/gemini-3-flash-preview", "gemini", "gemini-3-flash-preview"],
  ["openai/gpt-5.5-pro", "openai", "gpt-5.5-pro"],
  ["openai/gpt-5.5", "openai", "gpt-5.5"],
  ["openai/gpt-5.4", "openai", "gpt-5.4"],
  ["moonshotai/kimi-k2.6", "moonshot", "kimi-k2.6"],
  ["moonshotai/kimi-k2.5", "moonshot", "kimi-k2.5"],
  ["minimax/minimax-m2.5", "minimax", "MiniMax-M2.5"],
  ["qwen/qwen3.6-plus", "qwen", "qwen3.6-plus"],
];

const none: CatalogOverrides = new Map();

describe("the reference page's ids", () => {
  test.each(REFERENCE_PAGE)("%s is canonical and listed", (canonical) => {
    expect(canonicalOfVendorId(canonical)).toBe(canonical);
    expect(Object.hasOwn(CATALOG_ENTRIES, canonical)).toBe(true);
  });

  test.each(REFERENCE_PAGE)(
    "%s: the %s preset calls it %s, OpenRouter by the canonical id",
    (canonical, preset, native) => {
      expect(builtinNativeId(canonical, preset)).toBe(native);
      expect(builtinNativeId(canonical, "openrouter")).toBe(canonical);
    },
  );

  test.each(REFERENCE_PAGE)(
    "%s: the vendor's own id (%s's %s) maps back to the same entry",
    (canonical, _preset, native) => {
      expect(canonicalOfNativeId(native)).toBe(canonical);
      expect(canonicalIdOf(native, none)).toBe(canonical);
    },
  );

  test("no other preset is assumed to serve them", () => {
    for (const [canonical, preset] of REFERENCE_PAGE) {
      for (const other of Object.keys(PRESETS)) {
        if (other === preset || other === "openrouter") continue;
        expect(builtinNativeId(canonical, other)).toBeUndefined();
      }
    }
  });
});

describe("normalisation rules", () => {
  test("Anthropic: dots are dashes in its own ids, both ways; a date snapshot is not a version", () => {
    expect(canonicalOfVendorId("anthropic/claude-opus-4-8")).toBe("anthropic/claude-opus-4.8");
    expect(canonicalOfNativeId("claude-3-5-sonnet-20241022")).toBe("anthropic/claude-3.5-sonnet-20241022");
    expect(builtinNativeId("anthropic/claude-3.5-sonnet-20241022", "anthropic")).toBe(
      "claude-3-5-sonnet-20241022",
    );
    expect(canonicalOfNativeId("claude-sonnet-4-5-20250929")).toBe("anthropic/claude-sonnet-4.5-20250929");
    expect(canonicalOfNativeId("claude-opus-4-20250514")).toBe("anthropic/claude-opus-4-20250514");
  });

  test("a dotted bare id is not Anthropic's own spelling: left to the bare-id rules", () => {
    expect(canonicalOfNativeId("claude-sonnet-4.6")).toBeUndefined();
  });

  test("a new model version works without a catalog update", () => {
    expect(canonicalIdOf("anthropic/claude-opus-5.2", none)).toBe("anthropic/claude-opus-5.2");
    expect(builtinNativeId("anthropic/claude-opus-5.2", "anthropic")).toBe("claude-opus-5-2");
    expect(canonicalIdOf("claude-opus-5-2", none)).toBe("anthropic/claude-opus-5.2");
    expect(builtinNativeId("google/gemini-4-pro", "gemini")).toBe("gemini-4-pro");
    expect(canonicalIdOf("gemini-4-pro", none)).toBe("google/gemini-4-pro");
    expect(builtinNativeId("moonshotai/kimi-k3", "moonshot")).toBe("kimi-k3");
    expect(builtinNativeId("x-ai/grok-5", "xai")).toBe("grok-5");
    expect(builtinNativeId("z-ai/glm-5", "zai")).toBe("glm-5");
    expect(builtinNativeId("deepseek/deepseek-chat", "deepseek")).toBe("deepseek-chat");
    expect(builtinNativeId("mistralai/mistral-large-latest", "mistral")).toBe("mistral-large-latest");
    expect(builtinNativeId("x-ai/grok-5", "openrouter")).toBe("x-ai/grok-5");
  });

  test("vendor prefixes: the presets' names (and google's gemini) are read as the vendor", () => {
    expect(canonicalOfVendorId("gemini/gemini-3.5-flash")).toBe("google/gemini-3.5-flash");
    expect(canonicalOfVendorId("moonshot/kimi-k2.6")).toBe("moonshotai/kimi-k2.6");
    expect(canonicalOfVendorId("xai/grok-4")).toBe("x-ai/grok-4");
    expect(canonicalOfVendorId("mistral/mistral-large-latest")).toBe("mistralai/mistral-large-latest");
    expect(canonicalOfVendorId("zai/glm-4.6")).toBe("z-ai/glm-4.6");
    expect(canonicalOfVendorId("bailian/qwen3.6-plus")).toBe("qwen/qwen3.6-plus");
  });

  test("MiniMax: its API capitalises, the canonical id does not", () => {
    expect(canonicalOfVendorId("minimax/MiniMax-M2.5")).toBe("minimax/minimax-m2.5");
    expect(canonicalOfNativeId("MiniMax-M2.5")).toBe("minimax/minimax-m2.5");
    expect(canonicalOfNativeId("minimax-m2.5")).toBe("minimax/minimax-m2.5");
    expect(builtinNativeId("minimax/minimax-m1", "minimax")).toBe("MiniMax-M1");
  });

  test("the vendors' own ids by their presets' prefixes", () => {
    expect(canonicalOfNativeId("gpt-5.5")).toBe("openai/gpt-5.5");
    expect(canonicalOfNativeId("o3-mini")).toBe("openai/o3-mini");
    expect(canonicalOfNativeId("grok-4")).toBe("x-ai/grok-4");
    expect(canonicalOfNativeId("glm-4.6")).toBe("z-ai/glm-4.6");
    expect(canonicalOfNativeId("kimi-k2-0905-preview")).toBe("moonshotai/kimi-k2-0905");
  });

  test("unknown vendors and ids are not guessed at", () => {
    expect(canonicalIdOf("acme/widget-1", none)).toBeUndefined();
    expect(canonicalIdOf("llama3.3", none)).toBeUndefined();
    expect(canonicalIdOf("anthropic/", none)).toBeUndefined();
    expect(canonicalIdOf("/claude-opus-4.8", none)).toBeUndefined();
  });

  test("an entry's own ids win over the rules; false means not served there", () => {
    expect(builtinNativeId("openai/gpt-oss-120b", "openai")).toBe(false);
    expect(builtinNativeId("openai/gpt-oss-120b", "groq")).toBe("openai/gpt-oss-120b");
    expect(builtinNativeId("meta-llama/llama-3.3-70b-instruct", "groq")).toBe("llama-3.3-70b-versatile");
    expect(builtinNativeId("moonshotai/kimi-k2-0905", "moonshot")).toBe("kimi-k2-0905-preview");
    // gpt-oss is not OpenAI's own API id, so a bare `gpt-oss-120b` is left to the bare-id rules.
    expect(canonicalOfNativeId("gpt-oss-120b")).toBeUndefined();
  });
});

describe("the built-in data", () => {
  test("every entry is canonical, of a known vendor, and names presets (or clouds by type) only", () => {
    for (const [id, natives] of Object.entries(CATALOG_ENTRIES)) {
      expect(canonicalOfVendorId(id)).toBe(id);
      for (const preset of Object.keys(natives))
        expect(
          Object.hasOwn(PRESETS, preset) || CATALOG_CLOUDS[preset as keyof typeof CATALOG_CLOUDS] != null,
        ).toBe(true);
    }
  });

  test("every vendor's direct preset exists", () => {
    for (const vendor of Object.values(CATALOG_VENDORS)) {
      if (vendor.directPreset !== undefined) expect(Object.hasOwn(PRESETS, vendor.directPreset)).toBe(true);
    }
  });
});

describe("providers serving an entry", () => {
  const anthropic = makeProvider("anthropic", { type: "anthropic", preset: "anthropic" });
  const openrouter = makeProvider("openrouter", { preset: "openrouter" });
  const proxy = makeProvider("proxy", { models: ["anthropic/claude-opus-4.8"] });
  const eu = makeProvider("claude-eu", { type: "anthropic", preset: "anthropic" });
  const config = makeConfig([openrouter, anthropic, proxy, eu]);

  test("in config order, each with its own id; a provider listing the canonical id serves it as is", () => {
    expect(
      servingTargets(config, "anthropic/claude-opus-4.8").map((t) => `${t.provider.name}=${t.model}`),
    ).toEqual([
      "openrouter=anthropic/claude-opus-4.8",
      "anthropic=claude-opus-4-8",
      "proxy=anthropic/claude-opus-4.8",
      "claude-eu=claude-opus-4-8",
    ]);
  });

  test("the config's catalog: by provider name first, then by preset; false removes a provider", () => {
    const overrides: CatalogOverrides = new Map([
      [
        "anthropic/claude-opus-4.8",
        new Map<string, string | false>([
          ["claude-eu", "claude-opus-4-8@eu"],
          ["anthropic", "claude-opus-4-8-20260101"],
          ["openrouter", false],
        ]),
      ],
    ]);
    expect(nativeIdFor(eu, "anthropic/claude-opus-4.8", overrides)).toBe("claude-opus-4-8@eu");
    expect(nativeIdFor(anthropic, "anthropic/claude-opus-4.8", overrides)).toBe("claude-opus-4-8-20260101");
    expect(nativeIdFor(openrouter, "anthropic/claude-opus-4.8", overrides)).toBe(false);
    expect(nativeIdFor(proxy, "anthropic/claude-opus-4.8", overrides)).toBe("anthropic/claude-opus-4.8");
    expect(nativeIdFor(makeProvider("local"), "anthropic/claude-opus-4.8", overrides)).toBeUndefined();
  });

  test("ids in use: the config's entries, the providers' listed models, then the built-in entries", () => {
    const listing = makeConfig([
      makeProvider("anthropic", { type: "anthropic", preset: "anthropic", models: ["claude-sonnet-4-5"] }),
      makeProvider("local", { models: ["qwen3"] }),
    ]);
    listing.catalog = new Map([["acme/widget-1", new Map([["local", "widget"]])]]);
    const ids = catalogIdsInUse(listing).map((entry) => entry.id);
    expect(ids.slice(0, 2)).toEqual(["acme/widget-1", "anthropic/claude-sonnet-4.5"]);
    expect(ids).toContain("anthropic/claude-opus-4.8");
    // Served by no configured provider: not in use.
    expect(ids).not.toContain("qwen/qwen3");
    expect(ids).not.toContain("google/gemini-3.5-flash");
  });
});
