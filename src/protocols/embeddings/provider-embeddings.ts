import type { ProviderType } from "../../config/types.ts";
import { bedrockEmbeddings, geminiEmbeddings, vertexEmbeddings } from "../codec-modules.ts";
import type { EmbeddingsCodec } from "./embeddings-codec.ts";

/**
 * How a provider embeds (docs/embeddings.md):
 * - `native`: it speaks OpenAI's embeddings API: the zero-copy pipe (client bytes up, provider
 *   bytes back, usage read on the side) on `path`, placed by the provider's transport (Azure puts
 *   the deployment in the URL, or in `model` through its adaptBody);
 * - `translated`: a codec turns the request into the provider's calls and the answers back;
 * - `none`: the provider has no embeddings; a request routed only there is a 400 naming the model.
 */
export type EmbeddingsSupport =
  | { kind: "native"; path: string }
  | { kind: "translated"; readonly codec: EmbeddingsCodec }
  | { kind: "none"; reason: string };

/** Embedded through a codec whose module is evaluated on the first read of `codec` (codec-modules.ts). */
function translated(codec: () => EmbeddingsCodec): EmbeddingsSupport {
  return {
    kind: "translated",
    get codec() {
      return codec();
    },
  };
}

/** Every provider type; a new type is a compile error here until it says how it embeds. */
export const PROVIDER_EMBEDDINGS: Record<ProviderType, EmbeddingsSupport> = {
  openai: { kind: "native", path: "/embeddings" },
  anthropic: { kind: "none", reason: "Anthropic's API has no embeddings endpoint" },
  gemini: translated(() => geminiEmbeddings().geminiEmbeddingsCodec),
  azure: { kind: "native", path: "/embeddings" },
  // `:predict`, batches by model (gemini-embedding: 1 instance a call, others 250).
  vertex: translated(() => vertexEmbeddings().vertexEmbeddingsCodec),
  // InvokeModel by model id: Titan one text a call, Cohere up to 96; other models a 400.
  bedrock: translated(() => bedrockEmbeddings().bedrockEmbeddingsCodec),
};
