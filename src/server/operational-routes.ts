import { withTimeout } from "../async/with-timeout.ts";
import { callerMayUse } from "../auth/allow-list.ts";
import { authenticate } from "../auth/authenticate.ts";
import { GatewayError } from "../errors/gateway-error.ts";
import { type ClientProtocol, errorResponse } from "../errors/render-error.ts";
import { requestIdOf } from "../gateway/handle-generation.ts";
import type { GatewayRuntime } from "../gateway/runtime.ts";
import { reasonOf, redactCredentials, type StoreHealthView } from "../observe/store-health.ts";
import { listModels } from "../routing/list-models.ts";
import { parseUsageQuery } from "../usage/usage-store.ts";

const json = (body: unknown, status: number, requestId: string, extra?: Record<string, string>): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-request-id": requestId, ...extra },
  });

function failure(protocol: ClientProtocol, error: unknown, requestId: string): Response {
  const gatewayError =
    error instanceof GatewayError
      ? error
      : new GatewayError({ kind: "api_error", status: 500, message: "Internal gateway error." });
  return errorResponse(protocol, gatewayError, { "x-request-id": requestId });
}

export function handleHealth(request: Request, runtime: GatewayRuntime): Response {
  return json({ status: "ok", version: runtime.version }, 200, requestIdOf(request));
}

function storeViews(runtime: GatewayRuntime): { limits: StoreHealthView; usage: StoreHealthView | null } {
  return { limits: runtime.stores.limits.view(), usage: runtime.stores.usage?.view() ?? null };
}

/**
 * Ready when a config is loaded and the process is not draining; breaker and store states in the
 * details. A store that is down makes the status `degraded` but keeps 200: every instance shares
 * the store, so taking them out of the balancer would turn a degraded service into no service.
 */
export function handleReady(request: Request, runtime: GatewayRuntime): Response {
  const snapshot = runtime.routing.snapshot();
  const ready = !runtime.draining;
  const stores = storeViews(runtime);
  const degraded = stores.limits.state !== "up" || (stores.usage !== null && stores.usage.state !== "up");
  return json(
    {
      status: ready ? (degraded ? "degraded" : "ready") : "draining",
      providers: snapshot.providers,
      stores,
      usage: runtime.usage.stats(),
    },
    ready ? 200 : 503,
    requestIdOf(request),
  );
}

/** GET /v1/models: what the caller's key may use; Anthropic's shape when `anthropic-version` is sent. */
export function handleModels(
  request: Request,
  runtime: GatewayRuntime,
  prefix: "openai" | "anthropic" | null,
): Response {
  const requestId = requestIdOf(request);
  const anthropicShape =
    prefix === "anthropic" || (prefix === null && request.headers.has("anthropic-version"));
  const protocol: ClientProtocol = anthropicShape ? "anthropic" : "openai";
  try {
    const caller = authenticate(request.headers, runtime.keyIndex);
    const models = listModels(runtime.config).filter((model) => callerMayUse(caller, model.id));
    if (anthropicShape) {
      const createdAt = "1970-01-01T00:00:00Z";
      const data = models.map((model) => ({
        type: "model",
        id: model.id,
        display_name: model.id,
        created_at: createdAt,
      }));
      return json(
        { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null },
        200,
        requestId,
      );
    }
    const data = models.map((model) => ({
      id: model.id,
      object: "model",
      created: 0,
      owned_by: model.ownedBy,
    }));
    return json({ object: "list", data }, 200, requestId);
  } catch (error) {
    return failure(protocol, error, requestId);
  }
}

export function requireMaster(request: Request, runtime: GatewayRuntime): void {
  const caller = authenticate(request.headers, runtime.keyIndex);
  if (caller.kind === "virtual") {
    throw new GatewayError({
      kind: "permission",
      status: 403,
      message: "This endpoint needs the master key.",
    });
  }
}

/** GET /metrics: Prometheus text; needs the master key unless `server.public_metrics: true`. */
export function handleMetrics(request: Request, runtime: GatewayRuntime): Response {
  const requestId = requestIdOf(request);
  try {
    if (!runtime.config.server.publicMetrics) requireMaster(request, runtime);
    runtime.metrics.setBreakerStates(runtime.routing.snapshot());
    runtime.metrics.setUsageBuffer(runtime.usage.stats());
    runtime.metrics.setStoreHealth(storeViews(runtime));
    return new Response(runtime.metrics.render(), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "x-request-id": requestId },
    });
  } catch (error) {
    return failure("openai", error, requestId);
  }
}

/** GET /v1/usage: totals grouped by key, model, provider and/or day over a time range; master key only. */
export async function handleUsage(request: Request, runtime: GatewayRuntime): Promise<Response> {
  const requestId = requestIdOf(request);
  try {
    requireMaster(request, runtime);
    const query = parseUsageQuery(new URL(request.url).searchParams);
    if (!runtime.usageStore) {
      throw new GatewayError({
        kind: "not_found",
        status: 404,
        message: "Usage recording is off (usage.store: off).",
        code: "usage_store_off",
      });
    }
    // Rows still buffered (a slow store) are left out rather than holding the answer up.
    await withTimeout(
      runtime.usage.flush(),
      USAGE_FLUSH_WAIT_MS,
      () => new Error(`no answer within ${USAGE_FLUSH_WAIT_MS} ms`),
    ).catch(() => {});
    let summary: Awaited<ReturnType<typeof runtime.usageStore.summarize>>;
    try {
      summary = await withTimeout(
        runtime.usageStore.summarize(query),
        USAGE_QUERY_TIMEOUT_MS,
        () => new Error(`no answer within ${USAGE_QUERY_TIMEOUT_MS} ms`),
      );
    } catch (error) {
      throw usageStoreUnavailable(runtime, error);
    }
    return json(summary, 200, requestId);
  } catch (error) {
    return failure("openai", error, requestId);
  }
}

const USAGE_FLUSH_WAIT_MS = 2000;
const USAGE_QUERY_TIMEOUT_MS = 10_000;

/** The 503 of /v1/usage when its store does not answer: which store, why, and what happens to rows. */
function usageStoreUnavailable(runtime: GatewayRuntime, error: unknown): GatewayError {
  const kind = runtime.config.usage.store.kind;
  const buffered = runtime.usage.stats().buffered;
  return new GatewayError({
    kind: "overloaded",
    status: 503,
    message: `The usage store (${kind}) is unavailable: ${redactCredentials(reasonOf(error))}. New usage rows are kept (${buffered} waiting) and written when it answers again.`,
    code: "usage_store_unavailable",
  });
}
