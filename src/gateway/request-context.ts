import type { IRUsage } from "../ir/types.ts";
import type { AttemptRecord, RequestOutcome } from "../observe/request-outcome.ts";
import type { RunWithFallbackOptions } from "../routing/run-with-fallback.ts";
import { type BodyDirection, toBodyLogEntry } from "../usage/body-log.ts";
import { costOfOutcome, toUsageRecord } from "../usage/usage-record.ts";
import type { GatewayRuntime } from "./runtime.ts";

/** Per-request state, filled in as the request moves through the pipeline. */
export class RequestContext {
  readonly startedAt = Date.now();
  private readonly startedPerf = performance.now();
  readonly attempts: AttemptRecord[] = [];
  keyName: string | null = null;
  modelRequested: string | null = null;
  provider: string | null = null;
  upstreamModel: string | null = null;
  stream = false;
  translated = false;
  upstreamLatencyMs: number | null = null;
  ttftMs: number | null = null;
  usage: IRUsage | null = null;
  /** Body bytes each way (the provider pass-through); set once the request is to be recorded without a model. */
  bytes: { up: number; down: number } | null = null;
  errorType: string | undefined;
  /** Client fields the translation dropped (x-switchboard-dropped). */
  dropped: string[] | undefined;
  /** Logged bodies, kept only while the console's Live page is open. */
  bodies: Array<Record<string, unknown>> | undefined;
  /** Usage seen so far while a stream is still running (set by the stream answer), for the drain. */
  liveUsage: (() => IRUsage | null) | null = null;
  /** Gives the connection its idle timeout back (lifted while the answer was awaited). */
  releaseConnection: (() => void) | null = null;
  /** Whether response headers have gone out (a stream was committed to). */
  answered = false;
  /** Called once with the real token count when the request ends (rate-limit settlement). */
  releaseLimit: ((actualTokens: number) => void) | null = null;
  private finished = false;

  constructor(
    readonly runtime: GatewayRuntime,
    readonly requestId: string,
    readonly endpoint: string,
  ) {
    runtime.inFlight++;
    runtime.requestsStarted++;
    runtime.active.add(this);
    runtime.metrics.requestStarted();
  }

  /**
   * The drain deadline passed with this request still running: record it now, with the tokens
   * seen so far, so no accepted request goes unrecorded (docs/operations.md, "Shutdown").
   */
  finishAtDrainDeadline(): void {
    if (this.finished) return;
    this.errorType = "drain_timeout";
    this.usage = this.liveUsage?.() ?? this.usage;
    this.finish(this.answered ? 200 : 503);
  }

  elapsedMs(): number {
    return performance.now() - this.startedPerf;
  }

  /** Body logging (off by default): capped and redacted, one log line per body. */
  logBody(direction: BodyDirection, body: string | Uint8Array | ArrayBuffer): void {
    const usage = this.runtime.config.usage;
    if (!usage.logBodies) return;
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : body;
    const { msg: _msg, ...fields } = toBodyLogEntry(
      { requestId: this.requestId, direction, body: bytes },
      usage.bodyLogLimit,
    );
    this.runtime.logger.info("body", fields);
    // The Live page shows a request's bodies; they are kept only while someone watches it.
    if (this.runtime.live.active) {
      this.bodies ??= [];
      this.bodies.push(fields);
    }
  }

  /**
   * What runWithFallback takes from a request: the config and routing state of the runtime, the
   * client's signal, and this request's attempt record.
   */
  fallbackOptions(signal: AbortSignal): RunWithFallbackOptions {
    return { config: this.runtime.config, state: this.runtime.routing, signal, attempts: this.attempts };
  }

  /** Restores the connection's idle timeout, once. */
  private releaseIdleTimeout(): void {
    const release = this.releaseConnection;
    this.releaseConnection = null;
    release?.();
  }

  markFirstByte(): void {
    if (this.ttftMs === null) this.ttftMs = this.elapsedMs();
  }

  /** Logs, meters, records usage and settles limits. Runs once, after the response is complete. */
  finish(status: number): void {
    if (this.finished) return;
    this.finished = true;
    this.releaseIdleTimeout();
    const runtime = this.runtime;
    runtime.inFlight--;
    runtime.active.delete(this);
    runtime.metrics.requestEnded();
    const usage = this.usage;
    if (this.releaseLimit) {
      this.releaseLimit(
        usage
          ? usage.inputTokens +
              usage.outputTokens +
              (usage.cacheReadTokens ?? 0) +
              (usage.cacheWriteTokens ?? 0)
          : // No usage seen (a stream without its usage, a failed call): the up-front estimate stays charged.
            Number.NaN,
      );
      this.releaseLimit = null;
    }
    const outcome: RequestOutcome = {
      requestId: this.requestId,
      startedAt: this.startedAt,
      keyName: this.keyName,
      endpoint: this.endpoint,
      modelRequested: this.modelRequested,
      provider: this.provider,
      upstreamModel: this.upstreamModel,
      attempts: this.attempts,
      status,
      stream: this.stream,
      latencyMs: this.elapsedMs(),
      ttftMs: this.ttftMs,
      upstreamLatencyMs: this.upstreamLatencyMs,
      usage,
      translated: this.translated,
      errorType: this.errorType,
      ...(this.bytes ? { bytesUp: this.bytes.up, bytesDown: this.bytes.down } : {}),
      ...(this.dropped ? { dropped: this.dropped } : {}),
      ...(this.bodies ? { bodies: this.bodies } : {}),
    };
    const prices = runtime.config.usage.prices;
    let costUsd: number | null;
    if (runtime.usageStore && (this.modelRequested !== null || this.bytes !== null)) {
      const record = toUsageRecord(outcome, prices);
      costUsd = record.costUsd;
      runtime.metrics.observe(outcome, costUsd);
      runtime.usage.record(record);
    } else {
      costUsd = costOfOutcome(outcome, prices);
      runtime.metrics.observe(outcome, costUsd);
    }
    // The console's Live page: nothing is built unless someone is watching.
    if (runtime.live.active) runtime.live.publish(outcome, costUsd);
    runtime.logger.info("request", {
      request_id: this.requestId,
      endpoint: this.endpoint,
      key: this.keyName,
      model: this.modelRequested,
      provider: this.provider,
      upstream_model: this.upstreamModel,
      status,
      stream: this.stream,
      attempts: this.attempts.length,
      latency_ms: round(outcome.latencyMs),
      ttft_ms: this.ttftMs === null ? undefined : round(this.ttftMs),
      input_tokens: usage?.inputTokens,
      output_tokens: usage?.outputTokens,
      error: this.errorType,
    });
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
