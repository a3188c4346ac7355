import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { invalidRequest } from "../../errors/gateway-error.ts";
import { type RequestSchemas, requestSchema } from "../request-schemas.ts";
import { explainFailure } from "../validate.ts";
import { MAX_EMBEDDINGS_INPUTS } from "./max-inputs.ts";
import type { EmbeddingsRequest } from "./schema.ts";

let check: TypeCheck<RequestSchemas["EmbeddingsRequest"]> | undefined;

/** Compiled on first use; a failure is a 400 naming the field (`input[1]: Expected string`). */
export function validateEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  check ??= TypeCompiler.Compile(requestSchema("EmbeddingsRequest"));
  if (check.Check(body)) return body;
  // Too many inputs fails every variant of the union; say that, not what the closest variant wanted.
  const input = (body as { input?: unknown } | null)?.input;
  if (Array.isArray(input) && input.length > MAX_EMBEDDINGS_INPUTS) {
    throw invalidRequest(
      `input: at most ${MAX_EMBEDDINGS_INPUTS} inputs a request, got ${input.length}`,
      "input",
    );
  }
  throw explainFailure(requestSchema("EmbeddingsRequest"), body, "openai");
}
