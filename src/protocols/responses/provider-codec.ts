import type { ProviderCodec } from "../../ir/codec.ts";
import { fromResponsesResponse } from "./from-responses-response.ts";
import { ResponsesStreamDecoder } from "./responses-stream-decoder.ts";
import { toResponsesRequest } from "./to-responses-request.ts";

/** OpenAI-type providers called through the Responses API (models that have no Chat Completions). */
export const responsesProviderCodec: ProviderCodec = {
  encodeRequest: (request, context) => ({ path: "/responses", body: toResponsesRequest(request, context) }),
  decodeResponse: fromResponsesResponse,
  createStreamDecoder: () => new ResponsesStreamDecoder(),
};
