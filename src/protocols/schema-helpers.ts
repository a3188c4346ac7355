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

/** `provider`: one provider name, or order/only/ignore lists (removed before the upstream call). */
export const ProviderControlSchema = Type.Union([
  Type.String(),
  Obj({
    order: Opt(Type.Array(Type.String())),
    only: Opt(Type.Array(Type.String())),
    ignore: Opt(Type.Array(Type.String())),
  }),
]);

/** `fallbacks`: models tried, in order, after the resolved targets fail. */
export const FallbacksControlSchema = Type.Array(Type.String());
