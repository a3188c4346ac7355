import { configSummary, describeConfig, describeRoute } from "../cli/describe-config.ts";
import { GatewayError, invalidRequest } from "../errors/gateway-error.ts";
import { errorResponse } from "../errors/render-error.ts";
import { requestIdOf } from "../gateway/handle-generation.ts";
import type { GatewayRuntime } from "../gateway/runtime.ts";
import { redactUrl } from "../log/redact-url.ts";
import type { LiveEvent } from "../observe/live-feed.ts";
import { isUsageReader, type UsageReader } from "../usage/usage-reader.ts";
import type { OverviewRange } from "../usage/usage-timeseries.ts";
import { requireMaster } from "./operational-routes.ts";

/**
 * The console's JSON endpoints under /admin/ (master key only, OpenAI's error envelope). They read
 * the usage store, the routing state and the config; nothing here is on the request path.
 */

const json = (body: unknown, requestId: string): Response =>
  new Response(JSON.stringify(body), {
    headers: { "content-type": "application/json", "x-request-id": requestId, "cache-control": "no-store" },
  });

function failure(error: unknown, requestId: string): Response {
  const gatewayError =
    error instanceof GatewayError
      ? error
      : new GatewayError({ kind: "api_error", status: 500, message: "Internal gateway error." });
  return errorResponse("openai", gatewayError, { "x-request-id": requestId });
}

/** 404 as for any unknown route when `server.console: false` (read per request: a reload may flip it). */
export function requireConsole(runtime: GatewayRuntime, request: Request): void {
  if (!runtime.config.server.console) {
    throw new GatewayError({
      kind: "not_found",
      status: 404,
      message: `No route for ${request.method} ${new URL(request.url).pathname}.`,
    });
  }
}

async function usageReader(runtime: GatewayRuntime): Promise<UsageReader> {
  const store = runtime.usageStore;
  if (!store || !isUsageReader(store)) {
    throw new GatewayError({
      kind: "not_found",
      status: 404,
      message: "Usage recording is off (usage.store: off).",
      code: "usage_store_off",
    });
  }
  // Rows still in the recorder's buffer belong in the picture.
  await runtime.usage.flush();
  return store;
}

async function guarded(
  request: Request,
  runtime: GatewayRuntime,
  body: () => Promise<unknown> | unknown,
): Promise<Response> {
  const requestId = requestIdOf(request);
  try {
    requireConsole(runtime, request);
    requireMaster(request, runtime);
    return json(await body(), requestId);
  } catch (error) {
    return failure(error, requestId);
  }
}

/** GET /admin/overview?range=1h|24h|30d */
export function handleAdminOverview(request: Request, runtime: GatewayRuntime): Promise<Response> {
  return guarded(request, runtime, async () => {
    // The console's queries load with its first page, not with the gateway.
    const { OVERVIEW_RANGES, queryOverview } = await import("../usage/usage-timeseries.ts");
    const params = new URL(request.url).searchParams;
    const range = params.get("range") ?? "24h";
    if (!Object.hasOwn(OVERVIEW_RANGES, range)) {
      throw invalidRequest(
        `Invalid range '${range}'; expected one of ${Object.keys(OVERVIEW_RANGES).join(", ")}.`,
        "range",
      );
    }
    return queryOverview(await usageReader(runtime), range as OverviewRange);
  });
}

/** Recent = the last hour of attempts. */
const ACTIVITY_WINDOW_MS = 3_600_000;

/** GET /admin/providers: breakers, key cooldowns, the last hour's attempts, the routes. */
export function handleAdminProviders(request: Request, runtime: GatewayRuntime): Promise<Response> {
  return guarded(request, runtime, async () => {
    const config = runtime.config;
    const now = Date.now();
    const reader =
      runtime.usageStore && isUsageReader(runtime.usageStore) ? await usageReader(runtime) : null;
    const activity = reader ? await recentActivity(reader, now - ACTIVITY_WINDOW_MS) : null;
    const snapshot = runtime.routing.snapshot();
    const states = new Map(snapshot.providers.map((p) => [p.name, p]));
    return {
      object: "admin.providers",
      activity_window_ms: ACTIVITY_WINDOW_MS,
      usage_store: reader !== null,
      providers: config.providers.map((provider) => {
        const state = states.get(provider.name);
        return {
          name: provider.name,
          type: provider.type,
          base_url: redactUrl(provider.baseUrl),
          models: provider.models,
          state: state?.state ?? "closed",
          consecutive_failures: state?.consecutiveFailures ?? 0,
          keys: (state?.keys ?? []).map((key) => ({
            label: key.label,
            state: key.state,
            consecutive_failures: key.consecutiveFailures,
            cooldown_until:
              key.cooldownUntil === undefined ? null : new Date(key.cooldownUntil).toISOString(),
          })),
          recent: activity?.get(provider.name) ?? null,
        };
      }),
      routes: [...config.models.values()].map((route) => ({
        name: route.name,
        strategy: route.strategy,
        targets: route.targets,
        description: describeRoute(route),
      })),
    };
  });
}

/** Each provider's attempts since `since`; the query module loads with the console's first use. */
async function recentActivity(reader: UsageReader, since: number) {
  const { queryProviderActivity } = await import("../usage/provider-activity.ts");
  return queryProviderActivity(reader, since);
}

/** GET /admin/config: the resolved config with no secrets, the version, uptime and last reload. */
export function handleAdminConfig(request: Request, runtime: GatewayRuntime): Promise<Response> {
  return guarded(request, runtime, () => {
    const reload = runtime.lastReload;
    return {
      object: "admin.config",
      version: runtime.version,
      started_at: new Date(runtime.startedAt).toISOString(),
      uptime_seconds: Math.round((Date.now() - runtime.startedAt) / 1000),
      source: runtime.config.source ?? null,
      last_reload: reload
        ? { at: new Date(reload.at).toISOString(), ok: reload.ok, problems: reload.problems ?? [] }
        : null,
      // The same facts `switchboard check` and the start-up log line show: keys counted, URLs redacted.
      config: configSummary(runtime.config),
      check: describeConfig(runtime.config),
    };
  });
}

/** Per-subscriber queue: a client that reads slower than requests finish loses the oldest. */
const LIVE_QUEUE_LIMIT = 500;
const LIVE_HEARTBEAT_MS = 15_000;

/** GET /admin/live: server-sent events, one `request` event per finished request. */
export function handleAdminLive(request: Request, runtime: GatewayRuntime): Response {
  const requestId = requestIdOf(request);
  try {
    requireConsole(runtime, request);
    requireMaster(request, runtime);
  } catch (error) {
    return failure(error, requestId);
  }
  const encoder = new TextEncoder();
  const queue: LiveEvent[] = [];
  let dropped = 0;
  let wake: (() => void) | null = null;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    if (heartbeat) clearInterval(heartbeat);
    // The connection may outlive the feed (kept alive): it is idle-timed again from here.
    runtime.releaseHold?.(request);
    wake?.();
  };
  request.signal.addEventListener("abort", close, { once: true });
  // A quiet feed is not an idle connection: lift the idle timeout for this one.
  runtime.holdOpen?.(request);
  let pendingComment = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      unsubscribe = runtime.live.subscribe((event) => {
        if (queue.length >= LIVE_QUEUE_LIMIT) {
          queue.shift();
          dropped++;
        }
        queue.push(event);
        wake?.();
      });
      heartbeat = setInterval(() => {
        pendingComment = true;
        wake?.();
      }, LIVE_HEARTBEAT_MS);
      controller.enqueue(encoder.encode(`: subscribed\nretry: 2000\n\n`));
    },
    async pull(controller) {
      while (!closed && queue.length === 0 && !pendingComment) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
      if (closed) {
        controller.close();
        return;
      }
      let text = "";
      if (pendingComment) {
        text += ": keep-alive\n\n";
        pendingComment = false;
      }
      if (dropped > 0) {
        text += `event: dropped\ndata: ${JSON.stringify({ dropped })}\n\n`;
        dropped = 0;
      }
      for (const event of queue.splice(0)) text += `event: request\ndata: ${JSON.stringify(event)}\n\n`;
      controller.enqueue(encoder.encode(text));
    },
    cancel: close,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-request-id": requestId,
      "x-accel-buffering": "no",
    },
  });
}
