/**
 * The Bedrock Converse provider codec: IR ⇄ Converse / ConverseStream. The path is Bedrock's
 * (the transport places the model in it); streams arrive AWS event-stream framed, one event per
 * message, deframed by the Bedrock transport.
 */
import type { ProviderCodec } from "../../ir/codec.ts";
import { ConverseStreamDecoder } from "./converse-stream-decoder.ts";
import { fromConverseResponse } from "./from-converse-response.ts";
import { toConverseRequest } from "./to-converse-request.ts";

export const converseProviderCodec: ProviderCodec = {
  encodeRequest: (request, context) => ({
    path: request.stream ? "/converse-stream" : "/converse",
    body: { ...toConverseRequest(request, context) },
  }),
  decodeResponse: fromConverseResponse,
  createStreamDecoder: () => new ConverseStreamDecoder(),
};
