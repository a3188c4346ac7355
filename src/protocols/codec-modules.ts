/**
 * The codec modules, each evaluated on its first use (a translated request, a same-protocol stream
 * observed, an embeddings call) instead of at start: a gateway that only forwards OpenAI to OpenAI
 * never evaluates Gemini's, Bedrock's or the Responses translation, and adding a codec costs
 * nothing at idle (docs/performance.md, "Request schemas and codecs on first use"). `require` is
 * synchronous (no `await` on the request path) and evaluates a module once; each loader keeps the
 * module it got (load-once.ts). Nothing else imports these modules' values: a static import would
 * have the bundle evaluate them at start again (test/server/codecs-on-first-use.test.ts).
 */
import { loadOnce } from "./load-once.ts";

type AnthropicCodecs = typeof import("./anthropic/codec.ts");
type ConverseCodecs = typeof import("./bedrock-converse/codec.ts");
type GeminiCodecs = typeof import("./gemini/codec.ts");
type OpenAICodecs = typeof import("./openai/codec.ts");
type ResponsesClientCodecs = typeof import("./responses/codec.ts");
type ResponsesProviderCodecs = typeof import("./responses/provider-codec.ts");
type GeminiEmbeddings = typeof import("./embeddings/gemini-embeddings.ts");
type VertexEmbeddings = typeof import("./embeddings/vertex-embeddings.ts");
type BedrockEmbeddings = typeof import("./embeddings/bedrock-embeddings.ts");

export const openAICodecs = loadOnce((): OpenAICodecs => require("./openai/codec.ts"));
export const anthropicCodecs = loadOnce((): AnthropicCodecs => require("./anthropic/codec.ts"));
export const responsesClientCodecs = loadOnce((): ResponsesClientCodecs => require("./responses/codec.ts"));
export const responsesProviderCodecs = loadOnce(
  (): ResponsesProviderCodecs => require("./responses/provider-codec.ts"),
);
export const geminiCodecs = loadOnce((): GeminiCodecs => require("./gemini/codec.ts"));
export const converseCodecs = loadOnce((): ConverseCodecs => require("./bedrock-converse/codec.ts"));
export const geminiEmbeddings = loadOnce(
  (): GeminiEmbeddings => require("./embeddings/gemini-embeddings.ts"),
);
export const vertexEmbeddings = loadOnce(
  (): VertexEmbeddings => require("./embeddings/vertex-embeddings.ts"),
);
export const bedrockEmbeddings = loadOnce(
  (): BedrockEmbeddings => require("./embeddings/bedrock-embeddings.ts"),
);
