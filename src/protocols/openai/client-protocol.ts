import type { ClientProtocolModule, NativeBodyPlan } from "../client-protocol.ts";
import { openAICodecs } from "../codec-modules.ts";
import { validateOpenAIChatRequest } from "../validate.ts";
import { fromOpenAIUsage } from "./convert-usage.ts";
import { OpenAIPassthrough } from "./openai-passthrough.ts";

type StreamOptions = { include_usage?: boolean } | undefined;

const wantsStreamUsage = (body: Record<string, unknown>): boolean =>
  (body.stream_options as StreamOptions)?.include_usage === true;

/** OpenAI Chat Completions (`/v1/chat/completions`). */
export const openAIChatProtocol: ClientProtocolModule = {
  protocol: "openai",
  endpoint: "chat_completions",
  routes: ["/v1/chat/completions", "/openai/v1/chat/completions"],
  validate: validateOpenAIChatRequest,
  get codec() {
    return openAICodecs().openAIClientCodec;
  },
  readUsage: fromOpenAIUsage,
  wantsStreamUsage,
  // OpenAI-type upstreams report stream usage only when asked: ask, and hide the extra chunk.
  keepsConversationState: false,
  planNativeBody(body, stream): NativeBodyPlan {
    if (!stream || wantsStreamUsage(body)) return { hideUsage: false };
    const streamOptions = body.stream_options as StreamOptions;
    return { set: { stream_options: { ...streamOptions, include_usage: true } }, hideUsage: true };
  },
  createPassthrough: (observation, plan, deframer) =>
    new OpenAIPassthrough(deframer, openAICodecs().openAIProviderCodec, observation, plan.hideUsage),
};
