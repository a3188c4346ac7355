import { describe, expect, test } from "bun:test";
import { isGatewayError } from "../../../src/errors/gateway-error.ts";
import type { IRMessage } from "../../../src/ir/types.ts";
import { geminiProviderCodec } from "../../../src/protocols/gemini/codec.ts";
import { fromGeminiResponse } from "../../../src/protocols/gemini/from-gemini-response.ts";
import { toGeminiContents } from "../../../src/protocols/gemini/to-gemini-contents.ts";
import { toGeminiRequest } from "../../../src/protocols/gemini/to-gemini-request.ts";
import { recordedInteractions } from "../../support/fixtures.ts";
import { makeContext, makeRequest, sequentialIds } from "./helpers.ts";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("encodeRequest", () => {
  test("path follows stream; body has contents, systemInstruction, generationConfig", () => {
    const { path, body } = geminiProviderCodec.encodeRequest(
      makeRequest({
        stream: true,
        system: [
          { type: "text", text: "Be brief." },
          { type: "text", text: "Answer in French." },
        ],
        temperature: 0.3,
        topP: 0.9,
        topK: 40,
        maxTokens: 256,
        stop: ["END"],
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
      }),
      makeContext(),
    );
    expect(path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(body).toEqual({
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
      systemInstruction: { parts: [{ text: "Be brief." }, { text: "Answer in French." }] },
      generationConfig: {
        temperature: 0.3,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 256,
        stopSequences: ["END"],
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
      },
    });
  });

  test("a bare request has no empty generationConfig/systemInstruction/tools", () => {
    expect(toGeminiRequest(makeRequest(), makeContext())).toEqual({
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
    });
  });

  test("structured output: json_schema → responseMimeType + cleaned responseJsonSchema", () => {
    const body = toGeminiRequest(
      makeRequest({
        responseFormat: {
          type: "json_schema",
          name: "person",
          strict: true,
          schema: {
            $schema: "http://json-schema.org/draft-07/schema#",
            type: "object",
            properties: { name: { type: "string" }, kind: { const: "person" } },
          },
        },
      }),
      makeContext(),
    );
    expect(body.generationConfig).toEqual({
      responseMimeType: "application/json",
      responseJsonSchema: {
        type: "object",
        properties: { name: { type: "string" }, kind: { enum: ["person"] } },
      },
    });
    const jsonMode = toGeminiRequest(makeRequest({ responseFormat: { type: "json_object" } }), makeContext());
    expect(jsonMode.generationConfig).toEqual({ responseMimeType: "application/json" });
  });

  test("reasoning effort → thinkingConfig with thoughts", () => {
    const body = toGeminiRequest(makeRequest({ reasoning: { effort: "low" } }), makeContext());
    expect(body.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
    });
  });

  test("tools → functionDeclarations with parametersJsonSchema; tool_choice → functionCallingConfig", () => {
    const body = toGeminiRequest(
      makeRequest({
        tools: [
          {
            name: "get_weather",
            description: "Weather for a city",
            parameters: {
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
              additionalProperties: false,
            },
          },
          { name: "now", parameters: { type: "object", properties: {} } },
        ],
        toolChoice: { type: "tool", name: "get_weather" },
      }),
      makeContext(),
    );
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Weather for a city",
            parametersJsonSchema: {
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
              additionalProperties: false,
            },
          },
          { name: "now" },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_weather"] },
    });
    const modes = (["auto", "none", "required"] as const).map(
      (type) => toGeminiRequest(makeRequest({ toolChoice: { type } }), makeContext()).toolConfig,
    );
    expect(modes).toEqual([
      { functionCallingConfig: { mode: "AUTO" } },
      { functionCallingConfig: { mode: "NONE" } },
      { functionCallingConfig: { mode: "ANY" } },
    ]);
  });

  test("fields Gemini cannot honour are listed as dropped, once each", () => {
    const context = makeContext();
    toGeminiRequest(
      makeRequest({
        user: "u1",
        metadata: { a: 1 },
        parallelToolCalls: false,
        serviceTier: "auto",
        promptCacheKey: "k",
        unknown: { store: true },
        messages: [
          { role: "user", parts: [{ type: "text", text: "a", cacheControl: { type: "ephemeral" } }] },
          { role: "user", parts: [{ type: "text", text: "b", cacheControl: { type: "ephemeral" } }] },
        ],
      }),
      context,
    );
    expect(context.dropped).toEqual([
      "parallel_tool_calls",
      "user",
      "metadata",
      "prompt_cache_key",
      "service_tier",
      "store",
      "cache_control",
    ]);
  });

  test("strict mode turns a drop into a 400 naming the field and provider", () => {
    const error = thrown(() => toGeminiRequest(makeRequest({ user: "u1" }), makeContext(true)));
    expect(isGatewayError(error) && error.status).toBe(400);
    expect(isGatewayError(error) && error.message).toContain("'user' is not supported by provider 'gemini'");
  });

  test("an answer-changing client field (logit_bias) is a 400, not a silent drop", () => {
    const error = thrown(() =>
      toGeminiRequest(makeRequest({ unknown: { logit_bias: { 1: 2 } } }), makeContext()),
    );
    expect(isGatewayError(error) && error.status).toBe(400);
    expect(isGatewayError(error) && error.param).toBe("logit_bias");
  });

  test("n > 1 is a 400: one IR response carries one choice", () => {
    const error = thrown(() => toGeminiRequest(makeRequest({ n: 2 }), makeContext()));
    expect(isGatewayError(error) && error.status).toBe(400);
    expect(isGatewayError(error) && error.param).toBe("n");
  });
});

describe("toGeminiContents", () => {
  test("images: base64 and data: URLs → inlineData, http URLs → fileData; file ids are a 400", () => {
    const contents = toGeminiContents(
      [
        {
          role: "user",
          parts: [
            { type: "text", text: "What is this?" },
            { type: "image", source: { kind: "base64", mediaType: "image/png", data: "iVBORw0K" } },
            { type: "image", source: { kind: "url", url: "data:image/jpeg;base64,/9j/4AAQ" } },
            {
              type: "image",
              source: { kind: "url", url: "https://example.com/cat.webp?x=1" },
              detail: "high",
            },
            { type: "document", source: { kind: "url", url: "https://example.com/paper" } },
            { type: "document", source: { kind: "text", text: "plain doc", mediaType: "text/plain" } },
          ],
        },
      ],
      "gemini-2.5-flash",
      makeContext(),
    );
    expect(contents).toEqual([
      {
        role: "user",
        parts: [
          { text: "What is this?" },
          { inlineData: { mimeType: "image/png", data: "iVBORw0K" } },
          { inlineData: { mimeType: "image/jpeg", data: "/9j/4AAQ" } },
          { fileData: { fileUri: "https://example.com/cat.webp?x=1", mimeType: "image/webp" } },
          { fileData: { fileUri: "https://example.com/paper", mimeType: "application/pdf" } },
          { text: "plain doc" },
        ],
      },
    ]);
    const error = thrown(() =>
      toGeminiContents(
        [{ role: "user", parts: [{ type: "image", source: { kind: "file_id", fileId: "file-1" } }] }],
        "gemini-2.5-flash",
        makeContext(),
      ),
    );
    expect(isGatewayError(error) && error.status).toBe(400);
  });

  test("tool results recover the function name from the earlier call and merge into one user turn", () => {
    const messages: IRMessage[] = [
      { role: "user", parts: [{ type: "text", text: "weather in Paris and Rome?" }] },
      {
        role: "assistant",
        parts: [
          { type: "tool_call", id: "call_a", name: "get_weather", arguments: '{"city":"Paris"}' },
          { type: "tool_call", id: "call_b", name: "get_weather", arguments: '{"city":"Rome"}' },
        ],
      },
      {
        role: "user",
        parts: [
          { type: "tool_result", toolCallId: "call_a", content: [{ type: "text", text: '{"temp":21}' }] },
        ],
      },
      {
        role: "user",
        parts: [
          {
            type: "tool_result",
            toolCallId: "call_b",
            content: [{ type: "text", text: "city not found" }],
            isError: true,
          },
        ],
      },
    ];
    expect(toGeminiContents(messages, "gemini-2.5-flash", makeContext())).toEqual([
      { role: "user", parts: [{ text: "weather in Paris and Rome?" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { city: "Paris" } } },
          { functionCall: { name: "get_weather", args: { city: "Rome" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { temp: 21 } } },
          { functionResponse: { name: "get_weather", response: { error: "city not found" } } },
        ],
      },
    ]);
  });

  test("plain-text tool output goes under `output`; images in a tool result follow it", () => {
    const contents = toGeminiContents(
      [
        { role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "shot", arguments: "" }] },
        {
          role: "user",
          parts: [
            {
              type: "tool_result",
              toolCallId: "c1",
              content: [
                { type: "text", text: "done" },
                { type: "image", source: { kind: "base64", mediaType: "image/png", data: "AAAA" } },
              ],
            },
          ],
        },
      ],
      "gemini-2.5-flash",
      makeContext(),
    );
    expect(contents[0]).toEqual({ role: "model", parts: [{ functionCall: { name: "shot", args: {} } }] });
    expect(contents[1]).toEqual({
      role: "user",
      parts: [
        { functionResponse: { name: "shot", response: { output: "done" } } },
        { inlineData: { mimeType: "image/png", data: "AAAA" } },
      ],
    });
  });

  test("a tool result with no matching call is a 400 naming the message", () => {
    const error = thrown(() =>
      toGeminiContents(
        [{ role: "user", parts: [{ type: "tool_result", toolCallId: "nope", content: [] }] }],
        "gemini-2.5-flash",
        makeContext(),
      ),
    );
    expect(isGatewayError(error) && error.param).toBe("messages[0].content[0]");
  });

  test("Gemini signatures go back on their parts; Anthropic thinking and signatures are not sent", () => {
    const contents = toGeminiContents(
      [
        {
          role: "assistant",
          parts: [
            { type: "reasoning", text: "Claude thinking", signature: "EqQBCkgIARAB" },
            { type: "reasoning", text: "", redacted: true, data: "opaque" },
            { type: "reasoning", text: "Gemini thought summary", signature: "gemini:sigA" },
            { type: "reasoning", text: "", signature: "gemini:text:sigB" },
            { type: "text", text: "Here you go" },
            { type: "tool_call", id: "c1", name: "f", arguments: "{}", signature: "gemini:sigC" },
            { type: "tool_call", id: "c2", name: "g", arguments: "{}", signature: "EqQBforeign" },
            { type: "reasoning", text: "", signature: "gemini:text:sigD" },
          ],
        },
      ],
      "gemini-2.5-flash",
      makeContext(),
    );
    expect(contents).toEqual([
      {
        role: "model",
        parts: [
          { text: "Gemini thought summary", thought: true, thoughtSignature: "sigA" },
          { text: "Here you go", thoughtSignature: "sigB" },
          { functionCall: { name: "f", args: {} }, thoughtSignature: "sigC" },
          { functionCall: { name: "g", args: {} } },
          { text: "", thoughtSignature: "sigD" },
        ],
      },
    ]);
  });

  test("a text-bound signature that landed on a thinking block (streams) goes back on the text", () => {
    const contents = toGeminiContents(
      [
        {
          role: "assistant",
          parts: [
            { type: "reasoning", text: "Let me think", signature: "gemini:text:TS" },
            { type: "text", text: "Calling." },
          ],
        },
      ],
      "gemini-2.5-pro",
      makeContext(),
    );
    expect(contents[0]?.parts).toEqual([
      { text: "Let me think", thought: true },
      { text: "Calling.", thoughtSignature: "TS" },
    ]);
  });

  test("call-bound signatures go back on their call, whatever order the client returned them in", () => {
    const contents = toGeminiContents(
      [
        {
          role: "assistant",
          parts: [
            { type: "reasoning", text: "", signature: "gemini:call:c2:SIG2" },
            { type: "reasoning", text: "", signature: "gemini:call:c1:SIG1" },
            { type: "text", text: "Calling both." },
            { type: "tool_call", id: "c1", name: "f", arguments: "{}" },
            { type: "tool_call", id: "c2", name: "g", arguments: "{}" },
          ],
        },
      ],
      "gemini-3-flash-preview",
      makeContext(),
    );
    expect(contents[0]?.parts).toEqual([
      { text: "Calling both." },
      { functionCall: { name: "f", args: {} }, thoughtSignature: "SIG1" },
      { functionCall: { name: "g", args: {} }, thoughtSignature: "SIG2" },
    ]);
  });

  test("Gemini 3: the first replayed call without a Gemini signature gets the documented skip value", () => {
    const contents = toGeminiContents(
      [
        {
          role: "assistant",
          parts: [
            { type: "tool_call", id: "c1", name: "f", arguments: "{}" },
            { type: "tool_call", id: "c2", name: "g", arguments: "{}" },
          ],
        },
      ],
      "gemini-3-pro-preview",
      makeContext(),
    );
    expect(contents[0]?.parts).toEqual([
      { functionCall: { name: "f", args: {} }, thoughtSignature: "skip_thought_signature_validator" },
      { functionCall: { name: "g", args: {} } },
    ]);
  });

  test("invalid tool-call arguments are a 400", () => {
    const error = thrown(() =>
      toGeminiContents(
        [{ role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "f", arguments: "{oops" }] }],
        "gemini-2.5-flash",
        makeContext(),
      ),
    );
    expect(isGatewayError(error) && error.status).toBe(400);
  });

  test("recorded 2.5-pro parallel calls: decoding then re-encoding reproduces the SDK's second request", () => {
    const [turn1, turn2] = recordedInteractions(
      "gemini/jsgenai-nonstream-parallel-function-calls-thought-signature-2.5-pro.json",
    );
    const response = fromGeminiResponse(JSON.parse(turn1!.bodyText), sequentialIds());
    const recorded = turn2!.requestBody as { contents: unknown[] };
    const messages: IRMessage[] = [
      {
        role: "user",
        parts: [
          {
            type: "text",
            text: "Use the printer to print a simple word: hello in blue, and beep with the beeper, make sure you beep",
          },
        ],
      },
      { role: "assistant", parts: response.parts },
      {
        role: "user",
        parts: [
          {
            type: "tool_result",
            toolCallId: "call_0",
            content: [
              {
                type: "text",
                text: JSON.stringify({ content: [{ text: "\u001b[34mhello\u001b[0m", type: "text" }] }),
              },
            ],
          },
          {
            type: "tool_result",
            toolCallId: "call_1",
            content: [{ type: "text", text: JSON.stringify({ content: [{ text: "beep", type: "text" }] }) }],
          },
        ],
      },
    ];
    expect(toGeminiContents(messages, "gemini-2.5-pro", makeContext())).toEqual(recorded.contents as never);
  });
});

describe("media URLs a client may pass to Gemini", () => {
  const withImage = (url: string) =>
    makeRequest({
      messages: [{ role: "user", parts: [{ type: "image", source: { kind: "url", url } }] }],
    });
  test("https URLs become fileData", () => {
    const body = toGeminiRequest(withImage("https://example.com/cat.png"), makeContext()) as {
      contents: Array<{ parts: Array<{ fileData?: { fileUri: string } }> }>;
    };
    expect(body.contents[0]?.parts[0]?.fileData?.fileUri).toBe("https://example.com/cat.png");
  });
  test("gs:// and other schemes are refused: on Vertex they would be read as the operator's project", () => {
    for (const url of ["gs://corp-private/hr/salaries.pdf", "file:///etc/passwd", "ftp://x/y"]) {
      const error = thrown(() => toGeminiRequest(withImage(url), makeContext()));
      expect(isGatewayError(error)).toBe(true);
      expect((error as { status: number }).status).toBe(400);
    }
  });
});
