/**
 * The codec contract: the request pipeline translates through exactly these interfaces.
 * Client codecs (openai, anthropic) read client requests and write client responses; provider
 * codecs (openai, anthropic, gemini) write provider requests and read provider responses.
 */
import type { SSEEvent } from "../sse/parser.ts";
import type { IRRequest, IRResponse, IRStreamEvent } from "./types.ts";

/** The protocols clients speak to the gateway (IRRequest.sourceProtocol names the same). */
export type ClientProtocol = NonNullable<IRRequest["sourceProtocol"]>;

export interface EncodeContext {
  /** Configured provider name, for error messages ("… not supported by provider 'gemini'"). */
  providerName: string;
  /** `x-switchboard-strictness: strict`: every drop becomes a 400. */
  strict: boolean;
  /** Encoders push the wire names of fields they dropped (→ x-switchboard-dropped header). */
  dropped: string[];
  /** OpenAI-type providers: the field that carries the output limit (provider setting `max_tokens_field`). */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  /** Encoders push `field=old->new` for values they changed to fit the target (→ x-switchboard-adjusted). */
  adjusted: string[];
}

/** Reads a provider's stream events (SSE events, or AWS event-stream messages as `event`/`data`). */
export interface StreamDecoder {
  push(event: SSEEvent): IRStreamEvent[];
  end(): IRStreamEvent[];
}

/** Returns SSE text to write ("" when nothing). */
export interface StreamEncoder {
  push(event: IRStreamEvent): string;
  end(): string;
}

/**
 * What a client encoder may need to know about the request it answers: the Responses API echoes
 * the request's settings in its response object and maps calls of freeform (`custom`) tools back
 * to `custom_tool_call` items. The pipeline always passes it; encoders that need nothing ignore it.
 */
export interface RequestOrigin {
  /** The decoded request. */
  request: IRRequest;
  /** The client's body as validated, gateway fields removed. */
  body: Record<string, unknown>;
  /**
   * Called with the finished (completed or incomplete) answer as the client receives it: the
   * gateway keeps Responses answers for `previous_response_id` (docs/responses.md).
   */
  onAnswer?: (answer: Record<string, unknown>) => void;
}

/** One per client protocol: openai, anthropic, responses. */
export interface ClientCodec {
  /** Body is already schema-validated with gateway fields removed; throws GatewayError (400) on untranslatable input. */
  decodeRequest(body: Record<string, unknown>): IRRequest;
  encodeResponse(
    response: IRResponse,
    requestedModel: string,
    origin?: RequestOrigin,
  ): Record<string, unknown>;
  createStreamEncoder(options: {
    requestedModel: string;
    includeUsage: boolean;
    inputTokenEstimate: number;
    origin?: RequestOrigin;
  }): StreamEncoder;
}

/** One per provider type: openai, anthropic, gemini. */
export interface ProviderCodec {
  /** Path appended to the provider's base_url, and the JSON body. */
  encodeRequest(request: IRRequest, context: EncodeContext): { path: string; body: Record<string, unknown> };
  decodeResponse(json: unknown): IRResponse;
  createStreamDecoder(): StreamDecoder;
}
