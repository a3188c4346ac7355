/** The output limit of a translated request goes in the field the provider's `max_tokens_field` names. */
import { describe, expect, test } from "bun:test";
import type { EncodeContext } from "../../../src/ir/codec.ts";
import { anthropicClientCodec } from "../../../src/protocols/anthropic/codec.ts";
import { openAIProviderCodec } from "../../../src/protocols/openai/codec.ts";

function encode(model: string, maxTokensField?: EncodeContext["maxTokensField"]) {
  const ir = anthropicClientCodec.decodeRequest({
    model: "alias",
    max_tokens: 300,
    messages: [{ role: "user", content: "hi" }],
  });
  ir.model = model;
  const context: EncodeContext = { providerName: "p", strict: false, dropped: [], adjusted: [] };
  if (maxTokensField) context.maxTokensField = maxTokensField;
  return openAIProviderCodec.encodeRequest(ir, context).body;
}

describe("max_tokens_field", () => {
  test("the provider's setting decides, whatever the model id", () => {
    expect(encode("gpt-4o", "max_completion_tokens")).toMatchObject({ max_completion_tokens: 300 });
    expect(encode("gpt-4o", "max_completion_tokens").max_tokens).toBeUndefined();
    // A vLLM server hosting a model whose id looks like OpenAI's still gets max_tokens.
    expect(encode("o3-mini-distill", "max_tokens")).toMatchObject({ max_tokens: 300 });
    expect(encode("gpt-5-local", "max_tokens").max_completion_tokens).toBeUndefined();
  });

  test("without the setting, max_tokens: the model id is never guessed from", () => {
    expect(encode("gpt-5")).toMatchObject({ max_tokens: 300 });
    expect(encode("llama-3.3-70b")).toMatchObject({ max_tokens: 300 });
  });
});
