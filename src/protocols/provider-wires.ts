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

/** Every provider wire: its codec and the client protocol it speaks natively (a capability, not a type comparison). */
export const PROVIDER_WIRES: Record<ProviderWire, ProviderWireModule> = {
  openai_chat: {
    get codec() {
      return openAICodecs().openAIProviderCodec;
    },
    native: { protocol: "openai", path: "/chat/completions" },
  },
  openai_responses: {
    get codec() {
      return responsesProviderCodecs().responsesProviderCodec;
    },
    native: { protocol: "responses", path: "/responses" },
  },
  anthropic: {
    get codec() {
      return anthropicCodecs().anthropicProviderCodec;
    },
    native: { protocol: "anthropic", path: "/v1/messages" },
  },
  gemini: {
    get codec() {
      return geminiCodecs().geminiProviderCodec;
    },
    native: null,
  },
  bedrock_converse: {
    get codec() {
      return converseCodecs().converseProviderCodec;
    },
    native: null,
  },
};
