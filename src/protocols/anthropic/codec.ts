import type { ClientCodec, ProviderCodec } from "../../ir/codec.ts";
import { AnthropicStreamDecoder } from "./anthropic-stream-decoder.ts";
import { AnthropicStreamEncoder } from "./anthropic-stream-encoder.ts";
import { fromAnthropicRequest } from "./from-anthropic-request.ts";
import { fromAnthropicResponse } from "./from-anthropic-response.ts";
import { toAnthropicRequest } from "./to-anthropic-request.ts";
import { toAnthropicResponse } from "./to-anthropic-response.ts";

/** Anthropic Messages as the client's protocol. */
export const anthropicClientCodec: ClientCodec = {
  decodeRequest: fromAnthropicRequest,
  encodeResponse: toAnthropicResponse,
  createStreamEncoder: ({ requestedModel, inputTokenEstimate, origin }) =>
    new AnthropicStreamEncoder({ requestedModel, inputTokenEstimate, stopSequences: origin?.request.stop }),
};

/** Anthropic-type providers. */
export const anthropicProviderCodec: ProviderCodec = {
  encodeRequest: (request, context) => ({ path: "/v1/messages", body: toAnthropicRequest(request, context) }),
  decodeResponse: fromAnthropicResponse,
  createStreamDecoder: () => new AnthropicStreamDecoder(),
};
