/**
 * Every provider type a config may name (`type:`). The config schema's `type` union is built
 * from this list and PROVIDER_KINDS (provider-kinds.ts) is a Record over it, so a new type added
 * here is a compile error until its kind (wires, transport, settings) is registered.
 */
export const PROVIDER_TYPES = ["openai", "anthropic", "gemini", "azure", "vertex", "bedrock"] as const;

export type ProviderType = (typeof PROVIDER_TYPES)[number];
