import type { ModelPrice } from "../config/types.ts";
import type { RequestOutcome } from "../observe/request-outcome.ts";
import { costOf } from "./cost.ts";

/** One row of the usage table: one client request, whatever number of upstream attempts it took. */
export interface UsageRecord {
  /** Epoch milliseconds when the gateway received the request. */
  ts: number;
  /**
   * Unique per row, made when the row is: a batch written twice (a write that timed out but
   * committed, then retried) keeps one copy. Not the request id, which a client may repeat.
   */
  recordId: string;
  requestId: string;
  keyName: string | null;
  endpoint: string;
  modelRequested: string | null;
  /** Configured provider name and upstream model that answered (or were last tried). */
  provider: string | null;
  model: string | null;
  attempts: number;
  /** The AttemptRecord[] as JSON text (provider, model, keyLabel, status, outcome, latencyMs). */
  attemptsJson: string;
  status: number;
  stream: boolean;
  latencyMs: number;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** USD; null when the model has no known price or no usage was reported. */
  costUsd: number | null;
  errorType: string | null;
  /** Body bytes sent up and received (the provider pass-through only; NULL in other rows). */
  bytesUp?: number;
  bytesDown?: number;
}

/** The usage row for a finished request; cost priced from the upstream model (config prices first). */
export function toUsageRecord(outcome: RequestOutcome, prices: Record<string, ModelPrice>): UsageRecord {
  const usage = outcome.usage;
  const model = outcome.upstreamModel;
  const costUsd = costOfOutcome(outcome, prices);
  return {
    ts: outcome.startedAt,
    recordId: crypto.randomUUID(),
    requestId: outcome.requestId,
    keyName: outcome.keyName,
    endpoint: outcome.endpoint,
    modelRequested: outcome.modelRequested,
    provider: outcome.provider,
    model,
    attempts: outcome.attempts.length,
    attemptsJson: JSON.stringify(outcome.attempts),
    status: outcome.status,
    stream: outcome.stream,
    latencyMs: Math.round(outcome.latencyMs),
    ttftMs: outcome.ttftMs === null ? null : Math.round(outcome.ttftMs),
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens: usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    costUsd,
    errorType: outcome.errorType ?? null,
    ...(outcome.bytesUp === undefined ? {} : { bytesUp: outcome.bytesUp, bytesDown: outcome.bytesDown }),
  };
}

/**
 * The cost of a finished request, as its usage row has it; use the same figure for metrics.
 * Priced as `provider/model` so a config price can target one provider's copy of a model;
 * costOf falls back to the bare id.
 */
export function costOfOutcome(outcome: RequestOutcome, prices: Record<string, ModelPrice>): number | null {
  const { usage, upstreamModel: model, provider } = outcome;
  if (!usage || !model) return null;
  return costOf(provider ? `${provider}/${model}` : model, usage, prices);
}
