// The request schemas are built on first use (docs/performance.md, "Request schemas and codecs on
// first use"): a protocol's first request builds its own, the first visit to the OpenAPI document
// all of them. Checked in a fresh process, by which schema modules have been evaluated.
import { expect, test } from "bun:test";
import { BUILD_APP_SCRIPT, runInFreshProcess } from "../support/fresh-process.ts";

test("no request schema is built by starting; a request builds its protocol's, the document all", async () => {
  const script = `
    ${BUILD_APP_SCRIPT}
    const built = () => Object.keys(require.cache)
      .map((path) => path.match(/src\\/protocols\\/(\\w+)\\/schema\\.ts$/)?.[1])
      .filter(Boolean)
      .sort();
    const atStart = built();
    // A positive control: modules imported statically are listed too.
    const validateAtStart = Object.keys(require.cache).some((path) => path.endsWith("src/protocols/validate.ts"));
    const post = (path, body) => app.handle(new Request("http://localhost" + path, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    }));
    const invalid = await post("/v1/messages", { model: "m", max_tokens: 1, messages: "hi" });
    const error = await invalid.json();
    const afterMessages = built();
    const spec = await (await app.handle(new Request("http://localhost/docs/json"))).json();
    console.log(JSON.stringify({
      atStart,
      validateAtStart,
      afterMessages,
      status: invalid.status,
      message: error.error.message,
      afterDocument: built(),
      ref: spec.paths["/v1/messages"].post.requestBody.content["application/json"].schema,
      components: Object.keys(spec.components.schemas).sort(),
      required: [...spec.components.schemas.AnthropicMessagesRequest.required].sort(),
    }));
    process.exit(0);`;
  expect(await runInFreshProcess(script)).toEqual({
    atStart: [],
    validateAtStart: true,
    afterMessages: ["anthropic"],
    status: 400,
    message: "messages: Expected array",
    afterDocument: ["anthropic", "embeddings", "openai", "responses"],
    ref: { $ref: "#/components/schemas/AnthropicMessagesRequest" },
    components: [
      "AnthropicCountTokensRequest",
      "AnthropicMessagesRequest",
      "EmbeddingsRequest",
      "OpenAIChatRequest",
      "ResponsesRequest",
    ],
    required: ["max_tokens", "messages", "model"],
  });
});
