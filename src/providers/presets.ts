import type { ProviderType } from "../config/types.ts";

/**
 * Well-known providers. A provider configured under one of these names (or zero-config from its
 * key variable) gets its wire type, base URL and bare-model prefixes from here; a new
 * OpenAI-compatible service is one entry in this table, not new code.
 */
export interface ProviderPreset {
  /** Canonical preset name (`qwen` for the `bailian` alias). */
  name: string;
  type: ProviderType;
  /** What the provider's own SDK takes as its base URL, without trailing slash. */
  baseUrl: string;
  /** Environment variable holding the API key; absent for keyless local servers. */
  keyEnv?: string;
  /** Environment variable that enables a local server in zero-config mode and overrides its base URL. */
  baseUrlEnv?: string;
  /** Bare model ids starting with one of these route to this provider (§4 step 3). */
  modelPrefixes: string[];
  /** Model-id globs the provider serves only on its Responses API (`responses:` default). */
  responsesModels?: string[];
  /** `max_tokens_field` default when not `max_tokens` (OpenAI's reasoning models refuse `max_tokens`). */
  maxTokensField?: "max_completion_tokens";
}

/** OpenAI's Responses-only families: the `-pro` reasoning models, Codex, deep research, computer use. */
const OPENAI_RESPONSES_ONLY = [
  "gpt-5*-pro*",
  "*codex*",
  "o1-pro*",
  "o3-pro*",
  "o3-deep-research*",
  "o4-mini-deep-research*",
  "computer-use-preview*",
];

const PRESET_LIST: ProviderPreset[] = [
  {
    name: "openai",
    type: "openai",
    baseUrl: "https://api.openai.com/v1",
    keyEnv: "OPENAI_API_KEY",
    modelPrefixes: ["gpt-", "o1", "o3", "o4", "chatgpt-", "codex-"],
    responsesModels: OPENAI_RESPONSES_ONLY,
    // Every current OpenAI model takes it; o-series and gpt-5 refuse `max_tokens`.
    maxTokensField: "max_completion_tokens",
  },
  {
    name: "anthropic",
    type: "anthropic",
    baseUrl: "https://api.anthropic.com",
    keyEnv: "ANTHROPIC_API_KEY",
    modelPrefixes: ["claude-"],
  },
  {
    name: "gemini",
    type: "gemini",
    baseUrl: "https://generativelanguage.googleapis.com",
    keyEnv: "GEMINI_API_KEY",
    modelPrefixes: ["gemini-"],
  },
  // Hosts of open-weight models: ids overlap across them, so they claim no bare prefixes.
  {
    name: "groq",
    type: "openai",
    baseUrl: "https://api.groq.com/openai/v1",
    keyEnv: "GROQ_API_KEY",
    modelPrefixes: [],
  },
  {
    name: "openrouter",
    type: "openai",
    baseUrl: "https://openrouter.ai/api/v1",
    keyEnv: "OPENROUTER_API_KEY",
    modelPrefixes: [],
  },
  {
    name: "deepseek",
    type: "openai",
    // DeepSeek documents the bare host as the SDK base URL (`/v1` is accepted as an alias).
    baseUrl: "https://api.deepseek.com",
    keyEnv: "DEEPSEEK_API_KEY",
    modelPrefixes: ["deepseek-"],
  },
  {
    name: "xai",
    type: "openai",
    baseUrl: "https://api.x.ai/v1",
    keyEnv: "XAI_API_KEY",
    modelPrefixes: ["grok-"],
  },
  {
    name: "mistral",
    type: "openai",
    baseUrl: "https://api.mistral.ai/v1",
    keyEnv: "MISTRAL_API_KEY",
    modelPrefixes: [
      "mistral-",
      "codestral-",
      "magistral-",
      "devstral-",
      "pixtral-",
      "ministral-",
      "open-mistral-",
      "open-mixtral-",
    ],
  },
  {
    name: "together",
    type: "openai",
    baseUrl: "https://api.together.xyz/v1",
    keyEnv: "TOGETHER_API_KEY",
    modelPrefixes: [],
  },
  {
    name: "fireworks",
    type: "openai",
    baseUrl: "https://api.fireworks.ai/inference/v1",
    keyEnv: "FIREWORKS_API_KEY",
    modelPrefixes: [],
  },
  {
    name: "cerebras",
    type: "openai",
    baseUrl: "https://api.cerebras.ai/v1",
    keyEnv: "CEREBRAS_API_KEY",
    modelPrefixes: [],
  },
  {
    name: "zai",
    type: "openai",
    baseUrl: "https://api.z.ai/api/paas/v4",
    keyEnv: "ZAI_API_KEY",
    modelPrefixes: ["glm-"],
  },
  {
    name: "minimax",
    type: "openai",
    baseUrl: "https://api.minimax.io/v1",
    keyEnv: "MINIMAX_API_KEY",
    // MiniMax spells its ids `MiniMax-M2`; both casings are listed so exact-prefix routing finds them.
    modelPrefixes: ["MiniMax-", "minimax-"],
  },
  {
    name: "moonshot",
    type: "openai",
    baseUrl: "https://api.moonshot.ai/v1",
    keyEnv: "MOONSHOT_API_KEY",
    modelPrefixes: ["kimi-", "moonshot-"],
  },
  {
    name: "qwen",
    type: "openai",
    baseUrl: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    keyEnv: "DASHSCOPE_API_KEY",
    modelPrefixes: ["qwen", "qwq-", "qvq-"],
  },
  // Local servers: keyless, enabled in zero-config mode by their base-URL variable.
  {
    name: "ollama",
    type: "openai",
    baseUrl: "http://127.0.0.1:11434/v1",
    baseUrlEnv: "OLLAMA_BASE_URL",
    modelPrefixes: [],
  },
  {
    name: "vllm",
    type: "openai",
    baseUrl: "http://127.0.0.1:8000/v1",
    keyEnv: "VLLM_API_KEY",
    baseUrlEnv: "VLLM_BASE_URL",
    modelPrefixes: [],
  },
  {
    name: "lmstudio",
    type: "openai",
    baseUrl: "http://127.0.0.1:1234/v1",
    baseUrlEnv: "LMSTUDIO_BASE_URL",
    modelPrefixes: [],
  },
];

/** Preset names in a stable order (zero-config enables providers in this order). */
export const PRESETS: Readonly<Record<string, ProviderPreset>> = Object.freeze(
  Object.fromEntries(PRESET_LIST.map((p) => [p.name, p])),
);

/** Other names a preset answers to. */
const PRESET_ALIASES: Readonly<Record<string, string>> = { bailian: "qwen" };

/** The preset for a provider name (`bailian` → qwen), or undefined for a custom provider. */
export function presetFor(name: string): ProviderPreset | undefined {
  const canonical = PRESET_ALIASES[name] ?? name;
  return Object.hasOwn(PRESETS, canonical) ? PRESETS[canonical] : undefined;
}
