import type { ProviderKey, ResolvedProvider } from "../config/types.ts";
import { GatewayError } from "../errors/gateway-error.ts";
import { transportOf } from "../providers/provider-kinds.ts";
import type { UpstreamCall } from "../providers/transport.ts";
import { toUpstreamError, upstreamUnreachable } from "../providers/upstream-error.ts";
import { readRetryAfterMs } from "../routing/retry-after.ts";
import type { AttemptResult } from "../routing/run-with-fallback.ts";

export type { UpstreamCall } from "../providers/transport.ts";

/** A 2xx upstream response, headers received; `abort` cancels it (client gone, idle stream). */
export interface UpstreamResponse {
  response: Response;
  abort: (reason?: unknown) => void;
  signal: AbortSignal;
  headersAt: number;
}

class HeaderTimeout extends Error {}

/**
 * One fetch to a provider, authorized first by the provider's transport (header, token or
 * signature; a credential that cannot be had is a network-class failure, so failover proceeds).
 * The provider's `timeout` bounds the time to response headers only; the client's abort signal
 * stays linked for the whole body, so a client that leaves cancels the upstream request at once,
 * before or after headers.
 */
export async function callUpstream(
  provider: ResolvedProvider,
  call: UpstreamCall,
  clientSignal: AbortSignal,
  key: ProviderKey | undefined,
): Promise<AttemptResult<UpstreamResponse>> {
  try {
    await transportOf(provider).authorize(call, { provider, key });
  } catch (error) {
    if (clientSignal.aborted) throw clientGone();
    if (error instanceof GatewayError) return { ok: false, failure: "network", error };
    throw error;
  }
  const link = linkUpstreamAbort(clientSignal, provider.timeoutMs);
  const { controller, abort } = link;
  const startedAt = performance.now();
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method ?? "POST",
      headers: call.headers,
      body: call.body,
      signal: controller.signal,
      // Upstream bodies stream straight to the client; no decompression buffering surprises.
      decompress: true,
    } as RequestInit);
  } catch (error) {
    link.headersArrived();
    link.unlinkClient();
    if (timedOutBeforeHeaders(controller.signal)) {
      return {
        ok: false,
        failure: "timeout",
        error: new GatewayError({
          kind: "timeout",
          status: 504,
          message: `Provider '${provider.name}' did not answer within ${provider.timeoutMs} ms.`,
          code: "upstream_timeout",
        }),
      };
    }
    if (clientSignal.aborted) throw clientGone();
    return {
      ok: false,
      failure: "network",
      error: upstreamUnreachable(provider.name, describeNetworkError(error)),
    };
  }
  link.headersArrived();
  if (response.ok) {
    return {
      ok: true,
      value: { response, abort, signal: controller.signal, headersAt: performance.now() - startedAt },
    };
  }
  link.unlinkClient();
  let text = "";
  try {
    text = await response.text();
  } catch {
    // A broken error body still tells us the status.
  }
  const error = toUpstreamError(response.status, text, response.headers, provider.name, provider.type);
  return {
    ok: false,
    failure: "http",
    status: response.status,
    error,
    retryAfterMs: readRetryAfterMs(response.headers),
  };
}

/**
 * The upstream call's abort controller, linked to the client's signal (the client leaving cancels
 * the upstream call) and to the time limit for headers. Made here, not inline in `callUpstream`:
 * closures there would share that async function's scope, and through the listener on the
 * client's signal and the `abort` a stream keeps, hold the request body (`call`) for as long as
 * the stream lasts (docs/performance.md, "What a stream holds").
 */
export function linkUpstreamAbort(clientSignal: AbortSignal, headersTimeoutMs: number) {
  const controller = new AbortController();
  const abort = (reason?: unknown) => controller.abort(reason);
  const onClientAbort = () => controller.abort(clientSignal.reason);
  if (clientSignal.aborted) controller.abort(clientSignal.reason);
  else clientSignal.addEventListener("abort", onClientAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new HeaderTimeout()), headersTimeoutMs);
  return {
    controller,
    abort,
    /** Headers came (or the fetch failed): the time limit no longer applies. */
    headersArrived: () => clearTimeout(timer),
    unlinkClient: () => clientSignal.removeEventListener("abort", onClientAbort),
  };
}

/** The call was aborted by `linkUpstreamAbort`'s time limit for headers. */
export const timedOutBeforeHeaders = (signal: AbortSignal): boolean => signal.reason instanceof HeaderTimeout;

/** Thrown when the client disconnected: nothing is sent back, everything stops. */
export class ClientGone extends Error {
  constructor() {
    super("client disconnected");
  }
}

export const clientGone = (): ClientGone => new ClientGone();

/** Network error text without anything that could be a credential (URLs are reduced to host). */
export function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string") return code;
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/https?:\/\/[^\s]+/g, (url) => {
    try {
      return new URL(url).host;
    } catch {
      return "the provider";
    }
  });
}
