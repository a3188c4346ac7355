// Codec modules are evaluated on first use (src/protocols/codec-modules.ts; docs/performance.md,
// "Request schemas and codecs on first use"): starting evaluates none, a same-protocol JSON call
// none either, a same-protocol stream its protocol's own (the pass-through reads events with its
// decoder), a translated call the two it translates between; a codec nobody called, never.
import { expect, test } from "bun:test";
import { repoModule, runInFreshProcess } from "../support/fresh-process.ts";

test("codecs are evaluated by the first call that needs them, not by starting", async () => {
  const script = `
    const { startMockUpstream } = await import(${repoModule("test/support/mock-upstream.ts")});
    const { providersYaml, startTestGateway } = await import(${repoModule("test/support/gateway.ts")});
    const protocolModules = () => Object.keys(require.cache)
      .map((path) => path.match(/src\\/protocols\\/([\\w/-]+)\\.ts$/)?.[1])
      .filter(Boolean);
    // The codec modules themselves (embeddings-codec.ts is the embeddings codecs' shared contract).
    const codecs = () => protocolModules()
      .filter((name) => /^[\\w-]+\\/(?:[\\w-]+-)?codec$|^embeddings\\/(?:gemini|vertex|bedrock)-embeddings$/.test(name))
      .filter((name) => name !== "embeddings/embeddings-codec")
      .sort();
    // Any translation module at all (a request or answer converted from or to a wire, Gemini's
    // folder), but the two a same-protocol call uses: the Responses usage reader and the
    // embeddings answer's encoder.
    const SAME_PROTOCOL = ["responses/from-responses-usage", "embeddings/to-openai-embeddings"];
    const translationModules = () => protocolModules()
      .filter((name) => /\\/(?:from|to)-|^gemini\\//.test(name) && !SAME_PROTOCOL.includes(name))
      .sort();
    const mock = await startMockUpstream();
    const gateway = await startTestGateway({ yaml: providersYaml(mock) });
    const seen = {
      atStart: codecs(),
      translationAtStart: translationModules(),
      // A positive control: modules imported statically are listed too.
      validateAtStart: protocolModules().includes("validate"),
    };
    const post = async (path, body) => {
      const response = await fetch(gateway.url + path, {
        method: "POST",
        headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
        body: JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    };
    const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };
    const answer = { id: "c1", object: "chat.completion", created: 1, model: "gpt-4o-mini",
      choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
    mock.enqueue({ json: answer });
    const json = await post("/v1/chat/completions", chat);
    seen.afterSameProtocolJson = codecs();
    seen.translationAfterSameProtocolJson = translationModules();
    mock.enqueue({ sse: [
      'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"hello"},"finish_reason":"stop"}]}\\n\\n',
      "data: [DONE]\\n\\n",
    ] });
    const stream = await post("/v1/chat/completions", { ...chat, stream: true });
    seen.afterSameProtocolStream = codecs();
    mock.enqueue({ json: answer });
    const translated = await post("/v1/messages", { model: "gpt-4o-mini", max_tokens: 5, messages: [{ role: "user", content: "hi" }] });
    seen.afterTranslated = codecs();
    console.log(JSON.stringify({
      ...seen,
      statuses: [json.status, stream.status, translated.status],
      streamed: stream.text.includes("hello") && stream.text.endsWith("data: [DONE]\\n\\n"),
      translatedText: JSON.parse(translated.text).content[0].text,
    }));
    await gateway.stop();
    mock.stop();
    process.exit(0);`;
  expect(await runInFreshProcess(script)).toEqual({
    atStart: [],
    translationAtStart: [],
    validateAtStart: true,
    afterSameProtocolJson: [],
    translationAfterSameProtocolJson: [],
    afterSameProtocolStream: ["openai/codec"],
    afterTranslated: ["anthropic/codec", "openai/codec"],
    statuses: [200, 200, 200],
    streamed: true,
    translatedText: "hello",
  });
});
