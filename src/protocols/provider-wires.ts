import type { ClientProtocol, ProviderCodec } from "../ir/codec.ts";
import type { ProviderWire } from "../providers/provider-wire.ts";
import { anthropicProviderCodec } from "./anthropic/codec.ts";
import { converseProviderCodec } from "./bedrock-converse/codec.ts";
import { geminiProviderCodec } from "./gemini/codec.ts";
import { openAIProviderCodec } from "./openai/codec.ts";
import { responsesProviderCodec } from "./responses/provider-codec.ts";

export interface ProviderWireModule {
  codec: ProviderCodec;
  /**
   * The client protocol this wire speaks as is, and the path for it: a client of that protocol
   * gets the zero-copy pipe (its bytes up, the provider's bytes back). Null: always translated.
   */
  native: { protocol: ClientProtocol; path: string } | null;
}

/** Every provider wire: its codec and the client protocol it speaks natively (a capability, not a type comparison). */
export const PROVIDER_WIRES: Record<ProviderWire, ProviderWireModule> = {
  openai_chat: { codec: openAIProviderCodec, native: { protocol: "openai", path: "/chat/completions" } },
  openai_responses: { codec: responsesProviderCodec, native: { protocol: "responses", path: "/responses" } },
  anthropic: { codec: anthropicProviderCodec, native: { protocol: "anthropic", path: "/v1/messages" } },
  gemini: { codec: geminiProviderCodec, native: null },
  bedrock_converse: { codec: converseProviderCodec, native: null },
};
