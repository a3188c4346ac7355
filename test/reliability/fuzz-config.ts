/**
 * The names the fuzz gateway is configured with (fuzz-gateway.ts) and the arbitraries aim at;
 * free of bun:test, so `bun run soak` can generate the same fuzz outside the test runner.
 */
/** Every secret the config holds; none may appear in any answer, header or log line. */
export const SECRETS = {
  masterKey: "sk-fuzz-master-b7c1d9e0",
  appKey: "sk-fuzz-app-5f2a8c31",
  limitedKey: "sk-fuzz-limited-0e4d6b72",
  openaiKey: "sk-fuzz-openai-9d3e7a15",
  openaiSecondKey: "sk-fuzz-openai-two-4b8c2f60",
  anthropicKey: "fuzz-anthropic-key-6e1f0a93",
  geminiKey: "fuzz-gemini-key-2c7d5b48",
  openaiHeader: "fuzz-header-value-8a0e3c17",
  anthropicHeader: "Bearer fuzz-tenant-3f9b6d20",
} as const;

/** Model names that route somewhere: provider/model of each wire type, aliases, a chain. */
export const ROUTED_MODELS = [
  "openai/gpt-4o-mini",
  "anthropic/claude-sonnet-4-5",
  "gemini/gemini-2.5-flash",
  "gpt-4o-mini",
  "claude-sonnet-4-5",
  "fast",
  "chain",
] as const;
