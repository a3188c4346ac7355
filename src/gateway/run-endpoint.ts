import { GatewayError, isGatewayError } from "../errors/gateway-error.ts";
import { errorResponse } from "../errors/render-error.ts";
import type { ClientProtocol } from "../ir/codec.ts";
import { ClientGone } from "./call-upstream.ts";
import { RequestContext } from "./request-context.ts";
import { requestIdOf } from "./request-id.ts";
import type { GatewayRuntime } from "./runtime.ts";

/**
 * Runs a recorded endpoint's work in a new request context (its id from `x-request-id` when
 * usable), with the ending they all share: a client that left is a 499 (not the gateway's error),
 * any other failure the endpoint's own error envelope; either way the request is finished
 * (metered, one usage row) exactly once.
 */
export async function runEndpoint(
  request: Request,
  runtime: GatewayRuntime,
  endpoint: string,
  envelope: ClientProtocol,
  work: (ctx: RequestContext) => Promise<Response>,
): Promise<Response> {
  const ctx = new RequestContext(runtime, requestIdOf(request), endpoint);
  try {
    return await work(ctx);
  } catch (error) {
    if (error instanceof ClientGone || request.signal.aborted) {
      ctx.errorType = "client_gone";
      ctx.finish(499);
      return new Response(null, { status: 499 });
    }
    const gatewayError = toGatewayError(error, runtime, ctx.requestId);
    ctx.errorType = gatewayError.kind;
    ctx.finish(gatewayError.status);
    return errorResponse(envelope, gatewayError, { "x-request-id": ctx.requestId });
  }
}

/** A GatewayError as is; anything else is logged (name and message only) and becomes a 500. */
export function toGatewayError(error: unknown, runtime: GatewayRuntime, requestId: string): GatewayError {
  if (isGatewayError(error)) return error;
  runtime.logger.error("unexpected error", {
    request_id: requestId,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return new GatewayError({ kind: "api_error", status: 500, message: "Internal gateway error." });
}
