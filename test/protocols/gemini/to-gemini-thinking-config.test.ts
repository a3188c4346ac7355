import { describe, expect, test } from "bun:test";
import { toGeminiThinkingConfig } from "../../../src/protocols/gemini/to-gemini-thinking-config.ts";

describe("toGeminiThinkingConfig, Gemini 2.5 (thinkingBudget)", () => {
  test("no reasoning asked → no thinkingConfig", () => {
    expect(toGeminiThinkingConfig("gemini-2.5-flash", undefined)).toBeUndefined();
  });
  test.each([
    ["minimal", 1024],
    ["low", 2048],
    ["medium", 8192],
    ["high", 16384],
    ["xhigh", 24576],
    ["max", 24576],
  ] as const)(
    "flash: effort %s → budget %d with thoughts (shared table, clamped to 24576)",
    (effort, budget) => {
      expect(toGeminiThinkingConfig("gemini-2.5-flash", { effort })).toEqual({
        thinkingBudget: budget,
        includeThoughts: true,
      });
    },
  );
  test("pro: max reaches 32000; none cannot turn thinking off (minimum 128)", () => {
    expect(toGeminiThinkingConfig("gemini-2.5-pro", { effort: "max" })?.thinkingBudget).toBe(32000);
    expect(toGeminiThinkingConfig("gemini-2.5-pro", { effort: "none" })).toEqual({ thinkingBudget: 128 });
  });
  test("flash: effort none or disabled → budget 0, no thoughts", () => {
    expect(toGeminiThinkingConfig("gemini-2.5-flash", { effort: "none" })).toEqual({ thinkingBudget: 0 });
    expect(toGeminiThinkingConfig("gemini-2.5-flash", { disabled: true })).toEqual({ thinkingBudget: 0 });
  });
  test("explicit budget is kept, clamped to the model's range", () => {
    expect(toGeminiThinkingConfig("gemini-2.5-flash", { budgetTokens: 2000 })).toEqual({
      thinkingBudget: 2000,
      includeThoughts: true,
    });
    expect(toGeminiThinkingConfig("gemini-2.5-flash", { budgetTokens: 64000 })?.thinkingBudget).toBe(24576);
    expect(toGeminiThinkingConfig("gemini-2.5-flash-lite", { budgetTokens: 100 })?.thinkingBudget).toBe(512);
  });
  test("adaptive → dynamic budget -1", () => {
    expect(toGeminiThinkingConfig("gemini-2.5-flash", { adaptive: true })).toEqual({
      thinkingBudget: -1,
      includeThoughts: true,
    });
  });
  test("includeThoughts false is honoured", () => {
    expect(toGeminiThinkingConfig("gemini-2.5-flash", { effort: "low", includeThoughts: false })).toEqual({
      thinkingBudget: 2048,
    });
  });
});

describe("toGeminiThinkingConfig, Gemini 3 (thinkingLevel)", () => {
  test.each([
    ["none", "minimal"],
    ["minimal", "minimal"],
    ["low", "low"],
    ["medium", "medium"],
    ["high", "high"],
    ["xhigh", "high"],
    ["max", "high"],
  ] as const)("flash: effort %s → level %s", (effort, level) => {
    expect(toGeminiThinkingConfig("gemini-3-flash-preview", { effort })?.thinkingLevel).toBe(level);
  });
  test("pro only knows low and high", () => {
    expect(toGeminiThinkingConfig("gemini-3-pro-preview", { effort: "minimal" })?.thinkingLevel).toBe("low");
    expect(toGeminiThinkingConfig("gemini-3-pro-preview", { effort: "medium" })?.thinkingLevel).toBe("high");
  });
  test("adaptive leaves the level to the model; an explicit budget is passed as thinkingBudget", () => {
    expect(toGeminiThinkingConfig("gemini-3-pro-preview", { adaptive: true })).toEqual({
      includeThoughts: true,
    });
    expect(toGeminiThinkingConfig("models/gemini-3-flash", { budgetTokens: 4096 })).toEqual({
      thinkingBudget: 4096,
      includeThoughts: true,
    });
  });
});
