import type { IRUsage } from "../ir/types.ts";
import type { Target } from "../routing/resolve-targets.ts";
import { costOf } from "../usage/cost.ts";
import type { RequestContext } from "./request-context.ts";

/**
 * The `meta` object of an answer (`meta: true`, docs/request-controls.md): who answered, after how
 * many attempts, how long it took, and what it cost. A JSON answer reaches the client all at once,
 * so its time to first token is its latency.
 */
export function answerMeta(
  ctx: RequestContext,
  target: Target,
  usage: IRUsage | null,
): Record<string, unknown> {
  const latencyMs = round(ctx.elapsedMs());
  // Priced as the usage row is (`provider/model`, then the bare id: usage-record.ts costOfOutcome).
  const costUsd = usage
    ? costOf(`${target.provider.name}/${target.model}`, usage, ctx.runtime.config.usage.prices)
    : null;
  return {
    request_id: ctx.requestId,
    provider: target.provider.name,
    model: target.model,
    requested_model: ctx.modelRequested,
    translated: ctx.translated,
    attempts: ctx.attempts.length,
    latency_ms: latencyMs,
    ttft_ms: ctx.ttftMs === null ? latencyMs : round(ctx.ttftMs),
    upstream_latency_ms: ctx.upstreamLatencyMs === null ? null : round(ctx.upstreamLatencyMs),
    usage: usage && {
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      cache_read_tokens: usage.cacheReadTokens ?? 0,
      cache_write_tokens: usage.cacheWriteTokens ?? 0,
      reasoning_tokens: usage.reasoningTokens ?? 0,
    },
    cost_usd: costUsd,
  };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
