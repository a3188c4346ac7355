import { describe, expect, test } from "bun:test";
import { isGatewayError } from "../../../src/errors/gateway-error.ts";
import { geminiProviderCodec } from "../../../src/protocols/gemini/codec.ts";
import { fromGeminiResponse } from "../../../src/protocols/gemini/from-gemini-response.ts";
import { readFixture, recordedInteractions } from "../../support/fixtures.ts";
import { sequentialIds } from "./helpers.ts";

const firstResponse = (name: string): unknown => JSON.parse(recordedInteractions(name)[0]!.bodyText);

describe("decodeResponse", () => {
  test("louter text response: text, end_turn, thoughts added to output, ids and model kept", () => {
    const response = geminiProviderCodec.decodeResponse(
      JSON.parse(readFixture("gemini/louter-native-generateContent-text.json")),
    );
    expect(response).toEqual({
      id: "FugfaZasF6ra2roP_9i9KQ",
      model: "gemini-2.5-flash",
      parts: [{ type: "text", text: "Hello!" }],
      stopReason: "end_turn",
      // STOP is also what Gemini says for a matched stop sequence (client encoders decide).
      stopSequenceUnknown: true,
      usage: { inputTokens: 3, outputTokens: 19, reasoningTokens: 17 },
      created: expect.any(Number),
    });
  });

  test("thought parts become reasoning; MAX_TOKENS → max_tokens", () => {
    const response = fromGeminiResponse(firstResponse("gemini/jsgenai-nonstream-thought-parts.json"));
    expect(response.parts).toHaveLength(1);
    expect(response.parts[0]).toMatchObject({ type: "reasoning" });
    expect(response.parts[0]?.type === "reasoning" && response.parts[0].text).toStartWith(
      "**Breaking Down the Sum of Natural Numbers**",
    );
    expect(response.stopReason).toBe("max_tokens");
    expect(response.usage).toEqual({ inputTokens: 17, outputTokens: 19, reasoningTokens: 19 });
  });

  test("three parallel function calls → three tool calls with generated ids; STOP → tool_use", () => {
    const response = fromGeminiResponse(
      firstResponse("gemini/jsgenai-nonstream-parallel-function-calls-3.json"),
      sequentialIds(),
    );
    expect(response.parts).toEqual([
      { type: "tool_call", id: "call_0", name: "print", arguments: '{"color":"blue","text":"hello"}' },
      { type: "tool_call", id: "call_1", name: "beep", arguments: "{}" },
      {
        type: "tool_call",
        id: "call_2",
        name: "controlLight",
        arguments: '{"brightness":50,"colorTemperature":"warm"}',
      },
    ]);
    expect(response.stopReason).toBe("tool_use");
  });

  test("a function call's thoughtSignature: on the tool call, and in a call-bound reasoning part before it", () => {
    const response = fromGeminiResponse(
      firstResponse("gemini/jsgenai-nonstream-function-call-parametersJsonSchema.json"),
      sequentialIds(),
    );
    const [bound, call] = response.parts;
    expect(bound?.type === "reasoning" && bound.text).toBe("");
    expect(bound?.type === "reasoning" && bound.signature).toStartWith("gemini:call:call_0:CpUCAdHtim9p");
    expect(call?.type === "tool_call" && call.id).toBe("call_0");
    expect(call?.type === "tool_call" && call.signature).toStartWith("gemini:CpUCAdHtim9p");
    expect(response.stopReason).toBe("tool_use");
  });

  test("default ids are unique call_ ids; Gemini's own id is used when present", () => {
    const a = fromGeminiResponse({
      candidates: [{ content: { parts: [{ functionCall: { name: "f" } }] }, finishReason: "STOP" }],
    });
    const b = fromGeminiResponse({
      candidates: [{ content: { parts: [{ functionCall: { name: "f" } }] }, finishReason: "STOP" }],
    });
    const idOf = (r: typeof a) => (r.parts[0]?.type === "tool_call" ? r.parts[0].id : "");
    expect(idOf(a)).toMatch(/^call_[A-Za-z0-9]{12}$/);
    expect(idOf(a)).not.toBe(idOf(b));
    const own = fromGeminiResponse({
      candidates: [{ content: { parts: [{ functionCall: { id: "fc-9", name: "f", args: { x: 1 } } }] } }],
    });
    expect(own.parts[0]).toEqual({ type: "tool_call", id: "fc-9", name: "f", arguments: '{"x":1}' });
  });

  test("text with a signature: an empty text-bound reasoning part carries it, just before the text", () => {
    const response = fromGeminiResponse({
      candidates: [
        {
          content: {
            parts: [
              { text: "thinking...", thought: true },
              { text: "Answer", thoughtSignature: "SIG" },
              { text: " continues" },
            ],
          },
          finishReason: "STOP",
        },
      ],
    });
    expect(response.parts).toEqual([
      { type: "reasoning", text: "thinking..." },
      { type: "reasoning", text: "", signature: "gemini:text:SIG" },
      { type: "text", text: "Answer continues" },
    ]);
  });

  test("usage: cached tokens are taken out of input (IR convention) and reported as cache reads", () => {
    const response = fromGeminiResponse({
      candidates: [{ content: { parts: [{ text: "x" }] }, finishReason: "STOP" }],
      usageMetadata: {
        promptTokenCount: 1000,
        cachedContentTokenCount: 800,
        candidatesTokenCount: 5,
        thoughtsTokenCount: 10,
      },
    });
    expect(response.usage).toEqual({
      inputTokens: 200,
      outputTokens: 15,
      cacheReadTokens: 800,
      reasoningTokens: 10,
    });
  });

  test("a blocked prompt (no candidates) is a refusal with the reason", () => {
    const response = fromGeminiResponse({
      promptFeedback: { blockReason: "SAFETY" },
      usageMetadata: { promptTokenCount: 9 },
    });
    expect(response.parts).toEqual([]);
    expect(response.stopReason).toBe("refusal");
    expect(response.refusal).toBe("The prompt was blocked by Gemini (SAFETY).");
  });

  test("a SAFETY finish without text is a refusal; with partial text the text is kept", () => {
    const empty = fromGeminiResponse({ candidates: [{ finishReason: "SAFETY" }] });
    expect(empty.stopReason).toBe("refusal");
    expect(empty.refusal).toBe("The response was stopped by Gemini (SAFETY).");
    const explained = fromGeminiResponse({
      candidates: [{ finishReason: "SAFETY", finishMessage: "Unsafe." }],
    });
    expect(explained.refusal).toBe("Unsafe.");
    expect(explained.stopSequenceUnknown).toBeUndefined();
    const partial = fromGeminiResponse({
      candidates: [{ content: { parts: [{ text: "Once" }] }, finishReason: "RECITATION" }],
    });
    expect(partial.stopReason).toBe("refusal");
    expect(partial.parts).toEqual([{ type: "text", text: "Once" }]);
    expect(partial.refusal).toBeUndefined();
  });

  test("MALFORMED_FUNCTION_CALL → error stop reason", () => {
    expect(fromGeminiResponse({ candidates: [{ finishReason: "MALFORMED_FUNCTION_CALL" }] }).stopReason).toBe(
      "error",
    );
  });

  test("a non-object body or an error body is a 502 GatewayError", () => {
    for (const body of [null, "text", [1], { error: { code: 500, message: "boom", status: "INTERNAL" } }]) {
      let caught: unknown;
      try {
        fromGeminiResponse(body);
      } catch (error) {
        caught = error;
      }
      expect(isGatewayError(caught) && caught.status).toBe(502);
    }
  });
});
