import type { Env } from "../config/expand-env.ts";
import type { ProblemList } from "../config/problem-list.ts";
import type { RawProvider } from "../config/schema.ts";
import type { ResolvedProvider } from "../config/types.ts";
import { azureKind } from "./azure/azure-kind.ts";
import { bedrockKind } from "./bedrock/bedrock-kind.ts";
import { headerKeyTransport } from "./header-key-transport.ts";
import { openAIWireOf } from "./openai-wire-of.ts";
import type { ProviderType } from "./provider-type.ts";
import type { ProviderWire } from "./provider-wire.ts";
import type { ProviderTransport } from "./transport.ts";
import { vertexKind } from "./vertex/vertex-kind.ts";

/** What a kind's config hook gets: the raw entry, the provider resolved so far, where to report. */
export interface ConfigureContext {
  raw: RawProvider;
  env: Env;
  problems: ProblemList;
  /** The entry's YAML path (`["providers", name]`). */
  path: string[];
}

/**
 * What the gateway knows of one provider type: which wire (codec) a model is called with, the
 * transport (URL, credentials, stream framing), and the type's own settings. A new cloud is a
 * folder under providers/ and one entry here; the compiler then names every other place that
 * must know it.
 */
export interface ProviderKind {
  wireOf(provider: ResolvedProvider, model: string): ProviderWire;
  transport: ProviderTransport;
  /** The raw keys only this type reads (set on another type: a config error). */
  settings?: ReadonlyArray<keyof RawProvider>;
  /** The base URL when the config names none (Bedrock from its region, Vertex from its location). */
  defaultBaseUrl?(raw: RawProvider, env: Env): string | undefined;
  /**
   * The type's own settings and credentials onto the resolved provider (problems reported, never
   * with a secret in them); false when the entry cannot be used.
   */
  configure?(provider: ResolvedProvider, context: ConfigureContext): boolean;
  /** The type's settings for `switchboard check`, one `name: value` each; never a secret. */
  describe?(provider: ResolvedProvider): string[];
  /** Zero-config mode: the provider its usual environment variables describe, if they are set. */
  fromEnv?(env: Env, timeoutMs: number): ResolvedProvider | undefined;
}

export const PROVIDER_KINDS: Record<ProviderType, ProviderKind> = {
  openai: { wireOf: openAIWireOf, transport: headerKeyTransport("authorization", (key) => `Bearer ${key}`) },
  anthropic: { wireOf: () => "anthropic", transport: headerKeyTransport("x-api-key") },
  gemini: { wireOf: () => "gemini", transport: headerKeyTransport("x-goog-api-key") },
  azure: azureKind,
  vertex: vertexKind,
  bedrock: bedrockKind,
};

/** The transport of a provider. */
export function transportOf(provider: ResolvedProvider): ProviderTransport {
  return PROVIDER_KINDS[provider.type].transport;
}
