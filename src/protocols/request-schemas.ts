/**
 * The request schemas of the API endpoints, built on first use: by a protocol's first request
 * (its validator is compiled from it) or the first visit to the OpenAPI document. Building all
 * five at start, for a process that may never serve some of them, cost ~0.6 MB of idle RSS and a
 * few milliseconds of start-up, and its thousands of TypeBox calls were most of what the JIT's
 * optimizing tier compiled before the first request (docs/performance.md, "Request schemas and
 * codecs on first use"). So no module imports a schema module's values: they are reached through
 * `requestSchema`, whose `require` is synchronous and evaluates the module once (load-once.ts)
 * (test/server/schemas-on-first-use.test.ts).
 */
import type { TSchema } from "@sinclair/typebox";
import { loadOnce } from "./load-once.ts";

type AnthropicSchemas = typeof import("./anthropic/schema.ts");
type EmbeddingsSchemas = typeof import("./embeddings/schema.ts");
type OpenAISchemas = typeof import("./openai/schema.ts");
type ResponsesSchemas = typeof import("./responses/schema.ts");

/** Each endpoint's request schema, by its name in the OpenAPI document's components. */
export interface RequestSchemas {
  OpenAIChatRequest: OpenAISchemas["OpenAIChatRequestSchema"];
  AnthropicMessagesRequest: AnthropicSchemas["AnthropicMessagesRequestSchema"];
  AnthropicCountTokensRequest: AnthropicSchemas["AnthropicCountTokensRequestSchema"];
  ResponsesRequest: ResponsesSchemas["ResponsesRequestSchema"];
  EmbeddingsRequest: EmbeddingsSchemas["EmbeddingsRequestSchema"];
}

export type RequestSchemaName = keyof RequestSchemas;

const openAI = loadOnce((): OpenAISchemas => require("./openai/schema.ts"));
const anthropic = loadOnce((): AnthropicSchemas => require("./anthropic/schema.ts"));
const responses = loadOnce((): ResponsesSchemas => require("./responses/schema.ts"));
const embeddings = loadOnce((): EmbeddingsSchemas => require("./embeddings/schema.ts"));

const LOADERS: { [Name in RequestSchemaName]: () => RequestSchemas[Name] } = {
  OpenAIChatRequest: () => openAI().OpenAIChatRequestSchema,
  AnthropicMessagesRequest: () => anthropic().AnthropicMessagesRequestSchema,
  AnthropicCountTokensRequest: () => anthropic().AnthropicCountTokensRequestSchema,
  ResponsesRequest: () => responses().ResponsesRequestSchema,
  EmbeddingsRequest: () => embeddings().EmbeddingsRequestSchema,
};

/** The schema, its module evaluated on the first call (the same object on every call after). */
export const requestSchema = <Name extends RequestSchemaName>(name: Name): RequestSchemas[Name] =>
  LOADERS[name]();

/** Where the OpenAPI document holds the schema: its routes refer to it, the document builds it. */
export const requestSchemaRef = (name: RequestSchemaName): { $ref: string } => ({
  $ref: `#/components/schemas/${name}`,
});

/** Every request schema, for the OpenAPI document's `components.schemas` (built on its first visit). */
export function requestSchemaComponents(): Record<RequestSchemaName, TSchema> {
  const components = {} as Record<RequestSchemaName, TSchema>;
  for (const name of Object.keys(LOADERS) as RequestSchemaName[]) components[name] = requestSchema(name);
  return components;
}
