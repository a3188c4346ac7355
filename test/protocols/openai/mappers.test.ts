import { describe, expect, test } from "bun:test";
import { fromOpenAIUsage, toOpenAIUsage } from "../../../src/protocols/openai/convert-usage.ts";
import {
  fromOpenAIFinishReason,
  toOpenAIFinishReason,
} from "../../../src/protocols/openai/map-finish-reason.ts";
import { fromReasoningDetails, toReasoningDetails } from "../../../src/protocols/openai/reasoning-details.ts";
import { toOpenAIReasoningEffort } from "../../../src/protocols/openai/to-openai-request.ts";

describe("OpenAI usage ⇄ IR", () => {
  test("prompt_tokens includes cached tokens; IR input excludes them", () => {
    expect(
      fromOpenAIUsage({
        prompt_tokens: 1200,
        completion_tokens: 300,
        prompt_tokens_details: { cached_tokens: 1000 },
        completion_tokens_details: { reasoning_tokens: 200 },
      }),
    ).toEqual({ inputTokens: 200, outputTokens: 300, cacheReadTokens: 1000, reasoningTokens: 200 });
  });

  test("OpenRouter cache_write_tokens are subtracted too", () => {
    expect(
      fromOpenAIUsage({
        prompt_tokens: 100,
        completion_tokens: 1,
        prompt_tokens_details: { cached_tokens: 10, cache_write_tokens: 60 },
      }),
    ).toEqual({ inputTokens: 30, outputTokens: 1, cacheReadTokens: 10, cacheWriteTokens: 60 });
  });

  test("no usage → undefined; missing details → no cache fields", () => {
    expect(fromOpenAIUsage(undefined)).toBeUndefined();
    expect(fromOpenAIUsage(null)).toBeUndefined();
    expect(fromOpenAIUsage({ prompt_tokens: 5, completion_tokens: 2 })).toEqual({
      inputTokens: 5,
      outputTokens: 2,
    });
  });

  test("IR → OpenAI: prompt = input + reads + writes, round trip exact", () => {
    const ir = { inputTokens: 200, outputTokens: 300, cacheReadTokens: 1000, reasoningTokens: 200 };
    const wire = toOpenAIUsage(ir);
    expect(wire).toEqual({
      prompt_tokens: 1200,
      completion_tokens: 300,
      total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 1000 },
      completion_tokens_details: { reasoning_tokens: 200 },
    });
    expect(fromOpenAIUsage(wire)).toEqual(ir);
  });
});

describe("finish reasons", () => {
  test.each([
    ["stop", "end_turn"],
    ["length", "max_tokens"],
    ["tool_calls", "tool_use"],
    ["function_call", "tool_use"],
    ["content_filter", "refusal"],
    [null, "end_turn"],
    ["weird", "end_turn"],
  ])("OpenAI %s → IR %s", (wire, ir) => {
    expect(fromOpenAIFinishReason(wire)).toBe(ir as never);
  });

  test.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
    ["pause_turn", "stop"],
  ] as const)("IR %s → OpenAI %s", (ir, wire) => {
    expect(toOpenAIFinishReason(ir)).toBe(wire);
  });
});

describe("reasoning stash", () => {
  test("reasoning_details round trip: text+signature and redacted blocks in order", () => {
    const parts = [
      { type: "reasoning" as const, text: "a", signature: "s1" },
      { type: "reasoning" as const, text: "", redacted: true, data: "D" },
      { type: "reasoning" as const, text: "b" },
    ];
    const details = toReasoningDetails(parts);
    expect(details).toEqual([
      { type: "reasoning.text", text: "a", signature: "s1", index: 0 },
      { type: "reasoning.encrypted", data: "D", index: 1 },
      { type: "reasoning.text", text: "b", index: 2 },
    ]);
    expect(fromReasoningDetails({ reasoning_details: details })).toEqual(parts);
  });

  test("LiteLLM thinking_blocks are read too; no stash → undefined", () => {
    expect(
      fromReasoningDetails({
        thinking_blocks: [
          { type: "thinking", thinking: "t", signature: "s" },
          { type: "redacted_thinking", data: "x" },
        ],
      }),
    ).toEqual([
      { type: "reasoning", text: "t", signature: "s" },
      { type: "reasoning", text: "", redacted: true, data: "x" },
    ]);
    expect(fromReasoningDetails({ reasoning_content: "x" })).toBeUndefined();
  });
});

describe("OpenAI request details", () => {
  test("reasoning effort: effort wins over budget; max → xhigh; none/disabled → nothing", () => {
    expect(toOpenAIReasoningEffort({ effort: "high", budgetTokens: 1024 })).toBe("high");
    expect(toOpenAIReasoningEffort({ effort: "max" })).toBe("xhigh");
    expect(toOpenAIReasoningEffort({ effort: "none" })).toBeUndefined();
    expect(toOpenAIReasoningEffort({ disabled: true, effort: "low" })).toBeUndefined();
    expect(toOpenAIReasoningEffort({ budgetTokens: 5000 })).toBe("medium");
    expect(toOpenAIReasoningEffort(undefined)).toBeUndefined();
  });
});
