import type { ClientProtocol, ProviderCodec } from "../ir/codec.ts";
import type { ProviderWire } from "../providers/provider-wire.ts";
import {
  anthropicCodecs,
  converseCodecs,
  geminiCodecs,
  openAICodecs,
  responsesProviderCodecs,
} from "./codec-modules.ts";

export interface ProviderWireModule {
  /** Its module is evaluated on the first read (codec-modules.ts). */
  readonly codec: ProviderCodec;
  /**
   * The client protocol this wire speaks as is, and the path for it: a client of that protocol
   * gets the zero-copy pipe (its bytes up, the provider's bytes back). Null: always translated.
   */
  native: { protocol: ClientProtocol; path: string } | null;
}

/** A wire whose codec module is evaluated on the first read of `codec` (codec-modules.ts). */
function wire(native: ProviderWireModule["native"], codec: () => ProviderCodec): ProviderWireModule {
  return {
    native,
    get codec() {
      return codec();
    },
  };
}

/** Every provider wire: its codec and the client protocol it speaks natively (a capability, not a type comparison). */
export const PROVIDER_WIRES: Record<ProviderWire, ProviderWireModule> = {
  openai_chat: wire(
    { protocol: "openai", path: "/chat/completions" },
    () => openAICodecs().openAIProviderCodec,
  ),
  openai_responses: wire(
    { protocol: "responses", path: "/responses" },
    () => responsesProviderCodecs().responsesProviderCodec,
  ),
  anthropic: wire(
    { protocol: "anthropic", path: "/v1/messages" },
    () => anthropicCodecs().anthropicProviderCodec,
  ),
  gemini: wire(null, () => geminiCodecs().geminiProviderCodec),
  bedrock_converse: wire(null, () => converseCodecs().converseProviderCodec),
};
