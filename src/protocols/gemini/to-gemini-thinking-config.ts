import { EFFORT_BUDGET } from "../../ir/reasoning-budget.ts";
import type { IRReasoningConfig, IRReasoningEffort } from "../../ir/types.ts";
import type { GeminiThinkingConfig, GeminiThinkingLevel } from "./gemini-api.ts";
import { type GeminiModelFamily, readGeminiModelFamily } from "./gemini-model-family.ts";

/** Effort → thinkingLevel for Gemini 3 Flash-class models (all four levels). */
const LEVEL_BY_EFFORT: Record<IRReasoningEffort, GeminiThinkingLevel> = {
  none: "minimal",
  minimal: "minimal",
  low: "low",
  medium: "medium",
  high: "high",
  xhigh: "high",
  max: "high",
};

/** Gemini 3 Pro accepts only low and high. */
const PRO_LEVEL_BY_EFFORT: Record<IRReasoningEffort, GeminiThinkingLevel> = {
  none: "low",
  minimal: "low",
  low: "low",
  medium: "high",
  high: "high",
  xhigh: "high",
  max: "high",
};

function clampBudget(budget: number, family: GeminiModelFamily): number {
  if (budget <= 0) return family.canDisable ? 0 : family.minBudget;
  return Math.min(Math.max(Math.round(budget), family.minBudget), family.maxBudget);
}

/**
 * IR reasoning → Gemini thinkingConfig. Nothing asked → undefined (the model's default, thoughts
 * not returned). Thoughts are returned whenever thinking was asked for and not turned off, unless
 * the client said otherwise (IR includeThoughts).
 */
export function toGeminiThinkingConfig(
  model: string,
  reasoning: IRReasoningConfig | undefined,
): GeminiThinkingConfig | undefined {
  if (!reasoning) return undefined;
  const family = readGeminiModelFamily(model);
  const off =
    reasoning.disabled === true || (reasoning.effort === "none" && reasoning.budgetTokens === undefined);
  const config: GeminiThinkingConfig = {};

  if (family.usesThinkingLevel) {
    const levels = family.pro ? PRO_LEVEL_BY_EFFORT : LEVEL_BY_EFFORT;
    if (off) config.thinkingLevel = levels.none;
    else if (reasoning.effort) config.thinkingLevel = levels[reasoning.effort];
    // Gemini 3 still accepts thinkingBudget for compatibility; an explicit budget is kept as asked.
    else if (reasoning.budgetTokens !== undefined)
      config.thinkingBudget = clampBudget(reasoning.budgetTokens, family);
    // adaptive: no level, the model's default is dynamic thinking.
  } else if (off) {
    config.thinkingBudget = clampBudget(0, family);
  } else if (reasoning.budgetTokens !== undefined) {
    config.thinkingBudget = clampBudget(reasoning.budgetTokens, family);
  } else if (reasoning.effort) {
    // The gateway-wide effort → budget table (src/ir/reasoning-budget.ts), clamped to the model.
    config.thinkingBudget = clampBudget(EFFORT_BUDGET[reasoning.effort], family);
  } else if (reasoning.adaptive) {
    config.thinkingBudget = -1; // dynamic
  }

  const includeThoughts = reasoning.includeThoughts ?? !off;
  if (includeThoughts) config.includeThoughts = true;
  return Object.keys(config).length > 0 ? config : undefined;
}
