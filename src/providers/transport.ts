import type { ProviderKey, ResolvedProvider } from "../config/types.ts";
import type { StreamDeframer } from "../ir/stream-deframer.ts";
import type { ProviderWire } from "./provider-wire.ts";

export type { StreamDeframer, WireEvent } from "../ir/stream-deframer.ts";

/**
 * The transport half of a provider wire: where a call goes, how it is authorized, how its stream
 * is framed. The codec half (protocols/…/codec.ts) decides what the body says; the transport
 * never reads the body's meaning, only its bytes (to sign them).
 */

/** One HTTP request to a provider, ready to send (the body as its exact bytes). */
export interface UpstreamCall {
  /** POST when absent. */
  method?: string;
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** JSON text for generation and embeddings; raw bytes for a pass-through body read whole to sign it. */
  body: string | Uint8Array;
}

/** What a transport needs to place one call: the wire, the codec's path, the model, stream or not. */
export interface WireRoute {
  wire: ProviderWire;
  /** The path the wire's codec names (`/chat/completions`, `/v1beta/models/…:generateContent`). */
  path: string;
  /** The upstream model id of the target. */
  model: string;
  stream: boolean;
}

/** The provider and credential a call is authorized with. */
export interface CallCredentials {
  provider: ResolvedProvider;
  /** The key chosen by key rotation; undefined for keyless providers (a local server). */
  key: ProviderKey | undefined;
}

export interface ProviderTransport {
  /** The full URL of a call on this provider (base URL and the codec's path, or the cloud's own layout). */
  url(provider: ResolvedProvider, route: WireRoute): string;
  /**
   * The JSON body as the cloud wants it, when it differs from the wire's own (Vertex and Bedrock
   * want `anthropic_version` in the body and no `model`; Bedrock wants `anthropic-beta` as the
   * body's `anthropic_beta`, so it may move a protocol header of `headers` into the body).
   * Absent: the body as encoded.
   */
  adaptBody?(
    body: Record<string, unknown>,
    provider: ResolvedProvider,
    route: WireRoute,
    headers?: Record<string, string>,
  ): Record<string, unknown>;
  /**
   * Puts the credentials on a call, in place: a header (API key, bearer token), or a signature
   * over the method, URL, headers and body (SigV4). Call it last, once nothing else changes the
   * call. Rejects with a GatewayError (502, no secret in it) when no credential can be had.
   */
  authorize(call: UpstreamCall, credentials: CallCredentials): Promise<void>;
  /** The stream framing of this provider's answers: SSE can reach a client of the same protocol as is. */
  framing: "sse" | "aws-event-stream";
  createDeframer(route: WireRoute): StreamDeframer;
}
