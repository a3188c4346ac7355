/**
 * The Gemini provider codec (`type: gemini`): IR ⇄ generateContent / streamGenerateContent?alt=sse.
 * Clients never speak Gemini to the gateway, so there is no client codec. The API key goes in the
 * `x-goog-api-key` header, set by the pipeline.
 */
import type { ProviderCodec } from "../../ir/codec.ts";
import { fromGeminiResponse } from "./from-gemini-response.ts";
import { toGeminiPath } from "./gemini-path.ts";
import { GeminiStreamDecoder } from "./gemini-stream-decoder.ts";
import { toGeminiRequest } from "./to-gemini-request.ts";

export const geminiProviderCodec: ProviderCodec = {
  encodeRequest(request, context) {
    const body = toGeminiRequest(request, context);
    return { path: toGeminiPath(request.model, request.stream), body: { ...body } };
  },
  decodeResponse(json) {
    return fromGeminiResponse(json);
  },
  createStreamDecoder() {
    return new GeminiStreamDecoder();
  },
};
