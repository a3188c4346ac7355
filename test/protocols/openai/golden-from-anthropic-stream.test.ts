import { describe, expect, test } from "bun:test";
import { anthropicProviderCodec } from "../../../src/protocols/anthropic/codec.ts";
import { openAIClientCodec } from "../../../src/protocols/openai/codec.ts";
import { FIXTURES, type ParsedEvent, summarizeOpenAI, translateStream } from "../../ir/translate-stream.ts";

/** Recorded Anthropic streams → what an OpenAI client receives, chunk by chunk. */
async function fromFixture(name: string, includeUsage = true): Promise<ParsedEvent[]> {
  const sse = await Bun.file(`${FIXTURES}/anthropic/${name}`).text();
  return translateStream(anthropicProviderCodec, openAIClientCodec, sse, { includeUsage });
}

const usage = (prompt: number, completion: number, cached = 0, reasoning = 0) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: cached },
  completion_tokens_details: { reasoning_tokens: reasoning },
});

describe("Anthropic upstream stream → OpenAI client chunks (recorded fixtures)", () => {
  test("text then tool_use (sdkts-tool_use_response): exact chunk sequence, finish tool_calls, usage chunk", async () => {
    const events = await fromFixture("sdkts-tool_use_response.txt");
    expect(summarizeOpenAI(events)).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ content: "I" }, null],
      [{ content: "'ll check the current weather in Paris for you." }, null],
      [
        {
          tool_calls: [
            {
              index: 0,
              id: "toolu_01NRLabsLyVHZPKxbKvkfSMn",
              type: "function",
              function: { name: "get_weather", arguments: "" },
            },
          ],
        },
        null,
      ],
      [{ tool_calls: [{ index: 0, function: { arguments: '{"locati' } }] }, null],
      [{ tool_calls: [{ index: 0, function: { arguments: 'on": "P' } }] }, null],
      [{ tool_calls: [{ index: 0, function: { arguments: "ar" } }] }, null],
      [{ tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] }, null],
      [{}, "tool_calls"],
      ["usage", usage(377, 65)],
      "[DONE]",
    ]);
    for (const { data } of events.slice(0, -1)) {
      const chunk = data as Record<string, unknown>;
      expect(chunk.id).toBe("msg_019Q1hrJbZG26Fb9BQhrkHEr");
      expect(chunk.object).toBe("chat.completion.chunk");
      expect(chunk.model).toBe("client-model");
    }
  });

  test("tool arguments reassemble to the exact JSON the model produced", async () => {
    const events = await fromFixture("sdkpy-extracted-stream-tool-use-haiku-a-turn1.txt");
    let args = "";
    for (const [delta] of summarizeOpenAI(events) as Array<[Record<string, unknown>]>) {
      const calls = delta?.tool_calls as Array<{ function: { arguments?: string } }> | undefined;
      for (const call of calls ?? []) args += call.function.arguments ?? "";
    }
    expect(JSON.parse(args)).toEqual({ location: "San Francisco, CA", units: "f" });
    expect(summarizeOpenAI(events).at(-3)).toEqual([{}, "tool_calls"]);
    expect(summarizeOpenAI(events).at(-2)).toEqual(["usage", usage(656, 74)]);
  });

  test("thinking + signature (fable refusal): reasoning_content deltas, reasoning_details with the signature before the finish, refusal → content_filter", async () => {
    const events = await fromFixture("fable-fallback-stream-a-refusal.txt");
    const thinking =
      'Simple educational question about what a solar eclipse is. This is benign general knowledge — definitions are fine. Also the user called me "claudius" — I\'m Claude. Minor correction or just roll with it politely.';
    expect(summarizeOpenAI(events)).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ reasoning_content: "Simple educ" }, null],
      [
        {
          reasoning_content:
            "ational question about what a solar eclipse is. This is benign general knowledge — definitions are fine. Also the user called",
        },
        null,
      ],
      [
        {
          reasoning_content: ' me "claudius" — I\'m Claude. Minor correction or just roll with it politely.',
        },
        null,
      ],
      [{ content: "Hi" }, null],
      [
        {
          reasoning_details: [
            {
              type: "reasoning.text",
              text: thinking,
              signature: "c3ludGhldGljLXNpZ25hdHVyZS1maXh0dXJlLWEtbm90LWEtcmVhbC1zaWduYXR1cmU=",
              index: 0,
            },
          ],
        },
        null,
      ],
      [{}, "content_filter"],
      ["usage", usage(28, 106, 0, 67)],
      "[DONE]",
    ]);
  });

  test("server tool blocks (web search) are skipped; the text after them still streams", async () => {
    const events = await fromFixture("fable-fallback-stream-a-toolrefusal.txt");
    const summary = summarizeOpenAI(events);
    expect(summary).toContainEqual([
      { content: "Here's a summary of this year's solar eclipses and how" },
      null,
    ]);
    expect(JSON.stringify(summary)).not.toContain("tool_calls");
    expect(JSON.stringify(summary)).not.toContain("srvtoolu");
    expect(summary.at(-3)).toEqual([{}, "content_filter"]);
  });

  test("padded data lines, ping, message_delta repeating input usage (gomodel stream)", async () => {
    const events = await fromFixture("gomodel-messages_stream.txt");
    expect(summarizeOpenAI(events)).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ content: "Hello World" }, null],
      [{}, "stop"],
      ["usage", usage(10, 5)],
      "[DONE]",
    ]);
  });

  test("no usage chunk when the client did not ask for it", async () => {
    const events = await fromFixture("gomodel-messages_stream.txt", false);
    expect(summarizeOpenAI(events)).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ content: "Hello World" }, null],
      [{}, "stop"],
      "[DONE]",
    ]);
  });

  test("file without a trailing blank line (sdkpy basic): still finishes with stop", async () => {
    const events = await fromFixture("sdkpy-basic_response.txt");
    const summary = summarizeOpenAI(events);
    const text = summary
      .map((s) => (Array.isArray(s) ? ((s[0] as Record<string, unknown>)?.content ?? "") : ""))
      .join("");
    expect(text).toBe("Hello there!");
    expect(summary.at(-3)).toEqual([{}, "stop"]);
    expect(summary.at(-1)).toBe("[DONE]");
  });

  test("every recorded Anthropic stream translates to chunks ending in a finish, then [DONE]", async () => {
    const glob = new Bun.Glob("*.txt");
    let count = 0;
    for await (const name of glob.scan(`${FIXTURES}/anthropic`)) {
      const sse = await Bun.file(`${FIXTURES}/anthropic/${name}`).text();
      if (!sse.includes("event: message_start")) continue;
      const summary = summarizeOpenAI(translateStream(anthropicProviderCodec, openAIClientCodec, sse));
      expect(summary.at(-1)).toBe("[DONE]");
      const finish = summary.at(-3) as [unknown, string];
      expect(["stop", "tool_calls", "length", "content_filter"]).toContain(finish[1]);
      count++;
    }
    expect(count).toBeGreaterThanOrEqual(10);
  });
});
