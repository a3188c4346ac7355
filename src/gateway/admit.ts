import { assertRequestedModelsAllowed } from "../auth/allow-list.ts";
import { authenticate, type Caller } from "../auth/authenticate.ts";
import { GatewayError, invalidRequest } from "../errors/gateway-error.ts";
import type { ClientProtocolModule } from "../protocols/client-protocol.ts";
import type { Admission } from "./generation-steps.ts";
import { bodyLimitsOf, readJsonBody } from "./read-body.ts";
import type { RequestContext } from "./request-context.ts";
import { mayDebug, takeRequestControls } from "./request-controls.ts";
import { takeRoutingControls } from "./routing-controls.ts";
import type { GatewayRuntime } from "./runtime.ts";

const STRICTNESS = new Set(["strict", "lenient"]);

/** What admit needs of an endpoint: its protocol (controls, envelope) and its schema check. */
export type AdmittedEndpoint = Pick<ClientProtocolModule, "protocol" | "validate">;

/** Auth, body (size, nesting, JSON, schema), gateway controls, allow-list names, the key's limits. */
export async function admit(
  request: Request,
  protocol: AdmittedEndpoint,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Promise<Admission> {
  const config = runtime.config;
  const caller = authenticate(request.headers, runtime.keyIndex);
  ctx.keyName = caller.name;
  const { text, json: body } = await readJsonBody(request, bodyLimitsOf(config));
  runtime.holdOpen?.(request);
  ctx.releaseConnection = () => runtime.releaseHold?.(request);
  protocol.validate(body);
  ctx.logBody("request", text);
  const model = body.model as string;
  ctx.modelRequested = model;
  const strict = readStrictness(request.headers);
  const debug = wantsDebug(request.headers, caller, runtime);
  const { controls, removed } = takeRoutingControls(body);
  const requested = takeRequestControls(body, protocol.protocol, {
    strict,
    headerDebug: debug,
    mayDebug: mayDebug(caller, config),
  });
  assertRequestedModelsAllowed(caller, model, controls);
  const stream = body.stream === true;
  ctx.stream = stream;
  const admission: Admission = {
    caller,
    text,
    body,
    model,
    stream,
    strict,
    debug: requested.debug,
    controls,
    requested,
    bodyChanged: removed || requested.changed,
  };
  admission.rateHeaders = await acquireLimits(caller, Math.ceil(text.length / 4), runtime, ctx);
  return admission;
}

/**
 * A virtual key's rpm/tpm/concurrency (429 with Retry-After; 503 when the shared store is down
 * and `on_store_failure: closed`). Returns the rate headers; settled by ctx.finish.
 */
export async function acquireLimits(
  caller: Caller,
  estimatedTokens: number,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Promise<Record<string, string> | undefined> {
  if (caller.kind !== "virtual") return undefined;
  const decision = await runtime.limiter.acquire(caller.key, estimatedTokens);
  if (!decision.allowed) {
    const unavailable = decision.status === 503;
    if (!unavailable) runtime.metrics.rateLimited(caller.name);
    throw new GatewayError({
      kind: unavailable ? "overloaded" : "rate_limit",
      status: decision.status ?? 429,
      message: decision.message,
      code: unavailable ? "limits_store_unavailable" : "rate_limit_exceeded",
      headers: { ...decision.headers, "retry-after": String(decision.retryAfterSeconds) },
    });
  }
  ctx.releaseLimit = decision.release;
  return decision.headers;
}

function readStrictness(headers: Headers): boolean {
  // X-AIStats-Strictness: the same setting under the name AI Stats clients send.
  const name = headers.has("x-switchboard-strictness") ? "x-switchboard-strictness" : "x-aistats-strictness";
  const value = headers.get(name);
  if (value === null) return false;
  const normalized = value.trim().toLowerCase();
  if (!STRICTNESS.has(normalized)) {
    throw invalidRequest(`Header ${name} must be 'strict' or 'lenient', not '${value.slice(0, 40)}'.`, name);
  }
  return normalized === "strict";
}

function wantsDebug(headers: Headers, caller: Caller, runtime: GatewayRuntime): boolean {
  const value = headers.get("x-switchboard-debug");
  if (value === null) return false;
  if (value.trim().toLowerCase() !== "upstream") {
    throw invalidRequest("Header x-switchboard-debug accepts only 'upstream'.", "x-switchboard-debug");
  }
  if (mayDebug(caller, runtime.config)) return true;
  throw new GatewayError({
    kind: "permission",
    status: 403,
    message:
      "x-switchboard-debug is allowed to the master key only (or to every key with server.debug: true).",
    code: "debug_not_allowed",
  });
}
