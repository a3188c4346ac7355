import type { ClientProtocol, EncodeContext } from "./codec.ts";
import { adjustField } from "./drop-policy.ts";
import type { IRReasoningEffort, IRRequest } from "./types.ts";

/** Every effort level the gateway knows, lowest first: "nearest" is measured along this order. */
export const EFFORT_ORDER = [
  "none",
  "minimal",
  "low",
  "medium",
  "high",
  "xhigh",
  "max",
] as const satisfies readonly IRReasoningEffort[];

/** OpenAI's `reasoning_effort` / Responses `reasoning.effort` (and OpenRouter's `reasoning.effort`). */
export const OPENAI_EFFORTS: readonly IRReasoningEffort[] = [
  "none",
  "minimal",
  "low",
  "medium",
  "high",
  "xhigh",
];

/** Anthropic's `output_config.effort`. */
export const ANTHROPIC_EFFORTS: readonly IRReasoningEffort[] = ["low", "medium", "high", "xhigh", "max"];

/**
 * The level of `available` nearest to `effort` along EFFORT_ORDER; a tie goes to the higher level
 * (the model keeps at least the reasoning asked for).
 */
export function nearestEffort(
  effort: IRReasoningEffort,
  available: readonly IRReasoningEffort[],
): IRReasoningEffort {
  if (available.includes(effort)) return effort;
  const at = EFFORT_ORDER.indexOf(effort);
  let best = available[0] as IRReasoningEffort;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const level of available) {
    const distance = Math.abs(EFFORT_ORDER.indexOf(level) - at);
    if (distance <= bestDistance) {
      best = level;
      bestDistance = distance;
    }
  }
  return best;
}

/** Client field names the adjustments are reported under, per the protocol the request came in. */
const CLIENT_FIELDS: Record<ClientProtocol, Record<"effort" | "budget" | "maxTokens", string>> = {
  openai: { effort: "reasoning_effort", budget: "reasoning.max_tokens", maxTokens: "max_tokens" },
  anthropic: { effort: "output_config.effort", budget: "thinking.budget_tokens", maxTokens: "max_tokens" },
  responses: { effort: "reasoning.effort", budget: "reasoning.max_tokens", maxTokens: "max_output_tokens" },
};

/** The client's name for an IR field, for `x-switchboard-adjusted`. */
export function clientFieldOf(request: IRRequest, field: "effort" | "budget" | "maxTokens"): string {
  return CLIENT_FIELDS[request.sourceProtocol ?? "openai"][field];
}

/**
 * Names the effort change when a target was sent another level (or thinking level) than the
 * client asked for; nothing when the client gave no effort or the target got it as is.
 */
export function noteEffortSent(context: EncodeContext, request: IRRequest, sent: unknown): void {
  const asked = request.reasoning?.effort;
  if (asked === undefined || sent === undefined || sent === asked) return;
  adjustField(context, clientFieldOf(request, "effort"), asked, sent);
}

/** A budget the target's limits changed (raised to a floor, clamped to a cap): named. */
export function noteBudgetSent(context: EncodeContext, request: IRRequest, sent: number | undefined): void {
  const asked = request.reasoning?.budgetTokens;
  if (asked === undefined || sent === undefined || sent === asked) return;
  adjustField(context, clientFieldOf(request, "budget"), asked, sent);
}
