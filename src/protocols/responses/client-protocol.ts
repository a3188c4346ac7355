import type { ClientProtocolModule } from "../client-protocol.ts";
import { responsesClientCodecs, responsesProviderCodecs } from "../codec-modules.ts";
import { validateResponsesRequest } from "../validate.ts";
import { fromResponsesUsage } from "./from-responses-usage.ts";
import { ResponsesPassthrough } from "./responses-passthrough.ts";

/** OpenAI Responses (`/v1/responses`). */
export const responsesProtocol: ClientProtocolModule = {
  protocol: "responses",
  endpoint: "responses",
  routes: ["/v1/responses", "/openai/v1/responses"],
  validate: validateResponsesRequest,
  get codec() {
    return responsesClientCodecs().responsesClientCodec;
  },
  readUsage: fromResponsesUsage,
  // The terminal event always carries usage.
  wantsStreamUsage: () => true,
  keepsConversationState: true,
  planNativeBody: () => ({ hideUsage: false }),
  createPassthrough: (observation, _plan, deframer) =>
    new ResponsesPassthrough(deframer, responsesProviderCodecs().responsesProviderCodec, observation),
};
