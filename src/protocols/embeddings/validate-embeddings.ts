import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { explainFailure } from "../validate.ts";
import { type EmbeddingsRequest, EmbeddingsRequestSchema } from "./schema.ts";

let check: TypeCheck<typeof EmbeddingsRequestSchema> | undefined;

/** Compiled on first use; a failure is a 400 naming the field (`input[1]: Expected string`). */
export function validateEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  check ??= TypeCompiler.Compile(EmbeddingsRequestSchema);
  if (check.Check(body)) return body;
  throw explainFailure(EmbeddingsRequestSchema, body, "openai");
}
