/**
 * The codec modules, each evaluated on its first use (a translated request, a same-protocol stream
 * observed, an embeddings call) instead of at start: a gateway that only forwards OpenAI to OpenAI
 * never evaluates Gemini's, Bedrock's or the Responses translation, and adding a codec costs
 * nothing at idle (docs/performance.md, "Request schemas and codecs on first use"). `require` is
 * synchronous (no `await` on the request path) and evaluates a module once; each loader keeps the
 * module it got, since a `require` of a loaded module still costs ~0.7 µs in the compiled binary
 * and a translated request reads its codecs several times. Nothing else imports these modules'
 * values: a static import would have the bundle evaluate them at start again
 * (test/server/codecs-on-first-use.test.ts).
 */
type AnthropicCodecs = typeof import("./anthropic/codec.ts");
type ConverseCodecs = typeof import("./bedrock-converse/codec.ts");
type GeminiCodecs = typeof import("./gemini/codec.ts");
type OpenAICodecs = typeof import("./openai/codec.ts");
type ResponsesClientCodecs = typeof import("./responses/codec.ts");
type ResponsesProviderCodecs = typeof import("./responses/provider-codec.ts");
type GeminiEmbeddings = typeof import("./embeddings/gemini-embeddings.ts");
type VertexEmbeddings = typeof import("./embeddings/vertex-embeddings.ts");
type BedrockEmbeddings = typeof import("./embeddings/bedrock-embeddings.ts");

/** A loader that requires its module on the first call and returns the same one after. */
function loaderOf<Module>(load: () => Module): () => Module {
  let module: Module | undefined;
  return () => {
    if (module === undefined) module = load();
    return module;
  };
}

export const openAICodecs = loaderOf((): OpenAICodecs => require("./openai/codec.ts"));
export const anthropicCodecs = loaderOf((): AnthropicCodecs => require("./anthropic/codec.ts"));
export const responsesClientCodecs = loaderOf((): ResponsesClientCodecs => require("./responses/codec.ts"));
export const responsesProviderCodecs = loaderOf(
  (): ResponsesProviderCodecs => require("./responses/provider-codec.ts"),
);
export const geminiCodecs = loaderOf((): GeminiCodecs => require("./gemini/codec.ts"));
export const converseCodecs = loaderOf((): ConverseCodecs => require("./bedrock-converse/codec.ts"));
export const geminiEmbeddings = loaderOf(
  (): GeminiEmbeddings => require("./embeddings/gemini-embeddings.ts"),
);
export const vertexEmbeddings = loaderOf(
  (): VertexEmbeddings => require("./embeddings/vertex-embeddings.ts"),
);
export const bedrockEmbeddings = loaderOf(
  (): BedrockEmbeddings => require("./embeddings/bedrock-embeddings.ts"),
);
