import type { ResolvedProvider } from "../config/types.ts";
import { PROVIDER_KINDS } from "./provider-kinds.ts";

/**
 * The wire format one upstream call speaks. A provider type can have several (an OpenAI-type
 * provider answers Chat Completions, and Responses for the models in its `responses:` setting;
 * Bedrock answers Anthropic models on InvokeModel and the others on Converse).
 */
export type ProviderWire = "openai_chat" | "openai_responses" | "anthropic" | "gemini" | "bedrock_converse";

export function providerWireOf(provider: ResolvedProvider, model: string): ProviderWire {
  return PROVIDER_KINDS[provider.type].wireOf(provider, model);
}
