import { describe, expect, test } from "bun:test";
import { costOf, findPrice, listPriceCandidates } from "../../src/usage/cost.ts";
import { BUILT_IN_PRICES } from "../../src/usage/price-table.ts";

describe("costOf", () => {
  test("prices input and output per million tokens from the built-in table", () => {
    // gpt-4o: $2.50 in, $10 out per 1M
    expect(costOf("gpt-4o", { inputTokens: 1_000_000, outputTokens: 100_000 }, {})).toBe(3.5);
  });

  test("cache reads and writes are priced apart from uncached input (Anthropic convention)", () => {
    // claude-sonnet-4-5: in 3, out 15, cache read 0.30, cache write 3.75
    const usage = { inputTokens: 100, outputTokens: 200, cacheReadTokens: 10_000, cacheWriteTokens: 2000 };
    const expected = (100 * 3 + 200 * 15 + 10_000 * 0.3 + 2000 * 3.75) / 1e6;
    expect(costOf("claude-sonnet-4-5", usage, {})).toBeCloseTo(expected, 12);
  });

  test("reasoning tokens are part of output and not charged twice", () => {
    const withReasoning = costOf("o3", { inputTokens: 10, outputTokens: 1000, reasoningTokens: 800 }, {});
    const without = costOf("o3", { inputTokens: 10, outputTokens: 1000 }, {});
    expect(withReasoning).toBe(without);
  });

  test("cache tokens fall back to the input price when the table has no cache price", () => {
    const prices = { "my-model": { input: 2, output: 4 } };
    expect(costOf("my-model", { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000 }, prices)).toBe(
      2,
    );
  });

  test("config prices override the built-in table", () => {
    const prices = { "gpt-4o": { input: 1, output: 1 } };
    expect(costOf("gpt-4o", { inputTokens: 1_000_000, outputTokens: 1_000_000 }, prices)).toBe(2);
  });

  test("unknown models cost null, not zero", () => {
    expect(costOf("totally-unknown-model", { inputTokens: 5, outputTokens: 5 }, {})).toBeNull();
  });

  test("sums don't show float noise", () => {
    expect(costOf("gpt-4o-mini", { inputTokens: 1, outputTokens: 1 }, {})).toBe(0.00000075);
  });
});

describe("findPrice", () => {
  test("strips date suffixes in every provider's style", () => {
    expect(findPrice("gpt-4o-2024-08-06", {})).toBe(BUILT_IN_PRICES["gpt-4o"]!);
    expect(findPrice("claude-sonnet-4-5-20250929", {})).toBe(BUILT_IN_PRICES["claude-sonnet-4-5"]!);
    expect(findPrice("claude-sonnet-4@20250514", {})).toBe(BUILT_IN_PRICES["claude-sonnet-4"]!);
    expect(findPrice("claude-3-5-haiku-latest", {})).toBe(BUILT_IN_PRICES["claude-3-5-haiku"]!);
  });

  test("strips provider prefixes, one segment at a time", () => {
    expect(findPrice("openai/gpt-4.1-mini", {})).toBe(BUILT_IN_PRICES["gpt-4.1-mini"]!);
    expect(findPrice("openrouter/anthropic/claude-haiku-4-5", {})).toBe(BUILT_IN_PRICES["claude-haiku-4-5"]!);
  });

  test("a provider-qualified config price wins over the bare model's", () => {
    const special = { input: 9, output: 9 };
    expect(findPrice("azure/gpt-4o", { "azure/gpt-4o": special })).toBe(special);
    expect(findPrice("openai/gpt-4o", { "azure/gpt-4o": special })).toBe(BUILT_IN_PRICES["gpt-4o"]!);
  });

  test("dots and dashes in versions are equivalent (OpenRouter spells claude-sonnet-4.5)", () => {
    expect(findPrice("anthropic/claude-sonnet-4.5", {})).toBe(BUILT_IN_PRICES["claude-sonnet-4-5"]!);
  });

  test("does not match by prefix: gpt-4o-mini is not gpt-4o", () => {
    expect(findPrice("gpt-4o-mini", {})).toBe(BUILT_IN_PRICES["gpt-4o-mini"]!);
    expect(findPrice("gpt-4o-mini-tts", {})).toBeNull();
  });

  test("candidates go from most to least specific", () => {
    expect(listPriceCandidates("p/gpt-4o-2024-08-06")).toEqual([
      "p/gpt-4o-2024-08-06",
      "p/gpt-4o",
      "gpt-4o-2024-08-06",
      "gpt-4o",
    ]);
  });
});
