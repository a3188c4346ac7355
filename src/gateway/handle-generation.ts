import { admitTargets, assertRequestedModelsAllowed } from "../auth/allow-list.ts";
import { authenticate, type Caller } from "../auth/authenticate.ts";
import type { ProviderKey } from "../config/types.ts";
import { GatewayError, invalidRequest, isGatewayError } from "../errors/gateway-error.ts";
import { errorResponse } from "../errors/render-error.ts";
import type { EncodeContext, RequestOrigin } from "../ir/codec.ts";
import { StreamObservation, type StreamTransform } from "../ir/stream-transform.ts";
import type { IRRequest, IRUsage } from "../ir/types.ts";
import type { ClientProtocolModule, NativeBodyPlan } from "../protocols/client-protocol.ts";
import { PROVIDER_WIRES } from "../protocols/provider-wires.ts";
import { providerWireOf } from "../providers/provider-wire.ts";
import { upstreamUnreachable } from "../providers/upstream-error.ts";
import {
  buildUpstreamHeaders,
  passThroughResponseHeaders,
  redactHeaders,
} from "../providers/upstream-request.ts";
import type { RoutingControls, Target } from "../routing/resolve-targets.ts";
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
import { headerList, headerSafe } from "./header-value.ts";
import { bodyLimitsOf, readJsonBody } from "./read-body.ts";
import { type ChunkReader, relayStream } from "./relay-stream.ts";
import { RequestContext } from "./request-context.ts";
import { type ConversationLink, linkConversation } from "./responses-state.ts";
import { takeRoutingControls } from "./routing-controls.ts";
import type { GatewayRuntime } from "./runtime.ts";
import { TranslatingTransform } from "./stream-transforms.ts";

/**
 * The generation pipeline, one function per step (docs/ARCHITECTURE.md, "The path of a request"):
 * admit → plan targets → per target: build the upstream call, call, receive (with fallback) →
 * answer JSON or answer stream. Protocol-specific behaviour comes from the client protocol's
 * module and the provider wire's; nothing here names a protocol.
 */

/** A request that passed auth, body checks, the allow-list and the key's limits. */
interface Admission {
  caller: Caller;
  /** The client's body as it came: forwarded untouched on the same-protocol path when possible. */
  text: string;
  /** Validated, gateway fields removed. */
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  /** `x-switchboard-strictness: strict`. */
  strict: boolean;
  /** `x-switchboard-debug: upstream`. */
  debug: boolean;
  controls: RoutingControls;
  /** Gateway fields were removed, so `text` no longer equals `body`. */
  bodyChanged: boolean;
  rateHeaders?: Record<string, string>;
}

/** One upstream call, ready to send, and how its answer must be read. */
interface PlannedCall {
  call: UpstreamCall;
  /** The provider speaks the client's protocol: zero-copy answer. */
  native: boolean;
  nativePlan: NativeBodyPlan;
  dropped: string[];
}

interface AnswerBase {
  upstream: UpstreamResponse;
  planned: PlannedCall;
  debug?: Record<string, unknown>;
}

/** A finished upstream attempt, ready to become the client's response. */
type Answer =
  | (AnswerBase & { kind: "json"; bytes: ArrayBuffer })
  | (AnswerBase & {
      kind: "stream";
      reader: ChunkReader;
      /** Read before committing to this target: until a byte reaches the client, failover is possible. */
      firstChunk: Uint8Array;
    });

const STRICTNESS = new Set(["strict", "lenient"]);
const textDecoder = new TextDecoder();

export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && given.length <= 200 && /^[\w.:/=+-]+$/.test(given) ? given : crypto.randomUUID();
}

/**
 * A generation endpoint of any client protocol: authenticate, read and validate, resolve the
 * targets, call them in order (retries, fallbacks), and answer as a zero-copy pipe when the
 * provider speaks the client's protocol, or through the IR when it does not.
 */
export async function handleGeneration(
  request: Request,
  protocol: ClientProtocolModule,
  runtime: GatewayRuntime,
): Promise<Response> {
  const requestId = requestIdOf(request);
  const ctx = new RequestContext(runtime, requestId, protocol.endpoint);
  try {
    return await generate(request, protocol, runtime, ctx);
  } catch (error) {
    if (error instanceof ClientGone || request.signal.aborted) {
      ctx.errorType = "client_gone";
      ctx.finish(499);
      return new Response(null, { status: 499 });
    }
    const gatewayError = toGatewayError(error, runtime, requestId);
    ctx.errorType = gatewayError.kind;
    ctx.finish(gatewayError.status);
    return errorResponse(protocol.protocol, gatewayError, { "x-request-id": requestId });
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
  protocol: ClientProtocolModule,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Promise<Response> {
  const admission = await admit(request, protocol, runtime, ctx);
  const targets = planTargets(admission, runtime);
  const link = protocol.keepsConversationState
    ? await linkConversation(admission.body, admission.caller, runtime)
    : undefined;
  if (link && link.body !== admission.body) {
    admission.body = link.body;
    admission.bodyChanged = true;
  }
  const translation = new Translation(protocol, admission.body, link);

  const attempt = async (target: Target, key: ProviderKey | undefined): Promise<AttemptResult<Answer>> => {
    const planned = buildUpstreamCall(target, key, admission, protocol, translation, request.headers);
    ctx.logBody("upstream_request", planned.call.body);
    const result = await callUpstream(target.provider, planned.call, request.signal);
    if (!result.ok) return result;
    return receive(result.value, planned, admission, target, request.signal, runtime);
  };

  const {
    value: answer,
    target,
    key,
  } = await runWithFallback(targets, attempt, {
    config: runtime.config,
    state: runtime.routing,
    signal: request.signal,
    attempts: ctx.attempts,
  });

  ctx.provider = target.provider.name;
  ctx.upstreamModel = target.model;
  ctx.translated = !answer.planned.native;
  ctx.upstreamLatencyMs = answer.upstream.headersAt;
  const headers = responseHeaders(answer, target, admission, ctx.requestId);
  if (answer.kind === "json")
    return answerJson(answer, headers, admission, protocol, translation, target, ctx);
  return answerStream(answer, headers, admission, protocol, translation, target, key, runtime, ctx);
}

/** Auth, body (size, nesting, JSON, schema), gateway controls, allow-list names, the key's limits. */
async function admit(
  request: Request,
  protocol: ClientProtocolModule,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Promise<Admission> {
  const config = runtime.config;
  const caller = authenticate(request.headers, runtime.keyIndex);
  ctx.keyName = caller.name;
  const { text, json: body } = await readJsonBody(request, bodyLimitsOf(config));
  runtime.holdOpen?.(request);
  protocol.validate(body);
  ctx.logBody("request", text);
  const model = body.model as string;
  ctx.modelRequested = model;
  const strict = readStrictness(request.headers);
  const debug = wantsDebug(request.headers, caller, runtime);
  const { controls, removed } = takeRoutingControls(body);
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
    debug,
    controls,
    bodyChanged: removed,
  };
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
    admission.rateHeaders = decision.headers;
  }
  return admission;
}

/** The ordered targets, each within the key's allow-list (404/400/403 before any call). */
function planTargets(admission: Admission, runtime: GatewayRuntime): Target[] {
  const { caller, model, controls } = admission;
  const resolved = resolveTargets(runtime.config, model, controls, runtime.routing);
  return admitTargets(caller, model, controls, resolved);
}

/** The request decoded into the IR once, on the first target that needs translation. */
class Translation {
  private decoded: IRRequest | undefined;

  constructor(
    private readonly protocol: ClientProtocolModule,
    private readonly body: Record<string, unknown>,
    private readonly link: ConversationLink | undefined,
  ) {}

  get request(): IRRequest {
    // A conversation id only a Responses upstream could know: no translated target can answer.
    if (this.link?.unresolved) throw this.link.unresolved;
    this.decoded ??= this.protocol.codec.decodeRequest(this.body);
    return this.decoded;
  }

  get origin(): RequestOrigin {
    return { request: this.request, body: this.link?.echoBody ?? this.body, onAnswer: this.link?.remember };
  }
}

/** The same-protocol body (the client's bytes when nothing changes) or the translated one. */
function buildUpstreamCall(
  target: Target,
  key: ProviderKey | undefined,
  admission: Admission,
  protocol: ClientProtocolModule,
  translation: Translation,
  clientHeaders: Headers,
): PlannedCall {
  const { provider } = target;
  const wire = PROVIDER_WIRES[providerWireOf(provider, target.model)];
  const headers = buildUpstreamHeaders(provider, key, clientHeaders);
  const dropped: string[] = [];
  if (wire.native?.protocol === protocol.protocol) {
    const plan = protocol.planNativeBody(admission.body, admission.stream);
    const unchanged = target.model === admission.model && !admission.bodyChanged && !plan.set;
    const body = unchanged
      ? admission.text
      : JSON.stringify({ ...admission.body, ...plan.set, model: target.model });
    return {
      call: { url: provider.baseUrl + wire.native.path, headers, body },
      native: true,
      nativePlan: plan,
      dropped,
    };
  }
  const context: EncodeContext = { providerName: provider.name, strict: admission.strict, dropped };
  const encoded = wire.codec.encodeRequest({ ...translation.request, model: target.model }, context);
  return {
    call: { url: provider.baseUrl + encoded.path, headers, body: JSON.stringify(encoded.body) },
    native: false,
    nativePlan: { hideUsage: false },
    dropped,
  };
}

/** A 2xx upstream response → an Answer: the whole JSON body, or a stream's first chunk. */
async function receive(
  upstream: UpstreamResponse,
  planned: PlannedCall,
  admission: Admission,
  target: Target,
  signal: AbortSignal,
  runtime: GatewayRuntime,
): Promise<AttemptResult<Answer>> {
  const debug = admission.debug ? debugView(planned.call) : undefined;
  const providerName = target.provider.name;
  const stallMs = stallTimeoutOf(target, runtime);
  const reader = (upstream.response.body as ReadableStream<Uint8Array>).getReader();
  const idle = setTimeout(() => upstream.abort(new UpstreamStalled()), stallMs);
  if (!admission.stream) {
    try {
      const bytes = await readToEnd(reader, idle);
      return { ok: true, value: { kind: "json", upstream, planned, debug, bytes } };
    } catch (error) {
      if (signal.aborted) throw clientGone();
      if (upstream.signal.reason instanceof UpstreamStalled) return stalled(providerName, stallMs);
      return networkFailure(providerName, error);
    } finally {
      clearTimeout(idle);
    }
  }
  try {
    const first = await reader.read();
    if (first.done || !first.value) return networkFailure(providerName, new Error("empty stream"));
    return {
      ok: true,
      value: { kind: "stream", upstream, planned, debug, reader, firstChunk: first.value },
    };
  } catch (error) {
    if (signal.aborted) throw clientGone();
    if (upstream.signal.reason instanceof UpstreamStalled) return stalled(providerName, stallMs);
    return networkFailure(providerName, error);
  } finally {
    clearTimeout(idle);
  }
}

class UpstreamStalled extends Error {}

/** The provider's `stall_timeout`, else `routing.stream_idle_timeout`: the longest silence once an answer started. */
function stallTimeoutOf(target: Target, runtime: GatewayRuntime): number {
  return target.provider.stallTimeoutMs ?? runtime.config.routing.streamIdleTimeoutMs;
}

/** A JSON body, read chunk by chunk so that a silence longer than the stall timeout aborts it. */
async function readToEnd(reader: ChunkReader, idle: ReturnType<typeof setTimeout>): Promise<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    idle.refresh();
    chunks.push(value);
    length += value.length;
  }
  if (chunks.length === 1) {
    const only = chunks[0];
    return only.byteOffset === 0 && only.byteLength === only.buffer.byteLength
      ? (only.buffer as ArrayBuffer)
      : (only.slice().buffer as ArrayBuffer);
  }
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined.buffer;
}

function stalled(providerName: string, stallMs: number): AttemptResult<Answer> {
  return {
    ok: false,
    failure: "timeout",
    error: new GatewayError({
      kind: "timeout",
      status: 504,
      message: `Provider '${providerName}' stopped sending its answer for ${stallMs} ms.`,
      code: "upstream_timeout",
    }),
  };
}

function responseHeaders(
  answer: Answer,
  target: Target,
  admission: Admission,
  requestId: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  passThroughResponseHeaders(answer.upstream.response.headers, headers);
  if (admission.rateHeaders) Object.assign(headers, admission.rateHeaders);
  headers["x-request-id"] = requestId;
  headers["x-switchboard-provider"] = target.provider.name;
  headers["x-switchboard-model"] = headerSafe(target.model);
  if (answer.planned.dropped.length > 0)
    headers["x-switchboard-dropped"] = headerList(answer.planned.dropped);
  return headers;
}

function answerJson(
  answer: Extract<Answer, { kind: "json" }>,
  headers: Record<string, string>,
  admission: Admission,
  protocol: ClientProtocolModule,
  translation: Translation,
  target: Target,
  ctx: RequestContext,
): Response {
  const { bytes, planned } = answer;
  headers["content-type"] = "application/json";
  ctx.logBody("upstream_response", bytes);
  if (planned.native && !answer.debug) {
    // Zero-copy: the provider's bytes are the answer. Usage is read after the response is handed over.
    setImmediate(() => {
      ctx.usage = usageOfJson(protocol, bytes);
      ctx.finish(200);
    });
    return new Response(bytes, { status: 200, headers });
  }
  let out: Record<string, unknown>;
  const upstreamJson = JSON.parse(textDecoder.decode(bytes)) as Record<string, unknown>;
  if (!planned.native) {
    const wire = PROVIDER_WIRES[providerWireOf(target.provider, target.model)];
    const decoded = wire.codec.decodeResponse(upstreamJson);
    ctx.usage = decoded.usage;
    out = protocol.codec.encodeResponse(decoded, admission.model, translation.origin);
  } else {
    out = upstreamJson;
    ctx.usage = completeUsage(protocol.readUsage(upstreamJson.usage) ?? null);
  }
  if (answer.debug) out.switchboard_debug = answer.debug;
  const responseText = JSON.stringify(out);
  if (!planned.native) ctx.logBody("response", responseText);
  ctx.finish(200);
  return new Response(responseText, { status: 200, headers });
}

function answerStream(
  answer: Extract<Answer, { kind: "stream" }>,
  headers: Record<string, string>,
  admission: Admission,
  protocol: ClientProtocolModule,
  translation: Translation,
  target: Target,
  key: ProviderKey | undefined,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Response {
  const observation = new StreamObservation();
  let transform: StreamTransform;
  if (answer.planned.native) {
    transform = protocol.createPassthrough(observation, answer.planned.nativePlan);
  } else {
    const wire = PROVIDER_WIRES[providerWireOf(target.provider, target.model)];
    const encoder = protocol.codec.createStreamEncoder({
      requestedModel: admission.model,
      includeUsage: protocol.wantsStreamUsage(admission.body),
      inputTokenEstimate: Math.ceil(admission.text.length / 4),
      origin: translation.origin,
    });
    transform = new TranslatingTransform(wire.codec, encoder, observation);
  }
  headers["content-type"] = "text/event-stream; charset=utf-8";
  headers["cache-control"] = "no-cache";
  runtime.metrics.streamStarted();
  ctx.markFirstByte();
  ctx.answered = true;
  ctx.liveUsage = () => completeUsage(observation.usage);
  const body = relayStream({
    upstream: answer.upstream,
    reader: answer.reader,
    firstChunk: answer.firstChunk,
    prefix: answer.debug ? encodeSSEComment(`switchboard_debug ${JSON.stringify(answer.debug)}`) : undefined,
    transform,
    idleTimeoutMs: stallTimeoutOf(target, runtime),
    onEnd: (end, detail) => {
      runtime.metrics.streamEnded();
      ctx.usage = completeUsage(observation.usage);
      if (end === "upstream_error") {
        ctx.errorType = `stream_${detail ?? "error"}`;
        runtime.routing.recordFailure(target, key);
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
  return new Response(body, { status: 200, headers });
}

function debugView(call: UpstreamCall): Record<string, unknown> {
  return { method: "POST", url: call.url, headers: redactHeaders(call.headers), body: JSON.parse(call.body) };
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
function usageOfJson(protocol: ClientProtocolModule, bytes: ArrayBuffer): IRUsage | null {
  try {
    const usage = (JSON.parse(textDecoder.decode(bytes)) as { usage?: unknown }).usage;
    return completeUsage(protocol.readUsage(usage) ?? null);
  } catch {
    return null;
  }
}

function completeUsage(usage: Partial<IRUsage> | null): IRUsage | null {
  if (!usage) return null;
  return { ...usage, inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}
