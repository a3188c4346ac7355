import { describe, expect, test } from "bun:test";
import { isGatewayError } from "../../src/errors/gateway-error.ts";
import type { EncodeContext } from "../../src/ir/codec.ts";
import { fromMediaUrl, toDataUrl } from "../../src/ir/data-url.ts";
import { dropField, dropUnknownFields } from "../../src/ir/drop-policy.ts";
import { EFFORT_BUDGET, effortFromBudget } from "../../src/ir/reasoning-budget.ts";
import { deriveStopReason } from "../../src/ir/stop-reason.ts";

const context = (strict = false): EncodeContext => ({
  providerName: "prov",
  strict,
  dropped: [],
  adjusted: [],
});

function caught(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("drop policy", () => {
  test("a drop is listed once", () => {
    const ctx = context();
    dropField(ctx, "seed");
    dropField(ctx, "seed");
    expect(ctx.dropped).toEqual(["seed"]);
  });

  test("strict mode: a drop is a 400 naming field and provider, code unsupported_parameter", () => {
    const error = caught(() => dropField(context(true), "seed"));
    expect(isGatewayError(error)).toBe(true);
    if (isGatewayError(error)) {
      expect(error.status).toBe(400);
      expect(error.param).toBe("seed");
      expect(error.code).toBe("unsupported_parameter");
      expect(error.message).toContain("'seed' is not supported by provider 'prov'");
    }
  });

  test("unknown fields: harmless ones listed, answer-changing ones refused, text-only modalities fine", () => {
    const ctx = context();
    dropUnknownFields({ store: true, verbosity: "low", modalities: ["text"], ignored: null }, ctx);
    expect(ctx.dropped).toEqual(["store", "verbosity", "modalities"]);
    const error = caught(() => dropUnknownFields({ modalities: ["text", "audio"] }, context()));
    expect(isGatewayError(error) && error.message).toContain("only text output");
    expect(isGatewayError(caught(() => dropUnknownFields({ logit_bias: { 1: 5 } }, context())))).toBe(true);
  });
});

describe("data URLs", () => {
  test("data URL → base64 source, with parameters before ;base64", () => {
    expect(fromMediaUrl("data:image/png;base64,AAAA")).toEqual({
      kind: "base64",
      mediaType: "image/png",
      data: "AAAA",
    });
    expect(fromMediaUrl("data:application/pdf;name=a.pdf;base64,JVB")).toEqual({
      kind: "base64",
      mediaType: "application/pdf",
      data: "JVB",
    });
    expect(fromMediaUrl("https://x/y.png")).toEqual({ kind: "url", url: "https://x/y.png" });
    expect(toDataUrl("image/gif", "R0l")).toBe("data:image/gif;base64,R0l");
  });
});

describe("stop reason derivation", () => {
  test.each([
    ["end_turn", true, "tool_use"],
    ["stop_sequence", true, "tool_use"],
    ["max_tokens", true, "max_tokens"],
    ["tool_use", false, "end_turn"],
    ["end_turn", false, "end_turn"],
    ["refusal", false, "refusal"],
  ] as const)("%s with tool calls emitted=%s → %s", (reported, emitted, expected) => {
    expect(deriveStopReason(reported, emitted)).toBe(expected);
  });
});

describe("reasoning budget table", () => {
  test("effort budgets are ordered and Anthropic-valid (≥ 1024 except none)", () => {
    expect(EFFORT_BUDGET.minimal).toBe(1024);
    expect(EFFORT_BUDGET.low).toBeLessThan(EFFORT_BUDGET.medium);
    expect(EFFORT_BUDGET.medium).toBeLessThan(EFFORT_BUDGET.high);
    expect(EFFORT_BUDGET.high).toBeLessThan(EFFORT_BUDGET.xhigh);
  });

  test("budget → effort round-trips the table's own budgets for low/medium/high", () => {
    expect(effortFromBudget(EFFORT_BUDGET.low)).toBe("low");
    expect(effortFromBudget(EFFORT_BUDGET.medium)).toBe("medium");
    expect(effortFromBudget(EFFORT_BUDGET.high)).toBe("high");
    expect(effortFromBudget(1024)).toBe("low");
    expect(effortFromBudget(100000)).toBe("high");
  });
});
