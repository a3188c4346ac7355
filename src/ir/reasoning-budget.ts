import type { IRReasoningEffort } from "./types.ts";

/**
 * Effort level → thinking budget in tokens, used where a target takes a budget (Anthropic
 * `thinking.budget_tokens`). Anthropic's floor is 1024. docs/translation.md has this table.
 */
export const EFFORT_BUDGET: Record<IRReasoningEffort, number> = {
  none: 0,
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 24576,
  max: 32000,
};

export const MIN_THINKING_BUDGET = 1024;

/**
 * Thinking budget → effort level for targets that take an effort (OpenAI reasoning_effort).
 * Only low/medium/high come out: minimal and xhigh exist on some OpenAI models only.
 */
export function effortFromBudget(budget: number): "low" | "medium" | "high" {
  if (budget <= 3072) return "low";
  if (budget <= 12288) return "medium";
  return "high";
}
