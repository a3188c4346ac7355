/**
 * Building blocks shared by the request schemas of both client APIs, and the gateway's own
 * request controls (protocol-independent). Objects allow unknown members: the gateway forwards
 * fields it does not know.
 */
import { type TLiteral, type TProperties, type TSchema, type TUnion, Type } from "@sinclair/typebox";

export const Obj = <T extends TProperties>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: true, ...(description ? { description } : {}) });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Opt = <T extends TSchema>(schema: T) => Type.Optional(schema);
export const OptNull = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

export function Literals<const T extends string[]>(...values: T): TUnion<{ [K in keyof T]: TLiteral<T[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<{
    [K in keyof T]: TLiteral<T[K]>;
  }>;
}

/** A JSON object with any members (JSON Schema documents, metadata maps). */
export const AnyObject = Type.Object({}, { additionalProperties: true });

/**
 * `provider`: one provider name, or order/only/ignore lists (removed before the upstream call).
 * `include_alpha` (AI Stats) is accepted and ignored: every configured provider is eligible.
 */
export const ProviderControlSchema = Type.Union([
  Type.String(),
  Obj({
    order: Opt(Type.Array(Type.String())),
    only: Opt(Type.Array(Type.String())),
    ignore: Opt(Type.Array(Type.String())),
    include_alpha: OptNull(Type.Boolean()),
  }),
]);

/** `fallbacks`: models tried, in order, after the resolved targets fail. */
export const FallbacksControlSchema = Type.Array(Type.String());

/** A gateway control object: closed, so a misspelt member is a 400 naming it, not silently ignored. */
const Closed = <T extends TProperties>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, description });

/** Every reasoning effort level a client may ask for; each target gets its nearest (src/ir/reasoning-levels.ts). */
export const ReasoningEffortSchema = Literals("none", "minimal", "low", "medium", "high", "xhigh", "max");

/** `reasoning` where the protocol has no such field (Anthropic Messages): mapped to `thinking` / `output_config`. */
export const ReasoningControlSchema = Closed(
  {
    effort: OptNull(ReasoningEffortSchema),
    summary: OptNull(Literals("auto", "concise", "detailed", "none")),
    enabled: OptNull(Type.Boolean()),
    max_tokens: OptNull(Type.Integer({ minimum: 0 })),
  },
  "Gateway reasoning control: effort, summary, enabled, max_tokens (thinking budget).",
);

/** `provider_options`: per provider type, members merged into the upstream body of that type. */
export const ProviderOptionsControlSchema = Obj(
  {
    openai: OptNull(AnyObject),
    anthropic: OptNull(AnyObject),
    google: OptNull(AnyObject),
  },
  "Provider-specific fields: the block of the provider type that answers is merged into its request.",
);

/** `debug`: what a JSON answer (or a stream's SSE comments) carries about the upstream call. */
export const DebugControlSchema = Closed(
  {
    enabled: OptNull(Type.Boolean()),
    return_upstream_request: OptNull(Type.Boolean()),
    return_upstream_response: OptNull(Type.Boolean()),
    trace: OptNull(Type.Boolean()),
    trace_level: OptNull(Literals("summary", "full")),
  },
  "Gateway debug controls (master key, or every key with server.debug). Never forwarded upstream.",
);

/**
 * The gateway's request controls besides `provider` and `fallbacks`, the same on every generation
 * endpoint (docs/request-controls.md): validated here, taken out before the upstream call.
 */
export const RequestControlProperties = {
  provider_options: OptNull(ProviderOptionsControlSchema),
  usage: OptNull(Type.Boolean()),
  meta: OptNull(Type.Boolean()),
  debug: OptNull(DebugControlSchema),
  echo_upstream_request: OptNull(Type.Boolean()),
};
