/**
 * IR reasoning → the Converse request fields that carry it. Converse has no reasoning field of its
 * own: each model family reads its own setting from `additionalModelRequestFields`, so the family
 * (from the Bedrock model id) decides the shape. Pure: the encoder applies drops and adjustments.
 *   Claude       {"thinking": {"type": "enabled", "budget_tokens": N}} or {"type": "adaptive"}
 *   Nova 2       {"reasoningConfig": {"type": "enabled", "maxReasoningEffort": "low"|"medium"|"high"}}
 *   gpt-oss      {"reasoning_effort": "low"|"medium"|"high"}
 *   DeepSeek R1  nothing: it always reasons
 */
import { effortFromBudget, MIN_THINKING_BUDGET } from "../../ir/reasoning-budget.ts";
import { nearestEffort } from "../../ir/reasoning-levels.ts";
import type { IRReasoningConfig, IRReasoningEffort } from "../../ir/types.ts";
import { thinkingBudget, thinkingMaxTokens } from "../anthropic/to-anthropic-request.ts";

export type ConverseReasoningFamily = "claude" | "nova-2" | "gpt-oss" | "deepseek-r1";

/** The three levels Nova 2's maxReasoningEffort and gpt-oss's reasoning_effort take. */
type ConverseEffort = "low" | "medium" | "high";
const CONVERSE_EFFORTS: readonly IRReasoningEffort[] = ["low", "medium", "high"];

const FAMILY_PREFIXES: ReadonlyArray<[string, ConverseReasoningFamily]> = [
  ["anthropic.claude", "claude"],
  ["amazon.nova-2", "nova-2"],
  ["openai.gpt-oss", "gpt-oss"],
  ["deepseek.r1", "deepseek-r1"],
];

/** A cross-region inference profile's leading geography. */
const GEOGRAPHY = /^(?:us|us-gov|eu|apac|jp|au|ca|global)\./;

/**
 * The Bedrock model id without what does not name the model: an ARN's resource type
 * (`arn:aws:bedrock:…:inference-profile/`), a cross-region profile's geography (`us.`, `eu.`,
 * `apac.`, `global.`, …) and the version suffix (`-v1:0`).
 */
function bareBedrockModelId(modelId: string): string {
  const resource = modelId.startsWith("arn:") ? modelId.slice(modelId.lastIndexOf("/") + 1) : modelId;
  return resource.replace(GEOGRAPHY, "").replace(/-v\d+(?::\d+)*$/, "");
}

/** Undefined: a family whose reasoning setting the gateway does not know (the encoder drops it). */
export function converseReasoningFamilyOf(modelId: string): ConverseReasoningFamily | undefined {
  const bare = bareBedrockModelId(modelId);
  return FAMILY_PREFIXES.find(([prefix]) => bare.startsWith(prefix))?.[1];
}

/** What to send; undefined when nothing is (reasoning off, not asked for, or always on). */
export interface ConverseReasoning {
  /** Merged into `additionalModelRequestFields`. */
  fields: Record<string, unknown>;
  /** Claude with a budget: the output limit it needs (`inferenceConfig.maxTokens`). */
  maxTokens?: number;
  /** Claude: the thinking budget sent. */
  budget?: number;
  /** Nova 2, gpt-oss: the level sent. */
  effort?: ConverseEffort;
}

/**
 * An effort as is (the nearest of low/medium/high: minimal → low, xhigh and max → high); a budget
 * through effortFromBudget; `none`, disabled or bare adaptive thinking: nothing (the model's
 * default), as the OpenAI encoder does.
 */
function converseEffortOf(reasoning: IRReasoningConfig): ConverseEffort | undefined {
  if (reasoning.disabled || reasoning.effort === "none") return undefined;
  if (reasoning.effort) return nearestEffort(reasoning.effort, CONVERSE_EFFORTS) as ConverseEffort;
  if (reasoning.budgetTokens !== undefined && !reasoning.adaptive)
    return effortFromBudget(reasoning.budgetTokens);
  return undefined;
}

/** Claude: the Anthropic encoder's rules (budget ≥ 1024 and below max_tokens, raised if needed). */
function toClaudeThinking(
  model: string,
  reasoning: IRReasoningConfig,
  clientMax: number | undefined,
): ConverseReasoning | undefined {
  if (reasoning.disabled) return undefined;
  let budget = thinkingBudget(reasoning);
  if (budget === undefined)
    return reasoning.adaptive ? { fields: { thinking: { type: "adaptive" } } } : undefined;
  const maxTokens = thinkingMaxTokens(budget, clientMax, model);
  // The model's output cap can leave less room than the budget: keep 1024 tokens for the answer.
  if (budget >= maxTokens) budget = Math.max(MIN_THINKING_BUDGET, maxTokens - MIN_THINKING_BUDGET);
  return { fields: { thinking: { type: "enabled", budget_tokens: budget } }, maxTokens, budget };
}

export function toConverseReasoning(
  family: ConverseReasoningFamily,
  modelId: string,
  reasoning: IRReasoningConfig | undefined,
  clientMax: number | undefined,
): ConverseReasoning | undefined {
  if (!reasoning) return undefined;
  switch (family) {
    case "claude":
      return toClaudeThinking(bareBedrockModelId(modelId), reasoning, clientMax);
    case "nova-2": {
      const effort = converseEffortOf(reasoning);
      if (!effort) return undefined;
      return { fields: { reasoningConfig: { type: "enabled", maxReasoningEffort: effort } }, effort };
    }
    case "gpt-oss": {
      const effort = converseEffortOf(reasoning);
      return effort ? { fields: { reasoning_effort: effort }, effort } : undefined;
    }
    case "deepseek-r1":
      return undefined;
    default: {
      const unknownFamily: never = family;
      throw new Error(`no Converse reasoning for ${String(unknownFamily)}`);
    }
  }
}
