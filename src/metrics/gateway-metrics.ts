import type { RequestOutcome } from "../observe/request-outcome.ts";
import type { StoreHealthView } from "../observe/store-health.ts";
import {
  type Counter,
  type CounterSeries,
  type Gauge,
  type Histogram,
  type HistogramSeries,
  PROMETHEUS_CONTENT_TYPE,
  Registry,
} from "./registry.ts";

export { PROMETHEUS_CONTENT_TYPE };

/** Circuit breaker state per provider; numbers follow the metric (0 closed, 1 half-open, 2 open). */
export type BreakerState = "closed" | "half_open" | "half-open" | "open" | 0 | 1 | 2;
/** RoutingState.snapshot() as is, or a plain provider → state map. */
export type BreakerSnapshot =
  | { providers: ReadonlyArray<{ name: string; state: BreakerState }> }
  | ReadonlyMap<string, BreakerState>
  | Readonly<Record<string, BreakerState>>;

/** The usage recorder's counters (UsageRecorder.stats()). */
export interface UsageBufferStats {
  buffered: number;
  dropped: number;
  written?: number;
  failedWrites?: number;
  /** Rows in the local spool file (absent without a spool). */
  spooled?: number;
}

// Seconds; from a fast cached answer to a long agentic stream.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
/**
 * Distinct `model` label values: clients choose model names (unknown ones answered 404, any name
 * on a provider that passes names through), and every name is a set of series kept for the life
 * of the process. Past this many, requests for a new name are counted under `model="other"`.
 */
export const MAX_MODEL_LABELS = 500;
/** Longer model names are cut to this many characters (and end with `…`) in the label. */
export const MAX_MODEL_LABEL_LENGTH = 128;
export const OTHER_MODEL = "other";
const TOKEN_TYPES = ["input", "output", "cache_read", "cache_write", "reasoning"] as const;

/** Series one observe() touches, resolved once per (endpoint, provider, model, key, status). */
interface SeriesBundle {
  requests: CounterSeries;
  errors: CounterSeries | null;
  duration: HistogramSeries;
  /** Resolved on the first stream, so non-stream models show no empty TTFT histogram. */
  ttft: HistogramSeries | null;
  ttftLabels: [string, string, string];
  tokens: CounterSeries[];
  cost: CounterSeries;
}

/**
 * The gateway's Prometheus metrics. observe() is on every request's path: it builds one string
 * (the bundle key) and otherwise only adds numbers to series it has already resolved.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter;
  private readonly errors: Counter;
  private readonly duration: Histogram;
  private readonly ttft: Histogram;
  private readonly upstream: Histogram;
  private readonly overhead: HistogramSeries;
  private readonly tokens: Counter;
  private readonly cost: Counter;
  private readonly requestsInFlight: Gauge;
  private readonly streamsInFlight: Gauge;
  private readonly breaker: Gauge;
  private readonly usageBuffer: Gauge;
  private readonly usageDropped: Counter;
  private readonly usageWritten: Counter;
  private readonly usageFailedWrites: Counter;
  private readonly rateLimitedTotal: Counter;
  private readonly storeUp: Gauge;
  private readonly usageSpool: Gauge;
  private readonly storeFallbacks: Counter;
  private readonly bundles = new Map<string, SeriesBundle>();
  private readonly upstreamByProvider = new Map<string, HistogramSeries>();
  /** `model` label values in use (bounded: MAX_MODEL_LABELS). */
  private readonly modelLabels = new Set<string>();

  constructor() {
    const r = this.registry;
    const labels = ["endpoint", "provider", "model", "key", "status"];
    this.requests = r.counter("switchboard_requests_total", "Requests answered, by final status.", labels);
    this.errors = r.counter("switchboard_errors_total", "Requests answered with status >= 400.", [
      ...labels,
      "type",
    ]);
    this.duration = r.histogram(
      "switchboard_request_duration_seconds",
      "Time from request received to response complete (stream end included).",
      ["endpoint", "provider", "model"],
      LATENCY_BUCKETS,
    );
    this.ttft = r.histogram(
      "switchboard_time_to_first_token_seconds",
      "Streams: time from request received to first byte of output sent to the client.",
      ["endpoint", "provider", "model"],
      LATENCY_BUCKETS,
    );
    this.upstream = r.histogram(
      "switchboard_upstream_duration_seconds",
      "Time the answering upstream took to send response headers.",
      ["provider"],
      LATENCY_BUCKETS,
    );
    this.overhead = r
      .histogram(
        "switchboard_gateway_overhead_seconds",
        "Non-stream requests: total time minus the time spent in upstream attempts.",
        [],
        OVERHEAD_BUCKETS,
      )
      .labels();
    this.tokens = r.counter("switchboard_tokens_total", "Tokens reported by upstreams.", [
      "provider",
      "model",
      "key",
      "type",
    ]);
    this.cost = r.counter("switchboard_cost_usd_total", "Cost of priced requests, USD.", [
      "provider",
      "model",
      "key",
    ]);
    this.requestsInFlight = r.gauge("switchboard_requests_in_flight", "Requests being handled.");
    this.streamsInFlight = r.gauge("switchboard_streams_in_flight", "Streaming responses open.");
    this.breaker = r.gauge(
      "switchboard_circuit_breaker_state",
      "Circuit breaker per provider: 0 closed, 1 half-open, 2 open.",
      ["provider"],
    );
    this.usageBuffer = r.gauge("switchboard_usage_buffer_depth", "Usage records waiting to be written.");
    this.usageDropped = r.counter(
      "switchboard_usage_records_dropped_total",
      "Usage records lost because the buffer was full or the store refused the final write.",
    );
    this.usageWritten = r.counter(
      "switchboard_usage_records_written_total",
      "Usage records written to the store.",
    );
    this.usageFailedWrites = r.counter(
      "switchboard_usage_store_failed_writes_total",
      "Usage store writes that failed (their records are retried).",
    );
    this.rateLimitedTotal = r.counter(
      "switchboard_rate_limited_total",
      "Requests refused by the gateway's own per-key limits.",
      ["key"],
    );
    this.usageSpool = r.gauge(
      "switchboard_usage_spool_rows",
      "Usage rows in the local spool file, not yet in the shared store (usage.spool).",
    );
    this.storeUp = r.gauge(
      "switchboard_store_up",
      "Whether a configured store answers: 1 up, 0 down or not yet connected (limits: Redis or memory; usage: the database).",
      ["store", "kind"],
    );
    this.storeFallbacks = r.counter(
      "switchboard_store_fallbacks_total",
      "Work done without the store: limit checks decided by limits.on_store_failure, failed usage writes kept for later.",
      ["store"],
    );
    // Present from the start so dashboards see zeros, not gaps.
    this.requestsInFlight.set([], 0);
    this.streamsInFlight.set([], 0);
    this.usageBuffer.set([], 0);
    this.usageDropped.inc([], 0);
  }

  /** Records a finished request (call once, after the response is complete). */
  observe(outcome: RequestOutcome, costUsd: number | null): void {
    const provider = outcome.provider ?? "";
    const model = outcome.upstreamModel ?? outcome.modelRequested ?? "";
    const key = outcome.keyName ?? "";
    const isError = outcome.status >= 400;
    const errorType = isError ? (outcome.errorType ?? "") : "";
    const id = `${outcome.endpoint}\u0000${provider}\u0000${model}\u0000${key}\u0000${outcome.status}\u0000${errorType}`;
    let b = this.bundles.get(id);
    if (!b) {
      // A model name the client chose (an unknown one, or any name a provider passes through)
      // would otherwise be a new set of series, kept for the life of the process, per name.
      const label = this.modelLabel(model);
      const labelId =
        label === model
          ? id
          : `${outcome.endpoint}\u0000${provider}\u0000${label}\u0000${key}\u0000${outcome.status}\u0000${errorType}`;
      b = this.bundles.get(labelId);
      if (!b) {
        b = this.resolveBundle(
          outcome.endpoint,
          provider,
          label,
          key,
          String(outcome.status),
          isError,
          errorType,
        );
        this.bundles.set(labelId, b);
      }
    }
    b.requests.inc();
    b.errors?.inc();
    b.duration.observe(outcome.latencyMs / 1000);
    if (outcome.ttftMs !== null) {
      b.ttft ??= this.ttft.labels(...b.ttftLabels);
      b.ttft.observe(outcome.ttftMs / 1000);
    }
    if (outcome.upstreamLatencyMs !== null && outcome.provider) {
      let up = this.upstreamByProvider.get(outcome.provider);
      if (!up) {
        up = this.upstream.labels(outcome.provider);
        this.upstreamByProvider.set(outcome.provider, up);
      }
      up.observe(outcome.upstreamLatencyMs / 1000);
    }
    if (!outcome.stream && outcome.attempts.length > 0) {
      let upstreamMs = 0;
      for (const attempt of outcome.attempts) upstreamMs += attempt.latencyMs;
      this.overhead.observe(Math.max(0, outcome.latencyMs - upstreamMs) / 1000);
    }
    const usage = outcome.usage;
    if (usage) {
      b.tokens[0]!.inc(usage.inputTokens);
      b.tokens[1]!.inc(usage.outputTokens);
      b.tokens[2]!.inc(usage.cacheReadTokens ?? 0);
      b.tokens[3]!.inc(usage.cacheWriteTokens ?? 0);
      b.tokens[4]!.inc(usage.reasoningTokens ?? 0);
    }
    if (costUsd !== null) b.cost.inc(costUsd);
  }

  /** A request refused by the gateway's own per-key limits (call when the limiter says no). */
  rateLimited(keyName: string | null): void {
    this.rateLimitedTotal.inc([keyName ?? ""]);
  }

  requestStarted(): void {
    this.requestsInFlight.inc();
  }
  requestEnded(): void {
    this.requestsInFlight.dec();
  }
  streamStarted(): void {
    this.streamsInFlight.inc();
  }
  streamEnded(): void {
    this.streamsInFlight.dec();
  }

  /** Replaces the breaker gauge with this snapshot (providers absent from it disappear). */
  setBreakerStates(snapshot: BreakerSnapshot): void {
    this.breaker.reset();
    if ("providers" in snapshot && Array.isArray(snapshot.providers)) {
      for (const { name, state } of snapshot.providers) this.breaker.set([name], toBreakerNumber(state));
      return;
    }
    const entries = snapshot instanceof Map ? snapshot.entries() : Object.entries(snapshot);
    for (const [provider, state] of entries as Iterable<[string, BreakerState]>) {
      this.breaker.set([provider], toBreakerNumber(state));
    }
  }

  setUsageBuffer(stats: UsageBufferStats): void {
    this.usageBuffer.set([], stats.buffered);
    this.usageDropped.setTotal([], stats.dropped);
    if (stats.written !== undefined) this.usageWritten.setTotal([], stats.written);
    if (stats.failedWrites !== undefined) this.usageFailedWrites.setTotal([], stats.failedWrites);
    if (stats.spooled !== undefined) this.usageSpool.set([], stats.spooled);
  }

  /** Replaces the store gauges with the stores' current views (absent stores disappear). */
  setStoreHealth(stores: Readonly<Record<string, StoreHealthView | null>>): void {
    this.storeUp.reset();
    for (const [store, view] of Object.entries(stores)) {
      if (!view) continue;
      this.storeUp.set([store, view.kind], view.state === "up" ? 1 : 0);
      this.storeFallbacks.setTotal([store], view.fallbacks);
    }
  }

  /** Text exposition format 0.0.4; serve with PROMETHEUS_CONTENT_TYPE. */
  render(): string {
    return this.registry.render();
  }

  /** The `model` label for a model name: itself, cut when long, `other` once MAX_MODEL_LABELS are in use. */
  private modelLabel(model: string): string {
    const name = model.length > MAX_MODEL_LABEL_LENGTH ? `${model.slice(0, MAX_MODEL_LABEL_LENGTH)}…` : model;
    if (this.modelLabels.has(name)) return name;
    if (this.modelLabels.size >= MAX_MODEL_LABELS) return OTHER_MODEL;
    this.modelLabels.add(name);
    return name;
  }

  private resolveBundle(
    endpoint: string,
    provider: string,
    model: string,
    key: string,
    status: string,
    isError: boolean,
    errorType: string,
  ): SeriesBundle {
    return {
      requests: this.requests.labels(endpoint, provider, model, key, status),
      errors: isError ? this.errors.labels(endpoint, provider, model, key, status, errorType) : null,
      duration: this.duration.labels(endpoint, provider, model),
      ttft: null,
      ttftLabels: [endpoint, provider, model],
      tokens: TOKEN_TYPES.map((type) => this.tokens.labels(provider, model, key, type)),
      cost: this.cost.labels(provider, model, key),
    };
  }
}

function toBreakerNumber(state: BreakerState): number {
  if (typeof state === "number") return state;
  return state === "open" ? 2 : state === "closed" ? 0 : 1;
}
