/**
 * What the request pipeline asks of a client protocol (docs/ARCHITECTURE.md, "Client protocols").
 * Each protocol is one module implementing this, and `client-protocols.ts` holds them in a
 * `Record<ClientProtocol, …>`: adding a protocol is a compile error at every place that must know.
 */
import type { ClientCodec, ClientProtocol } from "../ir/codec.ts";
import type { StreamDeframer } from "../ir/stream-deframer.ts";
import type { StreamObservation, StreamTransform } from "../ir/stream-transform.ts";
import type { IRUsage } from "../ir/types.ts";

export type { ClientProtocol };

/** Name of a generation endpoint in logs, metrics and usage rows. */
export type EndpointName = "chat_completions" | "messages" | "responses";

/** How a client body is changed for a provider that speaks its protocol natively. */
export interface NativeBodyPlan {
  /** Top-level fields to set besides `model`; undefined when nothing else changes. */
  set?: Record<string, unknown>;
  /** The stream will carry usage the client did not ask for: the pass-through hides it. */
  hideUsage: boolean;
}

export interface ClientProtocolModule {
  protocol: ClientProtocol;
  endpoint: EndpointName;
  /** Request paths, the SDK-style prefixed ones included; errors on them use this envelope. */
  routes: readonly string[];
  /** Compiled schema check; throws a 400 GatewayError naming the field. */
  validate(body: unknown): void;
  /** Its module is evaluated on the first read (codec-modules.ts): translations only. */
  readonly codec: ClientCodec;
  /** The `usage` member of a same-protocol JSON answer → IR usage. */
  readUsage(usage: unknown): Partial<IRUsage> | undefined;
  /** Whether the client asked for usage in its stream (OpenAI `stream_options.include_usage`). */
  wantsStreamUsage(body: Record<string, unknown>): boolean;
  planNativeBody(body: Record<string, unknown>, stream: boolean): NativeBodyPlan;
  /**
   * The protocol has server-kept conversation state (Responses: `store`, `previous_response_id`),
   * which the gateway provides itself for the providers it translates to.
   */
  keepsConversationState: boolean;
  /** Same-protocol streams: bytes out as they came, usage and finish observed on the side. */
  createPassthrough(
    observation: StreamObservation,
    plan: NativeBodyPlan,
    deframer: StreamDeframer,
  ): StreamTransform;
}
