import type { ResolvedProvider } from "../config/types.ts";
import { globMatches } from "../routing/glob-matches.ts";

/**
 * The wire format one upstream call speaks. A provider type can have several (an OpenAI-type
 * provider answers Chat Completions, and Responses for the models in its `responses:` setting).
 */
export type ProviderWire = "openai_chat" | "openai_responses" | "anthropic" | "gemini";

export function providerWireOf(provider: ResolvedProvider, model: string): ProviderWire {
  switch (provider.type) {
    case "openai":
      return provider.responsesModels?.some((glob) => globMatches(glob, model))
        ? "openai_responses"
        : "openai_chat";
    case "anthropic":
      return "anthropic";
    case "gemini":
      return "gemini";
    default: {
      const unknownType: never = provider.type;
      throw new Error(`no wire for provider type ${String(unknownType)}`);
    }
  }
}
