import type { ClientProtocolModule } from "../client-protocol.ts";
import { anthropicCodecs } from "../codec-modules.ts";
import { validateAnthropicMessagesRequest } from "../validate.ts";
import { AnthropicPassthrough } from "./anthropic-passthrough.ts";
import { fromAnthropicUsage } from "./convert-usage.ts";

/** Anthropic Messages (`/v1/messages`). */
export const anthropicMessagesProtocol: ClientProtocolModule = {
  protocol: "anthropic",
  endpoint: "messages",
  routes: ["/v1/messages", "/anthropic/v1/messages"],
  validate: validateAnthropicMessagesRequest,
  get codec() {
    return anthropicCodecs().anthropicClientCodec;
  },
  readUsage: fromAnthropicUsage,
  // Anthropic streams always carry usage.
  wantsStreamUsage: () => true,
  keepsConversationState: false,
  planNativeBody: () => ({ hideUsage: false }),
  createPassthrough: (observation, _plan, deframer) =>
    new AnthropicPassthrough(deframer, anthropicCodecs().anthropicProviderCodec, observation),
};
