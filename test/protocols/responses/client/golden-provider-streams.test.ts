/**
 * Recorded Anthropic and Gemini streams → provider decoder → IR → Responses stream encoder → the
 * official `openai` SDK's stream reader (`responses.stream().finalResponse()`), and the answer
 * sent back as the next request's input, to check that reasoning survives the round trip.
 */
import { describe, expect, test } from "bun:test";
import type { ResponseInputItem } from "openai/resources/responses/responses";
import type { EncodeContext, ProviderCodec } from "../../../../src/ir/codec.ts";
import { anthropicProviderCodec } from "../../../../src/protocols/anthropic/codec.ts";
import { geminiProviderCodec } from "../../../../src/protocols/gemini/codec.ts";
import { responsesClientCodec } from "../../../../src/protocols/responses/codec.ts";
import { decodeStream } from "../../../ir/translate-stream.ts";
import { readFixture, recordedInteractions } from "../../../support/fixtures.ts";
import {
  encodeEvents,
  expectGrammar,
  type Json,
  originOf,
  parseEvents,
  sdkFinalResponse,
} from "./helpers.ts";

/** Upstream SSE → the client's SSE, checked against the grammar, and what the SDK makes of it. */
async function throughGateway(provider: ProviderCodec, upstream: string, body: Json) {
  const sse = encodeEvents(decodeStream(provider, upstream), originOf(body), "client-model");
  const terminal = expectGrammar(parseEvents(sse));
  const final = await sdkFinalResponse(sse);
  return { terminal, final };
}

const context = (): EncodeContext => ({ providerName: "p", strict: false, dropped: [], adjusted: [] });

describe("Anthropic stream → Responses client (through the official SDK)", () => {
  test("text then a tool call (sdkts-tool_use_response): output_text, the function call, usage", async () => {
    const body = {
      model: "claude-opus-4-8",
      input: "What's the weather in Paris?",
      tools: [{ type: "function", name: "get_weather", parameters: { type: "object" }, strict: false }],
    };
    const { final } = await throughGateway(
      anthropicProviderCodec,
      readFixture("anthropic/sdkts-tool_use_response.txt"),
      body,
    );
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe("I'll check the current weather in Paris for you.");
    expect(final.output.map((item) => item.type)).toEqual(["message", "function_call"]);
    expect(final.output[1]).toMatchObject({
      type: "function_call",
      status: "completed",
      call_id: "toolu_01NRLabsLyVHZPKxbKvkfSMn",
      name: "get_weather",
      arguments: '{"location": "Paris"}',
    });
    expect(final.usage).toMatchObject({ input_tokens: 377, output_tokens: 65, total_tokens: 442 });
    expect(final.model).toBe("client-model");
  });

  test("thinking + signature, then a refusal (fable): a reasoning item whose encrypted_content restores the signature next turn", async () => {
    const body = {
      model: "claude-fable-5",
      input: "What is a solar eclipse, claudius?",
      reasoning: { effort: "low", summary: "auto" },
    };
    const { final } = await throughGateway(
      anthropicProviderCodec,
      readFixture("anthropic/fable-fallback-stream-a-refusal.txt"),
      body,
    );
    expect(final.status).toBe("incomplete");
    expect(final.incomplete_details).toEqual({ reason: "content_filter" });
    expect(final.output_text).toBe("Hi");
    // (Plain comparisons here: bun's toMatchObject writes asymmetric matchers into arrays it is given.)
    const reasoning = final.output[0] as unknown as Json;
    expect(reasoning.type).toBe("reasoning");
    expect(reasoning.encrypted_content).toBe(
      "anthropic:c3ludGhldGljLXNpZ25hdHVyZS1maXh0dXJlLWEtbm90LWEtcmVhbC1zaWduYXR1cmU=",
    );
    const summary = reasoning.summary as Json[];
    expect(summary.length).toBe(1);
    expect(summary[0]!.text).toStartWith("Simple educational question");
    expect(final.usage?.output_tokens_details.reasoning_tokens).toBe(67);

    // The client sends the output back: the Anthropic request gets the signed thinking block again.
    const next = responsesClientCodec.decodeRequest({
      ...body,
      input: [
        { role: "user", content: body.input },
        ...(final.output as unknown as ResponseInputItem[]),
        { role: "user", content: "Go on." },
      ],
    });
    const { body: upstream } = anthropicProviderCodec.encodeRequest(next, context());
    const assistant = (upstream.messages as Json[])[1]!;
    expect(assistant.role).toBe("assistant");
    expect((assistant.content as Json[])[0]).toEqual({
      type: "thinking",
      thinking: expect.stringMatching(/^Simple educational question/),
      signature: "c3ludGhldGljLXNpZ25hdHVyZS1maXh0dXJlLWEtbm90LWEtcmVhbC1zaWduYXR1cmU=",
    });
  });
});

describe("Gemini stream → Responses client (through the official SDK)", () => {
  test("text (GoModel streamGenerateContent): output_text and usage", async () => {
    const { final } = await throughGateway(
      geminiProviderCodec,
      `${readFixture("gemini/gomodel-native-streamGenerateContent-sse.txt")}\n`,
      { model: "gemini-2.5-flash", input: "Say hello" },
    );
    expect(final.status).toBe("completed");
    expect(final.output_text).toBe("Hello, World!");
    expect(final.usage).toMatchObject({
      input_tokens: 11,
      output_tokens: 22,
      output_tokens_details: { reasoning_tokens: 18 },
    });
  });

  test("a function call with a thought signature: the signature rides in a reasoning item and returns to the functionCall", async () => {
    const sse = recordedInteractions(
      "gemini/jsgenai-stream-function-call-thought-signature-2.5-flash.json",
    )[0]!.bodyText;
    const body = {
      model: "gemini-2.5-flash",
      input: "What is 10 divided by 2?",
      reasoning: { effort: "medium" },
      tools: [{ type: "function", name: "customDivide", parameters: { type: "object" }, strict: false }],
    };
    const { final } = await throughGateway(geminiProviderCodec, sse, body);
    expect(final.output.map((item) => item.type)).toEqual(["reasoning", "function_call"]);
    const [reasoning, call] = final.output as unknown as Json[];
    expect(reasoning!.encrypted_content).toStartWith(`gemini:call:${call!.call_id}:`);
    expect(call).toMatchObject({ name: "customDivide", status: "completed" });
    expect(JSON.parse(call!.arguments as string)).toEqual({ denominator: 2, numerator: 10 });

    // Sent back with the call's output: Gemini gets its signature on the functionCall part again.
    const next = responsesClientCodec.decodeRequest({
      ...body,
      input: [
        { role: "user", content: body.input },
        ...(final.output as unknown as ResponseInputItem[]),
        { type: "function_call_output", call_id: call!.call_id, output: "5" },
      ],
    });
    const { body: upstream } = geminiProviderCodec.encodeRequest(next, context());
    const model = (upstream.contents as Json[]).find((c) => c.role === "model")!;
    const signature = (reasoning!.encrypted_content as string).slice(`gemini:call:${call!.call_id}:`.length);
    expect(model.parts).toEqual([
      {
        functionCall: { name: "customDivide", args: { denominator: 2, numerator: 10 } },
        thoughtSignature: signature,
      },
    ]);
  });
});
