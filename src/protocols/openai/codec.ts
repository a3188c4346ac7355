import type { ClientCodec, ProviderCodec } from "../../ir/codec.ts";
import { fromOpenAIRequest } from "./from-openai-request.ts";
import { fromOpenAIResponse } from "./from-openai-response.ts";
import { OpenAIStreamDecoder } from "./openai-stream-decoder.ts";
import { OpenAIStreamEncoder } from "./openai-stream-encoder.ts";
import { toOpenAIRequest } from "./to-openai-request.ts";
import { toOpenAIResponse } from "./to-openai-response.ts";

/** OpenAI Chat Completions as the client's protocol. */
export const openAIClientCodec: ClientCodec = {
  decodeRequest: fromOpenAIRequest,
  encodeResponse: toOpenAIResponse,
  createStreamEncoder: ({ requestedModel, includeUsage }) =>
    new OpenAIStreamEncoder({ requestedModel, includeUsage }),
};

/** OpenAI-type providers (OpenAI and every OpenAI-compatible server). */
export const openAIProviderCodec: ProviderCodec = {
  encodeRequest: (request, context) => ({
    path: "/chat/completions",
    body: toOpenAIRequest(request, context),
  }),
  decodeResponse: fromOpenAIResponse,
  createStreamDecoder: () => new OpenAIStreamDecoder(),
};
