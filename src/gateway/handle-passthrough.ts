import { authenticate, type Caller } from "../auth/authenticate.ts";
import type { ResolvedProvider } from "../config/types.ts";
import { GatewayError, notFound } from "../errors/gateway-error.ts";
import { transportOf } from "../providers/provider-kinds.ts";
import type { UpstreamCall } from "../providers/transport.ts";
import { upstreamUnreachable } from "../providers/upstream-error.ts";
import { DEFAULT_ANTHROPIC_VERSION } from "../providers/upstream-request.ts";
import { acquireLimits } from "./admit.ts";
import { ClientGone, linkUpstreamAbort, timedOutBeforeHeaders } from "./call-upstream.ts";
import { type MeteredUpload, meterUpload } from "./passthrough/meter-upload.ts";
import { PASSTHROUGH_BODY } from "./passthrough/passthrough-body.ts";
import { forwardedRequestHeaders, forwardedResponseHeaders } from "./passthrough/passthrough-headers.ts";
import { splitPassthroughPath, toUpstreamUrl } from "./passthrough/passthrough-url.ts";
import { tooLarge } from "./read-body.ts";
import type { RequestContext } from "./request-context.ts";
import { runEndpoint } from "./run-endpoint.ts";
import type { GatewayRuntime } from "./runtime.ts";

/**
 * `ANY /p/{provider}/<path>` (docs/passthrough.md): the request as it came (method, path, query,
 * headers, body) to the provider's base URL with the gateway's credentials for it, the answer as
 * it came back (any status), both bodies streamed. No routing, retries or translation: a raw
 * request names no model, and an upload streamed up cannot be replayed.
 */
export async function handlePassthrough(request: Request, runtime: GatewayRuntime): Promise<Response> {
  return runEndpoint(request, runtime, "passthrough", "openai", (ctx) => passThrough(request, runtime, ctx));
}

async function passThrough(
  request: Request,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Promise<Response> {
  const caller = authenticate(request.headers, runtime.keyIndex);
  ctx.keyName = caller.name;
  // Recorded from here on (an unauthenticated request is not, as on every endpoint).
  ctx.bytes = { up: 0, down: 0 };
  assertPassthroughAllowed(caller);
  const path = splitPassthroughPath(request.url);
  const provider = path && runtime.config.providers.find((candidate) => candidate.name === path.provider);
  if (!path || !provider) {
    throw notFound(
      `No provider named '${path?.provider ?? ""}' is configured.`,
      undefined,
      "provider_not_found",
    );
  }
  ctx.provider = provider.name;
  const url = toUpstreamUrl(provider, path);
  const declared = request.headers.get("content-length");
  const limit = runtime.config.server.bodyLimit;
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const rateHeaders = await acquireLimits(caller, 0, runtime, ctx);
  runtime.holdOpen?.(request);
  ctx.releaseConnection = () => runtime.releaseHold?.(request);

  const headers = forwardedRequestHeaders(request.headers);
  for (const [name, value] of Object.entries(provider.headers)) headers[name.toLowerCase()] = value;
  if (provider.type === "anthropic") headers["anthropic-version"] ??= DEFAULT_ANTHROPIC_VERSION;
  const key = runtime.routing.pickKey(provider);
  const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
  const upload = hasBody
    ? meterUpload(request.body as ReadableStream<Uint8Array>, limit, runtime.config.server.readTimeoutMs)
    : undefined;
  const call: UpstreamCall = { method: request.method, url, headers, body: "" };
  let body: RequestInit["body"] = upload?.stream ?? null;
  if (upload && PASSTHROUGH_BODY[provider.type] === "buffer") {
    call.body = await readUpload(upload);
    body = call.body;
  }
  await authorize(call, provider, key);

  const upstream = await fetchUpstream(call, body, provider, request.signal, upload);
  ctx.upstreamLatencyMs = upstream.headersAt;
  const responseHeaders = forwardedResponseHeaders(upstream.response.headers);
  for (const [name, value] of Object.entries(rateHeaders ?? {})) responseHeaders.set(name, value);
  responseHeaders.set("x-request-id", ctx.requestId);
  responseHeaders.set("x-switchboard-provider", provider.name);
  const status = upstream.response.status;
  if (status >= 400) ctx.errorType = "upstream_status";
  // Counted as the bodies flow, so a request cut at the drain deadline is recorded with them.
  const bytes = ctx.bytes;
  const countUp = () => {
    bytes.up = upload?.bytes() ?? 0;
  };
  countUp();
  const source = upstream.response.body;
  if (!source || request.method === "HEAD") {
    countUp();
    ctx.finish(status);
    return new Response(null, { status, headers: responseHeaders });
  }
  ctx.markFirstByte();
  ctx.answered = true;
  const relayed = relayDownload(source, upstream.abort, bytes, (end) => {
    countUp();
    if (end === "client_gone") ctx.errorType = "client_gone";
    else if (end === "upstream_error") ctx.errorType = "upstream_stream_error";
    ctx.finish(status);
  });
  return new Response(relayed, { status, headers: responseHeaders });
}

/** The master key (or an open gateway) always; a virtual key only with `passthrough: true`. */
function assertPassthroughAllowed(caller: Caller): void {
  if (caller.kind !== "virtual" || caller.key.passthrough) return;
  throw new GatewayError({
    kind: "permission",
    status: 403,
    message: "This key may not use the provider pass-through (/p/…): it needs `passthrough: true`.",
    code: "passthrough_not_allowed",
  });
}

/** The provider's credentials, by its transport (a header, a token, a signature). */
async function authorize(
  call: UpstreamCall,
  provider: ResolvedProvider,
  key: ResolvedProvider["keys"][number] | undefined,
) {
  try {
    await transportOf(provider).authorize(call, { provider, key });
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw upstreamUnreachable(provider.name, "no credentials");
  }
}

/** The whole upload as its bytes: never decoded, since a signature covers exactly what is sent. */
async function readUpload(upload: MeteredUpload): Promise<Uint8Array> {
  try {
    return await new Response(upload.stream).bytes();
  } catch (error) {
    throw upload.failure() ?? error;
  }
}

interface PassthroughUpstream {
  response: Response;
  abort: (reason?: unknown) => void;
  headersAt: number;
}

/**
 * The upstream fetch: redirects are returned, never followed (the credentials must not travel to
 * another host); bytes are not decoded (`decompress: false`, content-encoding passes through).
 * The provider's `timeout` bounds the time to headers; the client's signal stays linked.
 */
async function fetchUpstream(
  call: UpstreamCall,
  body: RequestInit["body"],
  provider: ResolvedProvider,
  clientSignal: AbortSignal,
  upload: MeteredUpload | undefined,
): Promise<PassthroughUpstream> {
  // Made apart from this function's scope, which holds the upload (docs/performance.md).
  const link = linkUpstreamAbort(clientSignal, provider.timeoutMs);
  const { controller, abort } = link;
  const startedAt = performance.now();
  try {
    const response = await fetch(call.url, {
      method: call.method,
      headers: call.headers,
      body,
      duplex: "half",
      redirect: "manual",
      decompress: false,
      signal: controller.signal,
    } as RequestInit);
    return { response, abort, headersAt: performance.now() - startedAt };
  } catch (error) {
    link.unlinkClient();
    const cut = upload?.failure();
    if (cut) throw cut;
    if (clientSignal.aborted) throw new ClientGone();
    if (timedOutBeforeHeaders(controller.signal)) {
      throw new GatewayError({
        kind: "timeout",
        status: 504,
        message: `Provider '${provider.name}' did not answer within ${provider.timeoutMs} ms.`,
        code: "upstream_timeout",
      });
    }
    const code = (error as { code?: unknown })?.code;
    throw upstreamUnreachable(provider.name, typeof code === "string" ? code : "network error");
  } finally {
    link.headersArrived();
  }
}

type DownloadEnd = "complete" | "upstream_error" | "client_gone";

/** The provider's body, chunk by chunk as the client reads it (no buffering), counted. */
function relayDownload(
  source: ReadableStream<Uint8Array>,
  abort: (reason?: unknown) => void,
  counter: { down: number },
  onEnd: (end: DownloadEnd) => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let ended = false;
  const end = (how: DownloadEnd) => {
    if (ended) return;
    ended = true;
    onEnd(how);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const read = await reader.read();
          if (read.done) {
            // The row first (journaled at once), then the end the client waits for.
            end("complete");
            controller.close();
            return;
          }
          counter.down += read.value.byteLength;
          controller.enqueue(read.value);
        } catch (error) {
          end("upstream_error");
          controller.error(error);
        }
      },
      cancel(reason) {
        abort(reason);
        end("client_gone");
      },
    },
    { highWaterMark: 0 },
  );
}
