import type { ProviderKey } from "../config/types.ts";
import type { Target } from "../routing/resolve-targets.ts";
import type { AttemptResult } from "../routing/run-with-fallback.ts";
import { encodeSSEComment } from "../sse/encoder.ts";
import type { UpstreamResponse } from "./call-upstream.ts";
import type { RequestContext } from "./request-context.ts";

export type TraceLevel = "summary" | "full";

/** What the answer shows of the upstream call (docs/request-controls.md, "debug"). */
export interface DebugShow {
  /** The upstream request: method, url, headers (secrets redacted), body. */
  request: boolean;
  /** The upstream response: status, headers and (JSON answers) body. */
  response: boolean;
  /** The routing trace: every target and attempt. */
  trace: TraceLevel | null;
}

/**
 * A request's debug view (`x-switchboard-debug`, `debug`, `echo_upstream_request`), already
 * permitted; it also collects what the trace needs while the request runs.
 */
export class DebugRequest {
  /** The planned targets, in order. */
  targets: Target[] = [];
  /** The error of each failed attempt, by the index of its record in ctx.attempts. */
  readonly errors = new Map<number, string>();

  constructor(readonly show: DebugShow) {}
}

type Attempt<T> = (target: Target, key: ProviderKey | undefined) => Promise<AttemptResult<T>>;

/** The pipeline's attempt function, wrapped to keep the targets and each failure's error for the trace. */
export function traceAttempts<T>(
  debug: DebugRequest | undefined,
  targets: Target[],
  attempts: readonly unknown[],
  attempt: Attempt<T>,
): Attempt<T> {
  if (!debug?.show.trace) return attempt;
  debug.targets = targets;
  return async (target, key) => {
    const result = await attempt(target, key);
    // run-with-fallback records this attempt next: its record's index is the current length.
    if (!result.ok) debug.errors.set(attempts.length, result.error.message);
    return result;
  };
}

/** The `switchboard_debug` member of a JSON answer. */
export function debugOfJson(
  debug: DebugRequest | undefined,
  request: Record<string, unknown>,
  upstream: UpstreamResponse,
  upstreamJson: unknown,
  ctx: RequestContext,
  target: Target,
): Record<string, unknown> {
  if (!debug) return request;
  const out: Record<string, unknown> = debug.show.request ? { ...request } : {};
  // A copy: on the same-protocol path the answer itself is this object.
  if (debug.show.response)
    out.upstream_response = { ...responseHead(upstream), body: structuredClone(upstreamJson) };
  if (debug.show.trace) out.trace = traceOf(debug, ctx, target);
  return out;
}

/** The SSE comment before a stream's first event: the upstream request and response head, as asked. */
export function debugPrefix(
  debug: DebugRequest | undefined,
  request: Record<string, unknown>,
  upstream: UpstreamResponse,
): string | undefined {
  const view: Record<string, unknown> = !debug || debug.show.request ? { ...request } : {};
  if (debug?.show.response) view.upstream_response = responseHead(upstream);
  if (Object.keys(view).length === 0) return undefined;
  return encodeSSEComment(`switchboard_debug ${JSON.stringify(view)}`);
}

/** SSE comments after a stream's last event: the routing trace and the `meta` object, when asked. */
export function streamTrailer(
  debug: DebugRequest | undefined,
  meta: Record<string, unknown> | undefined,
  ctx: RequestContext,
  target: Target,
): string {
  let out = "";
  if (debug?.show.trace)
    out += encodeSSEComment(`switchboard_trace ${JSON.stringify(traceOf(debug, ctx, target))}`);
  if (meta) out += encodeSSEComment(`switchboard_meta ${JSON.stringify(meta)}`);
  return out;
}

function responseHead(upstream: UpstreamResponse): Record<string, unknown> {
  const headers: Record<string, string> = {};
  upstream.response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  return { status: upstream.response.status, headers };
}

/**
 * Every planned target and every attempt (skipped ones included), with status, outcome, error and
 * timing; `full` adds the key label of each attempt and the answer's timings.
 */
function traceOf(debug: DebugRequest, ctx: RequestContext, target: Target): Record<string, unknown> {
  const full = debug.show.trace === "full";
  const trace: Record<string, unknown> = {
    level: debug.show.trace,
    targets: debug.targets.map((t) => ({ provider: t.provider.name, model: t.model })),
    attempts: ctx.attempts.map((attempt, index) => {
      const entry: Record<string, unknown> = {
        provider: attempt.provider,
        model: attempt.model,
        status: attempt.status,
        outcome: attempt.outcome,
      };
      const error = debug.errors.get(index);
      if (error !== undefined) entry.error = error;
      entry.latency_ms = round(attempt.latencyMs);
      if (full) entry.key = attempt.keyLabel;
      return entry;
    }),
    answered_by: { provider: target.provider.name, model: target.model },
    latency_ms: round(ctx.elapsedMs()),
  };
  if (full) {
    trace.translated = ctx.translated;
    trace.upstream_latency_ms = ctx.upstreamLatencyMs === null ? null : round(ctx.upstreamLatencyMs);
    trace.ttft_ms = ctx.ttftMs === null ? null : round(ctx.ttftMs);
  }
  return trace;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
