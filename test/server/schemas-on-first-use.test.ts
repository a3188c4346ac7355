// The request schemas are built on first use (docs/performance.md, "Request schemas and codecs on
// first use"): a protocol's first request builds its own, the first visit to the OpenAPI document
// all of them. Checked in a fresh process, by which schema modules have been evaluated.
import { expect, test } from "bun:test";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");

test("no request schema is built by starting; a request builds its protocol's, the document all", async () => {
  const script = `
    const { loadConfigFromText } = await import(${JSON.stringify(join(ROOT, "src/config/load-config.ts"))});
    const { createRuntime } = await import(${JSON.stringify(join(ROOT, "src/gateway/runtime.ts"))});
    const { createApp } = await import(${JSON.stringify(join(ROOT, "src/server/app.ts"))});
    const { createLogger } = await import(${JSON.stringify(join(ROOT, "src/log/logger.ts"))});
    const built = () => Object.keys(require.cache)
      .map((path) => path.match(/src\\/protocols\\/(\\w+)\\/schema\\.ts$/)?.[1])
      .filter(Boolean)
      .sort();
    const config = loadConfigFromText("usage:\\n  store: off\\n", "/srv/s.yaml", {});
    const runtime = await createRuntime(config, { version: "9.9.9", logger: createLogger(() => {}) });
    const app = createApp(runtime);
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
  const child = Bun.spawn([process.execPath, "-e", script], { cwd: ROOT, stdout: "pipe", stderr: "inherit" });
  const output = await new Response(child.stdout).text();
  expect(await child.exited).toBe(0);
  expect(JSON.parse(output)).toEqual({
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
