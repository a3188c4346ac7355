import type { ResolvedProvider } from "../config/types.ts";
import { globMatches } from "../routing/glob-matches.ts";
import type { ProviderWire } from "./provider-wire.ts";

/** OpenAI-type providers (and Azure) call the models of their `responses:` setting on /responses. */
export function openAIWireOf(provider: ResolvedProvider, model: string): ProviderWire {
  return provider.responsesModels?.some((glob) => globMatches(glob, model))
    ? "openai_responses"
    : "openai_chat";
}
