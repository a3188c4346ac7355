import { invalidRequest } from "../errors/gateway-error.ts";
import { EFFORT_BUDGET, MIN_THINKING_BUDGET } from "../ir/reasoning-budget.ts";
import { ANTHROPIC_EFFORTS, nearestEffort } from "../ir/reasoning-levels.ts";
import type { IRReasoningEffort } from "../ir/types.ts";

type Json = Record<string, unknown>;

/** The gateway's `reasoning` control, as the schema checked it (src/protocols/schema-helpers.ts). */
interface ReasoningControl {
  effort?: IRReasoningEffort | null;
  summary?: "auto" | "concise" | "detailed" | "none" | null;
  enabled?: boolean | null;
  max_tokens?: number | null;
}

/** Where the mapping names what it dropped or changed (→ x-switchboard-dropped / -adjusted). */
export interface ControlNotes {
  strict: boolean;
  dropped: string[];
  adjusted: string[];
}

/**
 * `reasoning: {effort, summary, enabled, max_tokens}` on Anthropic Messages → the body's own
 * `thinking` and `output_config.effort`, before anything else reads the body: a same-protocol
 * upstream gets those fields, and the translating path decodes them into the IR as it decodes a
 * client's own. A native `thinking` or `output_config.effort` wins: `reasoning` is then dropped and
 * named (strict mode: 400). The caller removes `reasoning` from the body.
 */
export function applyAnthropicReasoning(body: Json, notes: ControlNotes): void {
  const control = body.reasoning as ReasoningControl | null | undefined;
  if (!control) return;
  const outputConfig = body.output_config as Json | null | undefined;
  if (body.thinking !== undefined || (outputConfig?.effort ?? null) !== null) {
    if (notes.strict)
      throw invalidRequest(
        "'reasoning' and 'thinking' / 'output_config.effort' were both given; the native fields win and strict mode refuses dropped fields",
        "reasoning",
        "unsupported_parameter",
      );
    notes.dropped.push("reasoning");
    return;
  }
  if (control.enabled === false || control.effort === "none") {
    body.thinking = { type: "disabled" };
    return;
  }
  if (control.effort) {
    const effort = nearestEffort(control.effort, ANTHROPIC_EFFORTS);
    if (effort !== control.effort) notes.adjusted.push(`reasoning.effort=${control.effort}->${effort}`);
    body.output_config = { ...outputConfig, effort };
  }
  const budget = thinkingBudgetOf(control, body.max_tokens as number, notes);
  if (budget !== undefined) {
    body.thinking =
      control.summary === "none"
        ? { type: "enabled", budget_tokens: budget, display: "omitted" }
        : { type: "enabled", budget_tokens: budget };
  } else if (control.summary) {
    // A summary of thinking that is not turned on: nothing to summarise.
    notes.dropped.push("reasoning.summary");
  }
}

/**
 * The thinking budget: `max_tokens` as given (raised to Anthropic's 1024 floor, named), or with
 * `enabled: true` alone the effort's budget (src/ir/reasoning-budget.ts; medium when no effort),
 * kept below the request's max_tokens. Undefined: no thinking asked for.
 */
function thinkingBudgetOf(
  control: ReasoningControl,
  maxTokens: number,
  notes: ControlNotes,
): number | undefined {
  if (control.max_tokens !== undefined && control.max_tokens !== null) {
    const budget = Math.max(MIN_THINKING_BUDGET, control.max_tokens);
    if (budget !== control.max_tokens)
      notes.adjusted.push(`reasoning.max_tokens=${control.max_tokens}->${budget}`);
    if (budget >= maxTokens)
      throw invalidRequest(
        `'reasoning.max_tokens' (${budget}) must be less than max_tokens (${maxTokens}): Anthropic counts thinking within max_tokens`,
        "reasoning.max_tokens",
      );
    return budget;
  }
  if (control.enabled !== true) return undefined;
  const budget = Math.min(EFFORT_BUDGET[control.effort ?? "medium"], maxTokens - 1);
  if (budget < MIN_THINKING_BUDGET)
    throw invalidRequest(
      `'reasoning.enabled' needs max_tokens above ${MIN_THINKING_BUDGET} (Anthropic's smallest thinking budget)`,
      "reasoning.enabled",
    );
  return budget;
}
