import type { RequestOutcome } from "./request-outcome.ts";

/** One finished request as the console's Live page shows it (GET /admin/live). */
export interface LiveEvent {
  time: number;
  request_id: string;
  key: string | null;
  endpoint: string;
  model_requested: string | null;
  provider: string | null;
  model: string | null;
  attempts: Array<{ provider: string; model: string; status: number; outcome: string; latency_ms: number }>;
  status: number;
  stream: boolean;
  translated: boolean;
  latency_ms: number;
  ttft_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cost_usd: number | null;
  error_type: string | null;
  /** Client fields the translation dropped. */
  dropped: string[];
  /** Request, upstream and response bodies, when usage.log_bodies is on (capped and redacted). */
  bodies: Array<Record<string, unknown>>;
}

export type LiveListener = (event: LiveEvent) => void;

/**
 * Finished requests for whoever watches the console's Live page. The request path asks `active`
 * (one Set size read) and builds an event only when someone is subscribed: nothing is kept or
 * built otherwise.
 */
export class LiveFeed {
  private readonly listeners = new Set<LiveListener>();

  get active(): boolean {
    return this.listeners.size > 0;
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  publish(outcome: RequestOutcome, costUsd: number | null): void {
    const event = toLiveEvent(outcome, costUsd);
    for (const listener of this.listeners) listener(event);
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

export function toLiveEvent(outcome: RequestOutcome, costUsd: number | null): LiveEvent {
  const usage = outcome.usage;
  return {
    time: outcome.startedAt,
    request_id: outcome.requestId,
    key: outcome.keyName,
    endpoint: outcome.endpoint,
    model_requested: outcome.modelRequested,
    provider: outcome.provider,
    model: outcome.upstreamModel,
    attempts: outcome.attempts.map((attempt) => ({
      provider: attempt.provider,
      model: attempt.model,
      status: attempt.status,
      outcome: attempt.outcome,
      latency_ms: round(attempt.latencyMs),
    })),
    status: outcome.status,
    stream: outcome.stream,
    translated: outcome.translated,
    latency_ms: round(outcome.latencyMs),
    ttft_ms: outcome.ttftMs === null ? null : round(outcome.ttftMs),
    input_tokens: usage?.inputTokens ?? 0,
    output_tokens: usage?.outputTokens ?? 0,
    cached_tokens: usage?.cacheReadTokens ?? 0,
    cost_usd: costUsd,
    error_type: outcome.errorType ?? null,
    dropped: outcome.dropped ?? [],
    bodies: outcome.bodies ?? [],
  };
}
