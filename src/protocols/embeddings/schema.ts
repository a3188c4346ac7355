/**
 * POST /v1/embeddings, OpenAI's request format (docs/embeddings.md). Unknown members are allowed
 * and forwarded to OpenAI-compatible providers as they came; the gateway's routing controls
 * (`provider`, `fallbacks`) and `provider_options` are taken out before the upstream call.
 */
import { type Static, Type } from "@sinclair/typebox";
import {
  FallbacksControlSchema,
  Literals,
  Obj,
  Opt,
  OptNull,
  ProviderControlSchema,
  ProviderOptionsControlSchema,
} from "../schema-helpers.ts";
import { MAX_EMBEDDINGS_INPUTS } from "./max-inputs.ts";

const TokenIds = Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1 });

/** One text, several texts, one token-id array, or several (OpenAI-type providers only take token ids). */
export const EmbeddingsInputSchema = Type.Union([
  Type.String(),
  Type.Array(Type.String(), { minItems: 1, maxItems: MAX_EMBEDDINGS_INPUTS }),
  TokenIds,
  Type.Array(TokenIds, { minItems: 1, maxItems: MAX_EMBEDDINGS_INPUTS }),
]);

export const EmbeddingsRequestSchema = Obj(
  {
    model: Type.String({ minLength: 1 }),
    input: EmbeddingsInputSchema,
    dimensions: Opt(Type.Integer({ minimum: 1 })),
    encoding_format: Opt(Literals("float", "base64")),
    user: Opt(Type.String()),
    provider: Opt(ProviderControlSchema),
    fallbacks: Opt(FallbacksControlSchema),
    provider_options: OptNull(ProviderOptionsControlSchema),
  },
  "An OpenAI embeddings request",
);

export type EmbeddingsRequest = Static<typeof EmbeddingsRequestSchema>;
