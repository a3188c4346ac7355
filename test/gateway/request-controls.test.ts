import { describe, expect, test } from "bun:test";
import { fitNativeEffort } from "../../src/gateway/fit-native-effort.ts";
import { applyAnthropicReasoning } from "../../src/gateway/reasoning-control.ts";
import { takeRequestControls, withProviderOptions } from "../../src/gateway/request-controls.ts";
import { ANTHROPIC_EFFORTS, nearestEffort, OPENAI_EFFORTS } from "../../src/ir/reasoning-levels.ts";

const context = { strict: false, headerDebug: false, mayDebug: true };

describe("nearestEffort", () => {
  test("a level the target has stays; otherwise the nearest, a tie going up", () => {
    expect(nearestEffort("high", OPENAI_EFFORTS)).toBe("high");
    expect(nearestEffort("max", OPENAI_EFFORTS)).toBe("xhigh");
    expect(nearestEffort("minimal", ANTHROPIC_EFFORTS)).toBe("low");
    expect(nearestEffort("none", ANTHROPIC_EFFORTS)).toBe("low");
    expect(nearestEffort("medium", ["low", "high"])).toBe("high");
  });
});

describe("fitNativeEffort", () => {
  test("only out-of-range levels change; nested fields are copied, not mutated", () => {
    const adjusted: string[] = [];
    expect(fitNativeEffort("openai", { reasoning_effort: "high" }, adjusted)).toBeUndefined();
    const reasoning = { effort: "max", max_tokens: 10 };
    const set = fitNativeEffort("openai", { reasoning_effort: "max", reasoning }, adjusted);
    expect(set).toEqual({ reasoning_effort: "xhigh", reasoning: { effort: "xhigh", max_tokens: 10 } });
    expect(reasoning.effort).toBe("max");
    expect(adjusted).toEqual(["reasoning_effort=max->xhigh", "reasoning.effort=max->xhigh"]);
  });
});

describe("withProviderOptions", () => {
  test("the answering type's block, merged deeply into a copy", () => {
    const body = { model: "m", metadata: { a: 1 } };
    const controls = takeRequestControls(
      { provider_options: { anthropic: { metadata: { b: 2 }, top_k: 3 }, openai: { x: 1 } } },
      "anthropic",
      context,
    );
    expect(withProviderOptions(body, "anthropic", controls)).toEqual({
      model: "m",
      metadata: { a: 1, b: 2 },
      top_k: 3,
    });
    expect(body).toEqual({ model: "m", metadata: { a: 1 } });
    expect(withProviderOptions(body, "gemini", controls)).toBe(body);
  });
});

describe("takeRequestControls", () => {
  test("removes every control; usage: true asks an OpenAI stream for usage", () => {
    const body: Record<string, unknown> = {
      model: "m",
      stream: true,
      usage: true,
      meta: true,
      debug: { enabled: false },
      echo_upstream_request: false,
      provider_options: {},
      reasoning: { effort: "high" },
    };
    const controls = takeRequestControls(body, "openai", context);
    expect(body).toEqual({
      model: "m",
      stream: true,
      stream_options: { include_usage: true },
      reasoning: { effort: "high" },
    });
    expect(controls.meta).toBe(true);
    expect(controls.debug).toBeUndefined();
    expect(controls.changed).toBe(true);
  });
});

describe("applyAnthropicReasoning", () => {
  const notes = () => ({ strict: false, dropped: [] as string[], adjusted: [] as string[] });

  test("enabled alone: the effort's budget, kept below max_tokens", () => {
    const body: Record<string, unknown> = { max_tokens: 4000, reasoning: { enabled: true, effort: "high" } };
    applyAnthropicReasoning(body, notes());
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 3999 });
    expect(body.output_config).toEqual({ effort: "high" });
  });

  test("a budget that does not fit, or no room for thinking, is a 400 naming the field", () => {
    expect(() =>
      applyAnthropicReasoning({ max_tokens: 2000, reasoning: { max_tokens: 2000 } }, notes()),
    ).toThrow(expect.objectContaining({ status: 400, param: "reasoning.max_tokens" }));
    expect(() =>
      applyAnthropicReasoning({ max_tokens: 1024, reasoning: { enabled: true } }, notes()),
    ).toThrow(expect.objectContaining({ status: 400, param: "reasoning.enabled" }));
  });

  test("next to output_config.effort: dropped and named; strict mode refuses", () => {
    const lenient = notes();
    const body = { max_tokens: 10, output_config: { effort: "low" }, reasoning: { effort: "high" } };
    applyAnthropicReasoning(body, lenient);
    expect(lenient.dropped).toEqual(["reasoning"]);
    expect(body.output_config).toEqual({ effort: "low" });
    expect(() => applyAnthropicReasoning(body, { ...notes(), strict: true })).toThrow(
      expect.objectContaining({ status: 400, param: "reasoning" }),
    );
  });
});
