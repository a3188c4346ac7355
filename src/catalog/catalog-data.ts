import type { ProviderType } from "../providers/provider-type.ts";

/**
 * The built-in model catalog: which vendors Switchboard knows, how each vendor's own API and
 * the hosts spell a model, and the models whose ids the spelling rules would get wrong.
 * Data only; the rules that read it are the other files of this folder. The config's
 * `catalog:` section overrides and extends it (docs/configuration.md).
 *
 * A canonical id is `vendor/model` with dotted versions, as multi-vendor gateways name models:
 * `anthropic/claude-opus-4.8`, `google/gemini-3.5-flash`, `moonshotai/kimi-k2.6`.
 */

/** How a vendor's own API spells the model part of a canonical id. */
export type NativeStyle =
  /** As in the canonical id: `openai/gpt-5.5` → `gpt-5.5`. */
  | "as_is"
  /** Anthropic's: every dot a dash, `anthropic/claude-opus-4.8` → `claude-opus-4-8`. */
  | "dashed_versions"
  /** MiniMax's: `minimax/minimax-m2.5` → `MiniMax-M2.5`. */
  | "minimax_capitals";

export interface CatalogVendor {
  /** The preset of the vendor's own API; absent when its models are reached through hosts only. */
  directPreset?: string;
  nativeStyle: NativeStyle;
  /** Other spellings of the vendor segment, read as this vendor (`gemini/…` is `google/…`). */
  aliases: string[];
}

/** Vendors by the first segment of their canonical ids. */
export const CATALOG_VENDORS: Readonly<Record<string, CatalogVendor>> = {
  anthropic: { directPreset: "anthropic", nativeStyle: "dashed_versions", aliases: [] },
  google: { directPreset: "gemini", nativeStyle: "as_is", aliases: ["gemini"] },
  openai: { directPreset: "openai", nativeStyle: "as_is", aliases: [] },
  moonshotai: { directPreset: "moonshot", nativeStyle: "as_is", aliases: ["moonshot"] },
  minimax: { directPreset: "minimax", nativeStyle: "minimax_capitals", aliases: [] },
  qwen: { directPreset: "qwen", nativeStyle: "as_is", aliases: ["bailian"] },
  deepseek: { directPreset: "deepseek", nativeStyle: "as_is", aliases: [] },
  "x-ai": { directPreset: "xai", nativeStyle: "as_is", aliases: ["xai"] },
  mistralai: { directPreset: "mistral", nativeStyle: "as_is", aliases: ["mistral"] },
  "z-ai": { directPreset: "zai", nativeStyle: "as_is", aliases: ["zai"] },
  "meta-llama": { nativeStyle: "as_is", aliases: [] },
};

/**
 * Provider types whose ids the catalog knows by the type itself (a cloud has no preset: every
 * Bedrock is `bedrock`), with the vendors it serves by a spelling rule; entries below name the
 * rest under the type's name (`bedrock:`, `vertex:`). Exhaustive: a new type says whether it is one.
 */
export const CATALOG_CLOUDS: Readonly<
  Record<ProviderType, { vendors: Readonly<Record<string, NativeStyle>> } | null>
> = {
  openai: null,
  anthropic: null,
  gemini: null,
  azure: { vendors: { openai: "as_is" } },
  // Gemini on Vertex has the Gemini API's ids.
  vertex: { vendors: { google: "as_is" } },
  bedrock: { vendors: {} },
};

/** Presets of hosts that call every known vendor's models by the canonical id itself. */
export const CANONICAL_ID_HOSTS: readonly string[] = ["openrouter"];

/**
 * Models listed by id (for `/v1/models` and `switchboard check`), with the native ids the rules
 * would get wrong, per preset; `false` where that preset's API does not serve the model.
 * Presets not named follow the rules: the vendor's own API by its native style, OpenRouter by
 * the canonical id.
 */
export const CATALOG_ENTRIES: Readonly<Record<string, Readonly<Record<string, string | false>>>> = {
  // The hosted multi-vendor page (reference 002): every id follows the rules.
  "anthropic/claude-opus-4.8": {},
  "anthropic/claude-opus-4.6": {},
  "anthropic/claude-sonnet-4.6": {},
  "anthropic/claude-haiku-4.5": {
    // Bedrock serves current Claude models on-demand through inference profiles only.
    bedrock: "global.anthropic.claude-haiku-4-5-20251001-v1:0",
    vertex: "claude-haiku-4-5@20251001",
  },
  // The Claude ids of the clouds (Bedrock's global inference profiles, Vertex's dated ids).
  "anthropic/claude-sonnet-4.5": {
    bedrock: "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    vertex: "claude-sonnet-4-5@20250929",
  },
  "anthropic/claude-opus-4.5": {
    bedrock: "global.anthropic.claude-opus-4-5-20251101-v1:0",
    vertex: "claude-opus-4-5@20251101",
  },
  "anthropic/claude-opus-4.1": {
    bedrock: "us.anthropic.claude-opus-4-1-20250805-v1:0",
    vertex: "claude-opus-4-1@20250805",
  },
  "anthropic/claude-sonnet-4": {
    bedrock: "us.anthropic.claude-sonnet-4-20250514-v1:0",
    vertex: "claude-sonnet-4@20250514",
  },
  "google/gemini-3.5-flash": {},
  "google/gemini-3.1-pro-preview": {},
  "google/gemini-3.1-flash-lite": {},
  "google/gemini-3-flash-preview": {},
  "openai/gpt-5.5-pro": {},
  "openai/gpt-5.5": {},
  "openai/gpt-5.4": {},
  "moonshotai/kimi-k2.6": {},
  "moonshotai/kimi-k2.5": {},
  "minimax/minimax-m2.5": {},
  "qwen/qwen3.6-plus": {},
  // Open-weight models that each host names its own way.
  "moonshotai/kimi-k2-0905": {
    moonshot: "kimi-k2-0905-preview",
    groq: "moonshotai/kimi-k2-instruct-0905",
    together: "moonshotai/Kimi-K2-Instruct-0905",
  },
  "openai/gpt-oss-120b": {
    openai: false,
    groq: "openai/gpt-oss-120b",
    cerebras: "gpt-oss-120b",
    together: "openai/gpt-oss-120b",
    fireworks: "accounts/fireworks/models/gpt-oss-120b",
  },
  "openai/gpt-oss-20b": {
    openai: false,
    groq: "openai/gpt-oss-20b",
    together: "openai/gpt-oss-20b",
    fireworks: "accounts/fireworks/models/gpt-oss-20b",
  },
  "meta-llama/llama-3.3-70b-instruct": {
    groq: "llama-3.3-70b-versatile",
    cerebras: "llama-3.3-70b",
    together: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    fireworks: "accounts/fireworks/models/llama-v3p3-70b-instruct",
  },
  "qwen/qwen3-32b": { groq: "qwen/qwen3-32b", cerebras: "qwen-3-32b" },
};
