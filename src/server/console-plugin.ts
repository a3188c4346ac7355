import { Elysia } from "elysia";
import { GatewayError } from "../errors/gateway-error.ts";
import { errorResponse } from "../errors/render-error.ts";
import { requestIdOf } from "../gateway/handle-generation.ts";
import type { GatewayRuntime } from "../gateway/runtime.ts";
import {
  handleAdminConfig,
  handleAdminLive,
  handleAdminOverview,
  handleAdminProviders,
} from "./admin-routes.ts";
import {
  CONSOLE_PATH,
  CONSOLE_SCRIPT_PATH,
  handleConsolePage,
  handleConsoleScript,
} from "./console/console-routes.ts";

const ADMIN_DESCRIPTION =
  "Master key only (401 without a valid key, 403 for a virtual key); 404 when `server.console: false`.";

const adminDetail = (summary: string, description: string) => ({
  detail: { summary, description: `${description} ${ADMIN_DESCRIPTION}`, tags: ["Console"] },
});

function notFound(request: Request): Response {
  const path = new URL(request.url).pathname;
  return errorResponse(
    "openai",
    new GatewayError({ kind: "not_found", status: 404, message: `No route for ${request.method} ${path}.` }),
    { "x-request-id": requestIdOf(request) },
  );
}

/** The operator's console: its page and script under /console, its JSON under /admin/. */
export function consolePlugin(runtime: GatewayRuntime) {
  const page = ({ request }: { request: Request }) =>
    handleConsolePage(request, runtime) ?? notFound(request);
  return (
    new Elysia({ name: "switchboard/console" })
      // Activity for the idle collector (src/server/idle-gc.ts), as a generation request is.
      .onAfterHandle({ as: "local" }, () => {
        runtime.requestsStarted++;
      })
      .get(CONSOLE_PATH, page, { detail: { hide: true } })
      .get(`${CONSOLE_PATH}/`, page, { detail: { hide: true } })
      .get(
        CONSOLE_SCRIPT_PATH,
        async ({ request }) => (await handleConsoleScript(request, runtime)) ?? notFound(request),
        { detail: { hide: true } },
      )
      .get("/admin/overview", ({ request }) => handleAdminOverview(request, runtime), {
        ...adminDetail(
          "Usage over time (console Overview)",
          "Query: range = 1h (minute buckets), 24h (hour buckets, default) or 30d (day buckets). Requests, errors, tokens in/out/cached and cost per bucket; totals with p50/p95 latency and time to first token; the top 5 models, providers and keys. 404 `usage_store_off` without a usage store.",
        ),
      })
      .get("/admin/providers", ({ request }) => handleAdminProviders(request, runtime), {
        ...adminDetail(
          "Provider health and routes (console Providers)",
          "Each provider's circuit breaker, its keys (breaker, cooldown), the last hour of upstream attempts from the usage store (count, failed, error rate, p50/p95 latency), and the model routes as the config resolves them.",
        ),
      })
      .get("/admin/live", ({ request }) => handleAdminLive(request, runtime), {
        ...adminDetail(
          "Finished requests as they happen (console Live)",
          "Server-sent events: one `request` event (JSON) per finished request, `dropped` when a slow reader lost some. Fed only while at least one client is subscribed.",
        ),
      })
      .get("/admin/config", ({ request }) => handleAdminConfig(request, runtime), {
        ...adminDetail(
          "Resolved config, no secrets (console Config)",
          "The config as `switchboard check` describes it (keys counted, URLs redacted, header values hidden), the version, uptime and the last reload with its result.",
        ),
      })
  );
}
