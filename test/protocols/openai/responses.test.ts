import { describe, expect, test } from "bun:test";
import { anthropicClientCodec, anthropicProviderCodec } from "../../../src/protocols/anthropic/codec.ts";
import { openAIClientCodec, openAIProviderCodec } from "../../../src/protocols/openai/codec.ts";
import { FIXTURES } from "../../ir/translate-stream.ts";

interface ToolCallShape {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}
interface ChatCompletionShape {
  id: string;
  object: string;
  model: string;
  choices: Array<{
    finish_reason: string;
    message: Record<string, unknown> & { tool_calls: ToolCallShape[] };
  }>;
  usage: unknown;
}
interface MessageShape extends Record<string, unknown> {
  type: string;
  stop_reason: string;
  content: Array<Record<string, unknown>>;
  usage: Record<string, number>;
}
const asCompletion = (value: unknown): ChatCompletionShape => value as ChatCompletionShape;
const asMessage = (value: unknown): MessageShape => value as MessageShape;

const fixture = async (path: string): Promise<unknown> =>
  JSON.parse(await Bun.file(`${FIXTURES}/${path}`).text());

/** Recorded Anthropic JSON → what an OpenAI client receives. */
async function anthropicToOpenAI(path: string): Promise<ChatCompletionShape> {
  const ir = anthropicProviderCodec.decodeResponse(await fixture(path));
  return asCompletion(openAIClientCodec.encodeResponse(ir, "my-model"));
}

/** Recorded OpenAI-compatible JSON → what an Anthropic client receives. */
async function openAIToAnthropic(path: string): Promise<MessageShape> {
  const ir = openAIProviderCodec.decodeResponse(await fixture(path));
  return asMessage(anthropicClientCodec.encodeResponse(ir, "my-model"));
}

describe("Anthropic JSON responses → OpenAI chat.completion (recorded fixtures)", () => {
  test("extended thinking: reasoning_content + reasoning_details keep text and the real signature", async () => {
    const raw = (await fixture("anthropic/gomodel-messages_extended_thinking.json")) as {
      content: Array<Record<string, string>>;
    };
    const out = await anthropicToOpenAI("anthropic/gomodel-messages_extended_thinking.json");
    const message = out.choices[0]?.message;
    expect(message.reasoning_content).toBe(raw.content[0]?.thinking);
    expect(message.reasoning_details).toEqual([
      {
        type: "reasoning.text",
        text: raw.content[0]?.thinking,
        signature: raw.content[0]?.signature,
        index: 0,
      },
    ]);
    expect(message.content).toBe(raw.content[1]?.text);
    expect(out.choices[0]?.finish_reason).toBe("stop");
    expect(out.usage).toEqual({
      prompt_tokens: 53,
      completion_tokens: 211,
      total_tokens: 264,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(out.model).toBe("my-model");
    expect(out.object).toBe("chat.completion");
    expect(out.id).toBe("msg_01MHEipmYGTxtwNoLd4876Ug");
  });

  test("text + tool_use → content + tool_calls, finish tool_calls", async () => {
    const out = await anthropicToOpenAI("anthropic/gomodel-messages_with_tools.json");
    const message = out.choices[0]?.message;
    expect(out.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message.tool_calls).toHaveLength(1);
    expect(message?.tool_calls[0]?.type).toBe("function");
    expect(message?.tool_calls[0]?.function.name).toBe("get_weather");
    expect(JSON.parse(message?.tool_calls[0]?.function.arguments)).toBeObject();
  });

  test("stop_sequence → finish_reason stop (OpenAI has no stop_sequence)", async () => {
    const out = await anthropicToOpenAI("anthropic/gomodel-messages_with_params.json");
    expect(out.choices[0]?.finish_reason).toBe("stop");
    expect(out.choices[0]?.message.content).toBe("1, 2, ");
  });

  test("cache reads and writes: prompt_tokens = input + reads + writes; cached_tokens = reads", () => {
    const ir = anthropicProviderCodec.decodeResponse({
      id: "msg_1",
      content: [{ type: "text", text: "x" }],
      stop_reason: "end_turn",
      usage: {
        input_tokens: 10,
        cache_read_input_tokens: 2000,
        cache_creation_input_tokens: 300,
        output_tokens: 5,
      },
    });
    expect(ir.usage).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 2000,
      cacheWriteTokens: 300,
    });
    const out = asCompletion(openAIClientCodec.encodeResponse(ir, "m"));
    expect(out.usage).toEqual({
      prompt_tokens: 2310,
      completion_tokens: 5,
      total_tokens: 2315,
      prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 300 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  test("redacted_thinking survives as reasoning.encrypted and comes back as redacted_thinking", () => {
    const ir = anthropicProviderCodec.decodeResponse({
      id: "msg_2",
      content: [
        { type: "redacted_thinking", data: "OPAQUE" },
        { type: "thinking", thinking: "t", signature: "S" },
        { type: "text", text: "a" },
      ],
      stop_reason: "end_turn",
      usage: { input_tokens: 1, output_tokens: 1 },
    });
    const message = asCompletion(openAIClientCodec.encodeResponse(ir, "m")).choices[0].message;
    expect(message.reasoning_details).toEqual([
      { type: "reasoning.encrypted", data: "OPAQUE", index: 0 },
      { type: "reasoning.text", text: "t", signature: "S", index: 1 },
    ]);
    const back = openAIClientCodec.decodeRequest({
      model: "m",
      messages: [{ role: "user", content: "q" }, message],
    });
    const body = anthropicProviderCodec.encodeRequest(back, {
      providerName: "a",
      strict: true,
      dropped: [],
      adjusted: [],
    }).body;
    expect((body.messages as Array<Record<string, unknown>>)[1]).toEqual({
      role: "assistant",
      content: [
        { type: "redacted_thinking", data: "OPAQUE" },
        { type: "thinking", thinking: "t", signature: "S" },
        { type: "text", text: "a" },
      ],
    });
  });

  test("refusal stop → content_filter", () => {
    const ir = anthropicProviderCodec.decodeResponse({
      id: "msg_3",
      content: [{ type: "text", text: "I can't" }],
      stop_reason: "refusal",
      usage: { input_tokens: 1, output_tokens: 1 },
    });
    expect(asCompletion(openAIClientCodec.encodeResponse(ir, "m")).choices[0].finish_reason).toBe(
      "content_filter",
    );
  });
});

describe("OpenAI-compatible JSON responses → Anthropic message (recorded fixtures)", () => {
  test("tool call (gpt-4o-mini): tool_use with parsed input, stop_reason tool_use, usage", async () => {
    const out = await openAIToAnthropic("openai/gomodel-chat_with_tools.json");
    expect(out).toEqual({
      id: "msg_chatcmpl-D0qOd6qK1YftNTsl3IZtKWnHELm8g",
      type: "message",
      role: "assistant",
      model: "my-model",
      content: [
        {
          type: "tool_use",
          id: "call_X8zi23yeE70r4qiZ2lhIuRNK",
          name: "get_weather",
          input: { location: "Paris" },
        },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: {
        input_tokens: 47,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 14,
      },
    });
  });

  test("Groq tool call with a short id and no content key", async () => {
    const out = await openAIToAnthropic("groq/gomodel-chat_with_tools.json");
    expect(out.stop_reason).toBe("tool_use");
    expect(out.content[0]?.type).toBe("tool_use");
    expect(out.content[0]?.id).toBe("2zvvry1t5");
  });

  test("xAI reasoning_content → thinking block (no signature) before the text", async () => {
    const raw = (await fixture("xai/gomodel-chat_completion.json")) as {
      choices: Array<{ message: Record<string, string> }>;
    };
    const out = await openAIToAnthropic("xai/gomodel-chat_completion.json");
    expect(out.content[0]).toEqual({
      type: "thinking",
      thinking: raw.choices[0]?.message.reasoning_content,
      signature: "",
    });
    expect(out.content[1]).toEqual({ type: "text", text: raw.choices[0]?.message.content });
  });

  test("Kimi: cached_tokens subtracted from input_tokens (18 prompt, 18 cached → 0 uncached)", async () => {
    const out = await openAIToAnthropic("other/kimi-chat_completion.json");
    expect(out.usage).toEqual({
      input_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 18,
      output_tokens: 39,
    });
  });

  test("o3-mini reasoning tokens are kept in the IR (they are part of output_tokens)", () => {
    return fixture("openai/gomodel-chat_completion_reasoning.json").then((json) => {
      const ir = openAIProviderCodec.decodeResponse(json);
      expect(ir.usage).toEqual({
        inputTokens: 13,
        outputTokens: 85,
        cacheReadTokens: 0,
        reasoningTokens: 64,
      });
      const out = asMessage(anthropicClientCodec.encodeResponse(ir, "m"));
      expect(out.usage.output_tokens).toBe(85);
    });
  });

  test("every recorded OpenAI-compatible chat.completion translates to a valid Anthropic message", async () => {
    let count = 0;
    for (const dir of ["openai", "groq", "xai", "other", "gemini"]) {
      for await (const name of new Bun.Glob("*.json").scan(`${FIXTURES}/${dir}`)) {
        const json = (await fixture(`${dir}/${name}`)) as Record<string, unknown>;
        if (json.object !== "chat.completion") continue;
        const out = asMessage(
          anthropicClientCodec.encodeResponse(openAIProviderCodec.decodeResponse(json), "m"),
        );
        expect(out.type).toBe("message");
        expect(["end_turn", "max_tokens", "tool_use", "refusal"]).toContain(out.stop_reason);
        for (const block of out.content)
          expect(["text", "thinking", "tool_use"]).toContain(String(block.type));
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(10);
  });

  test("MiniMax cut at length → max_tokens", async () => {
    const out = await openAIToAnthropic("other/minimax-m2-buffered-length-nonstream.json");
    expect(out.stop_reason).toBe("max_tokens");
  });

  test("OpenAI refusal → text block with the refusal and stop_reason refusal", () => {
    const ir = openAIProviderCodec.decodeResponse({
      id: "c",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: null, refusal: "I can't help with that." },
          finish_reason: "stop",
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    });
    const out = asMessage(anthropicClientCodec.encodeResponse(ir, "m"));
    expect(out.content).toEqual([{ type: "text", text: "I can't help with that." }]);
    expect(out.stop_reason).toBe("refusal");
  });

  test('a tool call with empty arguments becomes input {} (and arguments "{}")', () => {
    const ir = openAIProviderCodec.decodeResponse({
      id: "c",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "call_1", type: "function", function: { name: "now", arguments: "" } }],
          },
          finish_reason: "tool_calls",
        },
      ],
    });
    expect(ir.parts).toEqual([{ type: "tool_call", id: "call_1", name: "now", arguments: "{}" }]);
    const out = asMessage(anthropicClientCodec.encodeResponse(ir, "m"));
    expect(out.content).toEqual([{ type: "tool_use", id: "call_1", name: "now", input: {} }]);
  });

  test("an upstream body without choices is a 502 gateway error, not a crash", () => {
    expect(() => openAIProviderCodec.decodeResponse({ object: "chat.completion" })).toThrow("no choices");
    expect(() => anthropicProviderCodec.decodeResponse({ type: "message" })).toThrow("no content");
  });
});
