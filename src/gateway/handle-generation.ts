import { admitTargets, assertRequestedModelsAllowed } from "../auth/allow-list.ts";
import { authenticate, type Caller } from "../auth/authenticate.ts";
import type { ProviderKey, ProviderType } from "../config/types.ts";
import { GatewayError, invalidRequest, isGatewayError } from "../errors/gateway-error.ts";
import { type ClientProtocol, errorResponse } from "../errors/render-error.ts";
import type { ClientCodec, EncodeContext, ProviderCodec } from "../ir/codec.ts";
import type { IRRequest, IRUsage } from "../ir/types.ts";
import { anthropicClientCodec, anthropicProviderCodec } from "../protocols/anthropic/codec.ts";
import { fromAnthropicUsage } from "../protocols/anthropic/convert-usage.ts";
import { geminiProviderCodec } from "../protocols/gemini/codec.ts";
import { openAIClientCodec, openAIProviderCodec } from "../protocols/openai/codec.ts";
import { fromOpenAIUsage } from "../protocols/openai/convert-usage.ts";
import { upstreamUnreachable } from "../providers/upstream-error.ts";
import {
  buildUpstreamHeaders,
  nativeGenerationPath,
  passThroughResponseHeaders,
  redactHeaders,
} from "../providers/upstream-request.ts";
import type { Target } from "../routing/resolve-targets.ts";
import { resolveTargets } from "../routing/resolve-targets.ts";
import type { AttemptResult } from "../routing/run-with-fallback.ts";
import { runWithFallback } from "../routing/run-with-fallback.ts";
import { encodeSSEComment } from "../sse/encoder.ts";
import {
  ClientGone,
  callUpstream,
  clientGone,
  type UpstreamCall,
  type UpstreamResponse,
} from "./call-upstream.ts";
import { bodyLimitsOf, readJsonBody } from "./read-body.ts";
import { type ChunkReader, relayStream, type StreamTransform } from "./relay-stream.ts";
import { RequestContext } from "./request-context.ts";
import { takeRoutingControls } from "./routing-controls.ts";
import type { GatewayRuntime } from "./runtime.ts";
import {
  AnthropicPassthrough,
  OpenAIPassthrough,
  StreamObservation,
  TranslatingTransform,
} from "./stream-transforms.ts";

/** One of the two generation endpoints: what it validates and which client codec it speaks. */
export interface GenerationEndpoint {
  protocol: ClientProtocol;
  /** Name for logs, metrics and usage rows. */
  name: "chat_completions" | "messages";
  validate(body: unknown): unknown;
  clientCodec: ClientCodec;
}

export const providerCodecs: Record<ProviderType, ProviderCodec> = {
  openai: openAIProviderCodec,
  anthropic: anthropicProviderCodec,
  gemini: geminiProviderCodec,
};

export const openAIEndpoint = (validate: (body: unknown) => unknown): GenerationEndpoint => ({
  protocol: "openai",
  name: "chat_completions",
  validate,
  clientCodec: openAIClientCodec,
});

export const anthropicEndpoint = (validate: (body: unknown) => unknown): GenerationEndpoint => ({
  protocol: "anthropic",
  name: "messages",
  validate,
  clientCodec: anthropicClientCodec,
});

/** A finished upstream attempt, ready to become the client's response. */
interface Answer {
  upstream: UpstreamResponse;
  /** JSON calls: the whole body. */
  bytes?: ArrayBuffer;
  /** Streams: the reader and the first chunk, read before committing to this target. */
  reader?: ChunkReader;
  firstChunk?: Uint8Array;
  dropped: string[];
  debug?: Record<string, unknown>;
}

const STRICTNESS = new Set(["strict", "lenient"]);
const textDecoder = new TextDecoder();

export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && given.length <= 200 && /^[\w.:/=+-]+$/.test(given) ? given : crypto.randomUUID();
}

/**
 * POST /v1/chat/completions and POST /v1/messages: authenticate, read and validate, resolve the
 * targets, call them in order (retries, fallbacks), and answer as a zero-copy pipe when the
 * provider speaks the client's protocol, or through the IR when it does not.
 */
export async function handleGeneration(
  request: Request,
  endpoint: GenerationEndpoint,
  runtime: GatewayRuntime,
): Promise<Response> {
  const requestId = requestIdOf(request);
  const ctx = new RequestContext(runtime, requestId, endpoint.name);
  try {
    return await generate(request, endpoint, runtime, ctx);
  } catch (error) {
    if (error instanceof ClientGone || request.signal.aborted) {
      ctx.errorType = "client_gone";
      ctx.finish(499);
      return new Response(null, { status: 499 });
    }
    const gatewayError = toGatewayError(error, runtime, requestId);
    ctx.errorType = gatewayError.kind;
    ctx.finish(gatewayError.status);
    return errorResponse(endpoint.protocol, gatewayError, { "x-request-id": requestId });
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

async function generate(
  request: Request,
  endpoint: GenerationEndpoint,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Promise<Response> {
  const config = runtime.config;
  const caller = authenticate(request.headers, runtime.keyIndex);
  ctx.keyName = caller.name;
  const { text, json: body } = await readJsonBody(request, bodyLimitsOf(config));
  endpoint.validate(body);
  ctx.logBody("request", text);
  const model = body.model as string;
  ctx.modelRequested = model;
  const strict = readStrictness(request.headers);
  const debug = wantsDebug(request.headers, caller, runtime);
  const { controls, removed } = takeRoutingControls(body);
  assertRequestedModelsAllowed(caller, model, controls);
  const targets = admitTargets(
    caller,
    model,
    controls,
    resolveTargets(config, model, controls, runtime.routing),
  );
  const stream = body.stream === true;
  ctx.stream = stream;

  let rateHeaders: Record<string, string> | undefined;
  if (caller.kind === "virtual") {
    const decision = await runtime.limiter.acquire(caller.key, Math.ceil(text.length / 4));
    if (!decision.allowed) {
      runtime.metrics.rateLimited(caller.name);
      throw new GatewayError({
        kind: "rate_limit",
        status: 429,
        message: decision.message,
        code: "rate_limit_exceeded",
        headers: { ...decision.headers, "retry-after": String(decision.retryAfterSeconds) },
      });
    }
    ctx.releaseLimit = decision.release;
    rateHeaders = decision.headers;
  }

  // OpenAI-type upstreams report stream usage only when asked; ask, and hide the extra chunk.
  const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
  const clientWantsUsage = streamOptions?.include_usage === true;

  let ir: IRRequest | undefined;
  const attempt = async (target: Target, key: ProviderKey | undefined): Promise<AttemptResult<Answer>> => {
    const provider = target.provider;
    const sameProtocol = provider.type === endpoint.protocol;
    const dropped: string[] = [];
    let call: UpstreamCall;
    const headers = buildUpstreamHeaders(provider, key, request.headers);
    if (sameProtocol) {
      const injectUsage = stream && provider.type === "openai" && !clientWantsUsage;
      const unchanged = target.model === model && !removed && !injectUsage;
      const upstreamBody = unchanged
        ? text
        : JSON.stringify(
            injectUsage
              ? { ...body, model: target.model, stream_options: { ...streamOptions, include_usage: true } }
              : { ...body, model: target.model },
          );
      call = { url: provider.baseUrl + nativeGenerationPath(provider), headers, body: upstreamBody };
    } else {
      ir ??= endpoint.clientCodec.decodeRequest(body);
      const context: EncodeContext = { providerName: provider.name, strict, dropped };
      const encoded = providerCodecs[provider.type].encodeRequest({ ...ir, model: target.model }, context);
      call = { url: provider.baseUrl + encoded.path, headers, body: JSON.stringify(encoded.body) };
    }
    ctx.logBody("upstream_request", call.body);
    const result = await callUpstream(provider, call, request.signal);
    if (!result.ok) return result;
    const upstream = result.value;
    const answer: Answer = { upstream, dropped };
    if (debug)
      answer.debug = {
        method: "POST",
        url: call.url,
        headers: redactHeaders(call.headers),
        body: JSON.parse(call.body),
      };
    if (!stream) {
      try {
        answer.bytes = await upstream.response.arrayBuffer();
      } catch (error) {
        if (request.signal.aborted) throw clientGone();
        return networkFailure(provider.name, error);
      }
      return { ok: true, value: answer };
    }
    // Read the first chunk before answering: until a byte reaches the client, failover is still possible.
    const reader = (upstream.response.body as ReadableStream<Uint8Array>).getReader();
    const idle = setTimeout(() => upstream.abort(new Error("idle")), config.routing.streamIdleTimeoutMs);
    try {
      const first = await reader.read();
      if (first.done || !first.value) return networkFailure(provider.name, new Error("empty stream"));
      answer.reader = reader;
      answer.firstChunk = first.value;
      return { ok: true, value: answer };
    } catch (error) {
      if (request.signal.aborted) throw clientGone();
      return networkFailure(provider.name, error);
    } finally {
      clearTimeout(idle);
    }
  };

  const {
    value: answer,
    target,
    key: answeringKey,
  } = await runWithFallback(targets, attempt, {
    config,
    state: runtime.routing,
    signal: request.signal,
    attempts: ctx.attempts,
  });

  const provider = target.provider;
  const translated = provider.type !== endpoint.protocol;
  ctx.provider = provider.name;
  ctx.upstreamModel = target.model;
  ctx.translated = translated;
  ctx.upstreamLatencyMs = answer.upstream.headersAt;

  const headers: Record<string, string> = {};
  passThroughResponseHeaders(answer.upstream.response.headers, headers);
  if (rateHeaders) Object.assign(headers, rateHeaders);
  headers["x-request-id"] = ctx.requestId;
  headers["x-switchboard-provider"] = provider.name;
  headers["x-switchboard-model"] = target.model;
  if (answer.dropped.length > 0) headers["x-switchboard-dropped"] = answer.dropped.join(", ");
  const providerCodec = providerCodecs[provider.type];

  if (!stream) {
    const bytes = answer.bytes as ArrayBuffer;
    headers["content-type"] = "application/json";
    ctx.logBody("upstream_response", bytes);
    if (!translated && !answer.debug) {
      // Zero-copy: the provider's bytes are the answer. Usage is read after the response is handed over.
      setImmediate(() => {
        ctx.usage = usageOfJson(endpoint.protocol, bytes);
        ctx.finish(200);
      });
      return new Response(bytes, { status: 200, headers });
    }
    let out: Record<string, unknown>;
    const upstreamJson = JSON.parse(textDecoder.decode(bytes)) as Record<string, unknown>;
    if (translated) {
      const decoded = providerCodec.decodeResponse(upstreamJson);
      ctx.usage = decoded.usage;
      out = endpoint.clientCodec.encodeResponse(decoded, model);
    } else {
      out = upstreamJson;
      ctx.usage = usageOf(endpoint.protocol, upstreamJson.usage);
    }
    if (answer.debug) out.switchboard_debug = answer.debug;
    const responseText = JSON.stringify(out);
    if (translated) ctx.logBody("response", responseText);
    ctx.finish(200);
    return new Response(responseText, { status: 200, headers });
  }

  const observation = new StreamObservation();
  let transform: StreamTransform;
  if (!translated) {
    transform =
      endpoint.protocol === "openai"
        ? new OpenAIPassthrough(providerCodec, observation, !clientWantsUsage)
        : new AnthropicPassthrough(providerCodec, observation);
  } else {
    const encoder = endpoint.clientCodec.createStreamEncoder({
      requestedModel: model,
      includeUsage: clientWantsUsage,
      inputTokenEstimate: Math.ceil(text.length / 4),
    });
    transform = new TranslatingTransform(providerCodec, encoder, observation);
  }
  headers["content-type"] = "text/event-stream; charset=utf-8";
  headers["cache-control"] = "no-cache";
  runtime.metrics.streamStarted();
  ctx.markFirstByte();
  const body$ = relayStream({
    upstream: answer.upstream,
    reader: answer.reader as ChunkReader,
    firstChunk: answer.firstChunk as Uint8Array,
    prefix: answer.debug ? encodeSSEComment(`switchboard_debug ${JSON.stringify(answer.debug)}`) : undefined,
    transform,
    idleTimeoutMs: config.routing.streamIdleTimeoutMs,
    onEnd: (end, detail) => {
      runtime.metrics.streamEnded();
      ctx.usage = completeUsage(observation.usage);
      if (end === "upstream_error") {
        ctx.errorType = `stream_${detail ?? "error"}`;
        runtime.routing.recordFailure(target, answeringKey);
      } else if (end === "gateway_error") {
        ctx.errorType = "stream_gateway_error";
      } else if (end === "client_gone") {
        ctx.errorType = "client_gone";
      } else if (observation.upstreamError) {
        ctx.errorType = "upstream_stream_error";
      }
      ctx.finish(200);
    },
  });
  return new Response(body$, { status: 200, headers });
}

function readStrictness(headers: Headers): boolean {
  const value = headers.get("x-switchboard-strictness");
  if (value === null) return false;
  const normalized = value.trim().toLowerCase();
  if (!STRICTNESS.has(normalized)) {
    throw invalidRequest(
      `Header x-switchboard-strictness must be 'strict' or 'lenient', not '${value.slice(0, 40)}'.`,
      "x-switchboard-strictness",
    );
  }
  return normalized === "strict";
}

function wantsDebug(headers: Headers, caller: Caller, runtime: GatewayRuntime): boolean {
  const value = headers.get("x-switchboard-debug");
  if (value === null) return false;
  if (value.trim().toLowerCase() !== "upstream") {
    throw invalidRequest("Header x-switchboard-debug accepts only 'upstream'.", "x-switchboard-debug");
  }
  if (caller.kind === "master" || caller.kind === "open" || runtime.config.server.debug) return true;
  throw new GatewayError({
    kind: "permission",
    status: 403,
    message:
      "x-switchboard-debug is allowed to the master key only (or to every key with server.debug: true).",
    code: "debug_not_allowed",
  });
}

function networkFailure(providerName: string, error: unknown): AttemptResult<Answer> {
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, failure: "network", error: upstreamUnreachable(providerName, reason) };
}

/** Usage of a same-protocol JSON response: only its `usage` member is converted. */
function usageOfJson(protocol: ClientProtocol, bytes: ArrayBuffer): IRUsage | null {
  try {
    return usageOf(protocol, (JSON.parse(textDecoder.decode(bytes)) as { usage?: unknown }).usage);
  } catch {
    return null;
  }
}

function usageOf(protocol: ClientProtocol, usage: unknown): IRUsage | null {
  return completeUsage((protocol === "openai" ? fromOpenAIUsage(usage) : fromAnthropicUsage(usage)) ?? null);
}

function completeUsage(usage: Partial<IRUsage> | null): IRUsage | null {
  if (!usage) return null;
  return { ...usage, inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}
