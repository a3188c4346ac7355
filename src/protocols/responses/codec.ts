import type { ClientCodec } from "../../ir/codec.ts";
import { fromResponsesRequest } from "./from-responses-request.ts";
import { ResponsesStreamEncoder } from "./responses-stream-encoder.ts";
import { toResponsesResponse } from "./to-responses-response.ts";

/** OpenAI Responses (`POST /v1/responses`) as the client's protocol. */
export const responsesClientCodec: ClientCodec = {
  decodeRequest: fromResponsesRequest,
  encodeResponse: (response, requestedModel, origin) => {
    const answer = toResponsesResponse(response, requestedModel, origin);
    origin?.onAnswer?.(answer);
    return answer;
  },
  createStreamEncoder: ({ requestedModel, origin }) => new ResponsesStreamEncoder({ requestedModel, origin }),
};
