import type { ResolvedProvider } from "../config/types.ts";
import { globMatches } from "../routing/glob-matches.ts";
import type { ProviderWire } from "./provider-wire.ts";

/** Per provider (a reload makes new provider objects), the wire each model id resolved to. */
const wireCache = new WeakMap<ResolvedProvider, Map<string, ProviderWire>>();
/** Enough for every model a deployment uses; beyond it ids are matched without caching. */
const MAX_CACHED_MODELS = 1024;

/**
 * OpenAI-type providers (and Azure) call the models of their `responses:` setting on /responses.
 * The glob match runs once per provider and model id, not on every request.
 */
export function openAIWireOf(provider: ResolvedProvider, model: string): ProviderWire {
  let cache = wireCache.get(provider);
  const cached = cache?.get(model);
  if (cached) return cached;
  const wire: ProviderWire = provider.responsesModels?.some((glob) => globMatches(glob, model))
    ? "openai_responses"
    : "openai_chat";
  if (!cache) {
    cache = new Map();
    wireCache.set(provider, cache);
  }
  if (cache.size < MAX_CACHED_MODELS) cache.set(model, wire);
  return wire;
}
