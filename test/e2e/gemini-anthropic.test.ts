/**
 * The official `@anthropic-ai/sdk` talking to the gateway, routed to a Gemini-type mock upstream:
 * Anthropic Messages ⇄ IR ⇄ Gemini end to end, with recorded Gemini responses.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam } from "@anthropic-ai/sdk/resources/messages";
import { recordedInteractions } from "../support/fixtures.ts";
import { providersYaml, startTestGateway, type TestGateway } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

let mock: MockUpstream;
let gw: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  mock = await startMockUpstream();
  gw = await startTestGateway({ yaml: providersYaml(mock) });
  client = new Anthropic({ baseURL: gw.url, apiKey: "sk-anything", maxRetries: 0 });
});

afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

beforeEach(() => mock.reset());

interface GeminiBody {
  contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
  [key: string]: unknown;
}
const upstreamBody = (i: number): GeminiBody => mock.requests[i]!.body as GeminiBody;
const data = (v: unknown) => `data: ${JSON.stringify(v)}\r\n\r\n`;

describe("Anthropic SDK → Gemini provider", () => {
  test("JSON text: system, max_tokens, stop_sequences translated; text block and usage back", async () => {
    mock.enqueue({ fixture: "gemini/louter-native-generateContent-text.json" });
    const message = await client.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 64,
      system: "Be brief.",
      stop_sequences: ["STOP"],
      messages: [{ role: "user", content: "Say hello" }],
    });
    expect(mock.requests[0]!.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(mock.requests[0]!.headers["x-goog-api-key"]).toBe("gm-test");
    expect(upstreamBody(0)).toEqual({
      contents: [{ role: "user", parts: [{ text: "Say hello" }] }],
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { maxOutputTokens: 64, stopSequences: ["STOP"] },
    });
    expect(message.content as unknown).toEqual([{ type: "text", text: "Hello!" }]);
    // Gemini's STOP cannot tell a stop sequence from a natural end; with one sequence asked it is that one.
    expect(message.stop_reason).toBe("stop_sequence");
    expect(message.stop_sequence).toBe("STOP");
    expect(message.usage).toMatchObject({ input_tokens: 3, output_tokens: 19 });
  });

  test("streaming: recorded system-instruction stream reassembles with the SDK's stream helper", async () => {
    const name = "gemini/jsgenai-stream-system-instruction.json";
    const sse = recordedInteractions(name)[0]!.bodyText;
    const expected = sse
      .split("\r\n\r\n")
      .filter((s) => s.startsWith("data: "))
      .map((s) => JSON.parse(s.slice(6)).candidates[0].content.parts[0].text as string)
      .join("");
    mock.enqueue({ fixture: name });
    const final = await client.messages
      .stream({ model: "gemini-2.5-flash", max_tokens: 1024, messages: [{ role: "user", content: "high" }] })
      .finalMessage();
    expect(final.content).toHaveLength(1);
    expect(final.content[0]!.type === "text" && final.content[0]!.text).toBe(expected);
    expect(final.stop_reason).toBe("end_turn");
  });

  test("MAX_TOKENS stream → stop_reason max_tokens", async () => {
    mock.enqueue({ fixture: "gemini/jsgenai-stream-max-tokens-2.0-flash.json" });
    const final = await client.messages
      .stream({
        model: "gemini/gemini-2.0-flash",
        max_tokens: 20,
        messages: [{ role: "user", content: "story" }],
      })
      .finalMessage();
    expect(final.stop_reason).toBe("max_tokens");
  });

  test("tools: tool_choice any/tool → functionCallingConfig; parallel calls → tool_use blocks", async () => {
    mock.enqueue({ fixture: "gemini/jsgenai-nonstream-parallel-function-calls-3.json" });
    const message = await client.messages.create({
      model: "gemini/gemini-2.0-flash",
      max_tokens: 256,
      tools: [
        {
          name: "print",
          input_schema: {
            type: "object",
            properties: { text: { type: "string" }, color: { type: "string" } },
          },
        },
        { name: "beep", input_schema: { type: "object", properties: {} } },
        {
          name: "controlLight",
          input_schema: {
            type: "object",
            properties: { brightness: { type: "number" }, colorTemperature: { type: "string" } },
          },
        },
      ],
      tool_choice: { type: "tool", name: "print" },
      messages: [{ role: "user", content: "print, beep, light" }],
    });
    expect(upstreamBody(0).toolConfig).toEqual({
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["print"] },
    });
    const decls = (
      upstreamBody(0).tools as Array<{ functionDeclarations: Array<Record<string, unknown>> }>
    )[0]!.functionDeclarations;
    expect(decls.map((d) => d.name)).toEqual(["print", "beep", "controlLight"]);
    expect(decls[1]).toEqual({ name: "beep" });
    expect(message.stop_reason).toBe("tool_use");
    const uses = message.content.filter((b) => b.type === "tool_use");
    expect(uses.map((b) => (b.type === "tool_use" ? [b.name, b.input] : []))).toEqual([
      ["print", { color: "blue", text: "hello" }],
      ["beep", {}],
      ["controlLight", { brightness: 50, colorTemperature: "warm" }],
    ]);
  });

  test("streamed tool loop: thinking-block signatures carry the functionCall signature back upstream", async () => {
    const name = "gemini/jsgenai-stream-function-call-thought-signature-2.5-flash.json";
    const recorded = recordedInteractions(name);
    mock.enqueue({ fixture: name, interaction: 0 }, { fixture: name, interaction: 1 });
    const tools = [
      {
        name: "customDivide",
        description: "Custom divide function",
        input_schema: {
          type: "object" as const,
          properties: { denominator: { type: "number" }, numerator: { type: "number" } },
        },
      },
    ];
    const messages: MessageParam[] = [
      {
        role: "user",
        content:
          "Divide 10 by 2 using the customDivide function, then divide the result by 2 again, then tell me the result",
      },
    ];
    const first = await client.messages
      .stream({ model: "gemini-2.5-flash", max_tokens: 1024, tools, messages })
      .finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const toolUse = first.content.find((b) => b.type === "tool_use");
    expect(toolUse?.type === "tool_use" && toolUse.input).toEqual({ denominator: 2, numerator: 10 });
    messages.push(
      { role: "assistant", content: first.content },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: toolUse!.id, content: JSON.stringify({ output: 42 }) }],
      },
    );
    await client.messages
      .stream({ model: "gemini-2.5-flash", max_tokens: 1024, tools, messages })
      .finalMessage();
    expect(upstreamBody(1).contents[1]).toEqual((recorded[1]!.requestBody as GeminiBody).contents[1]);
    expect(upstreamBody(1).contents[2]).toEqual({
      role: "user",
      parts: [{ functionResponse: { name: "customDivide", response: { output: 42 } } }],
    });
  });

  test("thinking enabled → thinkingConfig; thought parts stream as a thinking block with its signature", async () => {
    mock.enqueue({
      sse: [
        data({
          responseId: "t-1",
          candidates: [{ content: { role: "model", parts: [{ text: "Sum is n(n+1)/2.", thought: true }] } }],
          usageMetadata: { promptTokenCount: 17 },
        }),
        data({
          candidates: [
            {
              content: { role: "model", parts: [{ text: "5050", thoughtSignature: "c2lnLXRleHQ=" }] },
              finishReason: "STOP",
            },
          ],
          usageMetadata: { promptTokenCount: 17, candidatesTokenCount: 2, thoughtsTokenCount: 30 },
        }),
      ],
    });
    const messages: MessageParam[] = [{ role: "user", content: "Sum 1..100?" }];
    const final = await client.messages
      .stream({
        model: "gemini-2.5-flash",
        max_tokens: 4096,
        thinking: { type: "enabled", budget_tokens: 2000 },
        messages,
      })
      .finalMessage();
    expect((upstreamBody(0).generationConfig as Record<string, unknown>).thinkingConfig).toEqual({
      thinkingBudget: 2000,
      includeThoughts: true,
    });
    expect(final.content.map((b) => b.type)).toEqual(["thinking", "text"]);
    const thinking = final.content[0]!;
    expect(thinking.type === "thinking" && thinking.thinking).toBe("Sum is n(n+1)/2.");
    expect(thinking.type === "thinking" && thinking.signature).toBe("gemini:text:c2lnLXRleHQ=");
    expect(final.usage.output_tokens).toBe(32);

    // Next turn: the thought goes back as a thought part, the signature on the answer text.
    mock.enqueue({ fixture: "gemini/louter-native-generateContent-text.json" });
    await client.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 4096,
      thinking: { type: "enabled", budget_tokens: 2000 },
      messages: [
        ...messages,
        { role: "assistant", content: final.content },
        { role: "user", content: "thanks" },
      ],
    });
    expect(upstreamBody(1).contents[1]).toEqual({
      role: "model",
      parts: [
        { text: "Sum is n(n+1)/2.", thought: true },
        { text: "5050", thoughtSignature: "c2lnLXRleHQ=" },
      ],
    });
  });

  test("a blocked prompt → stop_reason refusal", async () => {
    mock.enqueue({
      json: { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 4 } },
    });
    const message = await client.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 64,
      messages: [{ role: "user", content: "something bad" }],
    });
    expect(message.stop_reason).toBe("refusal");
  });

  test("an error mid-stream reaches the SDK as an error, not a truncated success", async () => {
    mock.enqueue({
      sse: [
        data({ candidates: [{ content: { role: "model", parts: [{ text: "partial" }] } }] }),
        data({ error: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" } }),
      ],
    });
    const outcome = await client.messages
      .stream({ model: "gemini-2.5-flash", max_tokens: 64, messages: [{ role: "user", content: "hi" }] })
      .finalMessage()
      .then(
        () => "success",
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
    expect(outcome).toContain("overloaded");
  });
});
