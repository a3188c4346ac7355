/**
 * The raw YAML format of switchboard.yaml (docs/configuration.md), as a TypeBox schema. Every object is
 * closed (`additionalProperties: false`) so a typo is an error with its path, not a silent
 * default. Values that `${VAR}` expansion can produce accept numeric and boolean strings too
 * (`port: ${PORT:-8080}` expands to the string "8080"); resolve-config.ts converts them.
 *
 * The `expected` option on a schema is ours: validate-raw-config.ts reports it verbatim
 * instead of TypeBox's generic message.
 */
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { PROVIDER_TYPES } from "../providers/provider-type.ts";
import { DURATION_PATTERN } from "./parse-duration.ts";
import { SIZE_PATTERN } from "./parse-size.ts";

const closed = { additionalProperties: false } as const;

const Duration = Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: DURATION_PATTERN })], {
  expected: "a duration such as 250ms, 30s, 2m or 1h (a plain number is seconds)",
});

const Size = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: SIZE_PATTERN })], {
  expected: "a size such as 512KB, 10MiB or 1GiB (a plain number is bytes)",
});

function WholeNumber(minimum: number) {
  return Type.Union([Type.Integer({ minimum }), Type.String({ pattern: "^\\s*[0-9]+\\s*$" })], {
    expected: `a whole number >= ${minimum}`,
  });
}

const PositiveNumber = Type.Union(
  [Type.Number({ exclusiveMinimum: 0 }), Type.String({ pattern: "^\\s*([0-9]*\\.)?[0-9]+\\s*$" })],
  { expected: "a number > 0" },
);

const Price = Type.Union(
  [Type.Number({ minimum: 0 }), Type.String({ pattern: "^\\s*([0-9]*\\.)?[0-9]+\\s*$" })],
  { expected: "a price in USD per million tokens (a number >= 0)" },
);

const Flag = Type.Union([Type.Boolean(), Type.String({ pattern: "^\\s*(true|false)\\s*$" })], {
  expected: "true or false",
});

const NonEmptyString = Type.String({ minLength: 1, expected: "a non-empty string" });
const Sha256Hex = Type.String({ pattern: "^[0-9a-fA-F]{64}$", expected: "64 hex digits (a SHA-256)" });

export const ServerSchema = Type.Object(
  {
    host: Type.Optional(NonEmptyString),
    port: Type.Optional(WholeNumber(0)),
    body_limit: Type.Optional(Size),
    json_depth: Type.Optional(WholeNumber(1)),
    idle_timeout: Type.Optional(Duration),
    read_timeout: Type.Optional(Duration),
    drain_timeout: Type.Optional(Duration),
    drain_delay: Type.Optional(Duration),
    debug: Type.Optional(Flag),
    public_metrics: Type.Optional(Flag),
    console: Type.Optional(Flag),
  },
  closed,
);

export const GatewayKeySchema = Type.Object(
  {
    name: NonEmptyString,
    key: Type.Optional(Type.String()),
    key_sha256: Type.Optional(Sha256Hex),
    models: Type.Optional(Type.Array(NonEmptyString)),
    rpm: Type.Optional(WholeNumber(1)),
    tpm: Type.Optional(WholeNumber(1)),
    max_concurrent: Type.Optional(WholeNumber(1)),
    /** May use the raw pass-through `/p/{provider}/…` (docs/passthrough.md); default false. */
    passthrough: Type.Optional(Flag),
  },
  closed,
);

export const AuthSchema = Type.Object(
  {
    master_key: Type.Optional(Type.String()),
    master_key_sha256: Type.Optional(Sha256Hex),
    keys: Type.Optional(Type.Array(GatewayKeySchema)),
  },
  closed,
);

export const ProviderKeySchema = Type.Union([
  Type.String(),
  Type.Object({ key: Type.String(), weight: Type.Optional(PositiveNumber) }, closed),
]);

export const ProviderSchema = Type.Object(
  {
    type: Type.Optional(
      Type.Union(
        PROVIDER_TYPES.map((type) => Type.Literal(type)),
        { expected: `one of ${PROVIDER_TYPES.join(", ")}` },
      ),
    ),
    /** Our extension: borrow a preset under another name (`openai-backup: { preset: openai }`). */
    preset: Type.Optional(NonEmptyString),
    base_url: Type.Optional(NonEmptyString),
    api_key: Type.Optional(Type.String()),
    keys: Type.Optional(Type.Array(ProviderKeySchema, { minItems: 1, expected: "a non-empty list of keys" })),
    models: Type.Optional(Type.Array(NonEmptyString)),
    timeout: Type.Optional(Duration),
    stall_timeout: Type.Optional(Duration),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    model_prefixes: Type.Optional(Type.Array(NonEmptyString)),
    responses: Type.Optional(
      Type.Union([Flag, Type.Array(NonEmptyString)], { expected: "true, false or a list of model-id globs" }),
    ),
    max_tokens_field: Type.Optional(
      Type.Union([Type.Literal("max_tokens"), Type.Literal("max_completion_tokens")], {
        expected: "max_tokens or max_completion_tokens",
      }),
    ),
    // type: azure (docs/configuration.md#azure)
    api_version: Type.Optional(NonEmptyString),
    deployments: Type.Optional(Type.Record(Type.String(), NonEmptyString)),
    auth: Type.Optional(
      Type.Union([Type.Literal("api-key"), Type.Literal("bearer")], { expected: "api-key or bearer" }),
    ),
    // Entra ID client credentials instead of a key (an empty value, e.g. `${AZURE_CLIENT_SECRET:-}`, means unset)
    tenant_id: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String()),
    client_secret: Type.Optional(Type.String()),
    authority_host: Type.Optional(NonEmptyString),
    // type: vertex
    project: Type.Optional(NonEmptyString),
    location: Type.Optional(NonEmptyString),
    credentials: Type.Optional(NonEmptyString),
    // type: bedrock
    region: Type.Optional(NonEmptyString),
    aws_access_key_id: Type.Optional(Type.String()),
    aws_secret_access_key: Type.Optional(Type.String()),
    aws_session_token: Type.Optional(Type.String()),
  },
  closed,
);

export const RouteTargetSchema = Type.Union([
  NonEmptyString,
  Type.Object({ model: NonEmptyString, weight: Type.Optional(PositiveNumber) }, closed),
]);

export const ModelRouteSchema = Type.Union([
  NonEmptyString,
  Type.Array(RouteTargetSchema, { minItems: 1, expected: "a non-empty list of targets" }),
  Type.Object(
    {
      strategy: Type.Optional(
        Type.Union([Type.Literal("ordered"), Type.Literal("weighted"), Type.Literal("round_robin")], {
          expected: "one of ordered, weighted, round_robin",
        }),
      ),
      targets: Type.Array(RouteTargetSchema, { minItems: 1, expected: "a non-empty list of targets" }),
    },
    closed,
  ),
]);

export const FallbackConditionSchema = Type.Union(
  [
    Type.Integer({ minimum: 400, maximum: 599 }),
    Type.String({ pattern: "^([45][0-9][0-9]|5xx|timeout|network)$" }),
  ],
  { expected: "an HTTP status (400-599), 5xx, timeout or network" },
);

export const RoutingSchema = Type.Object(
  {
    retries: Type.Optional(WholeNumber(0)),
    retry_backoff: Type.Optional(Duration),
    retry_after_cap: Type.Optional(Duration),
    fallback_on: Type.Optional(Type.Array(FallbackConditionSchema)),
    circuit_breaker: Type.Optional(
      Type.Object({ failures: Type.Optional(WholeNumber(0)), cooldown: Type.Optional(Duration) }, closed),
    ),
    stream_idle_timeout: Type.Optional(Duration),
    provider_fallback: Type.Optional(Flag),
  },
  closed,
);

/** `catalog:`: canonical id → provider or preset name → that provider's id, or false (not served there). */
export const CatalogEntrySchema = Type.Record(
  Type.String(),
  Type.Union([NonEmptyString, Type.Literal(false)], {
    expected: "the model id this provider is called with, or false (not served there)",
  }),
);

export const ModelPriceSchema = Type.Object(
  {
    input: Price,
    output: Price,
    cache_read: Type.Optional(Price),
    cache_write: Type.Optional(Price),
  },
  closed,
);

export const UsageSchema = Type.Object(
  {
    store: Type.Optional(NonEmptyString),
    log_bodies: Type.Optional(Flag),
    body_log_limit: Type.Optional(Size),
    prices: Type.Optional(Type.Record(Type.String(), ModelPriceSchema)),
    spool: Type.Optional(NonEmptyString),
    spool_limit: Type.Optional(Size),
    write_timeout: Type.Optional(Duration),
  },
  closed,
);

export const LimitsSchema = Type.Object(
  {
    store: Type.Optional(NonEmptyString),
    timeout: Type.Optional(Duration),
    lease: Type.Optional(
      Type.Number({ minimum: 0, maximum: 0.5, expected: "a fraction of each limit, 0 to 0.5 (e.g. 0.01)" }),
    ),
    on_store_failure: Type.Optional(
      Type.Union([Type.Literal("local"), Type.Literal("open"), Type.Literal("closed")], {
        expected: "local, open or closed",
      }),
    ),
  },
  closed,
);

export const ResponsesSchema = Type.Object({ retention: Type.Optional(Duration) }, closed);

export const ConfigSchema = Type.Object(
  {
    server: Type.Optional(ServerSchema),
    auth: Type.Optional(AuthSchema),
    // A bare `ollama:` (null) means "this preset, all defaults".
    providers: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Null(), ProviderSchema]))),
    models: Type.Optional(Type.Record(Type.String(), ModelRouteSchema)),
    routing: Type.Optional(RoutingSchema),
    catalog: Type.Optional(Type.Record(Type.String(), CatalogEntrySchema)),
    usage: Type.Optional(UsageSchema),
    limits: Type.Optional(LimitsSchema),
    responses: Type.Optional(ResponsesSchema),
  },
  closed,
);

export type RawConfig = Static<typeof ConfigSchema>;
export type RawProvider = Static<typeof ProviderSchema>;
export type RawModelRoute = Static<typeof ModelRouteSchema>;
export type RawRouteTarget = Static<typeof RouteTargetSchema>;
export type RawGatewayKey = Static<typeof GatewayKeySchema>;

/** Our `expected` annotation, when a schema carries one. */
export function expectedOf(schema: TSchema): string | undefined {
  const expected: unknown = (schema as { expected?: unknown }).expected;
  return typeof expected === "string" ? expected : undefined;
}
