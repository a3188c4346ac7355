import type { ProviderKey } from "../config/types.ts";
import { StreamObservation, type StreamTransform } from "../ir/stream-transform.ts";
import type { IRUsage } from "../ir/types.ts";
import type { ClientProtocolModule } from "../protocols/client-protocol.ts";
import { lastJsonObjectMember } from "../protocols/last-json-object-member.ts";
import { PROVIDER_WIRES } from "../protocols/provider-wires.ts";
import { transportOf } from "../providers/provider-kinds.ts";
import { passThroughResponseHeaders } from "../providers/upstream-request.ts";
import type { Target } from "../routing/resolve-targets.ts";
import { answerMeta } from "./answer-meta.ts";
import { debugOfJson, debugPrefix, streamTrailer } from "./debug-view.ts";
import type { Admission, Answer } from "./generation-steps.ts";
import { headerList, headerSafe } from "./header-value.ts";
import { stallTimeoutOf } from "./receive-answer.ts";
import { relayStream } from "./relay-stream.ts";
import type { RequestContext } from "./request-context.ts";
import type { GatewayRuntime } from "./runtime.ts";
import { TranslatingTransform } from "./stream-transforms.ts";
import type { Translation } from "./translation.ts";

const textDecoder = new TextDecoder();

export function responseHeaders(
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
  const dropped = [...admission.requested.dropped, ...answer.planned.dropped];
  if (dropped.length > 0) headers["x-switchboard-dropped"] = headerList(dropped);
  const adjusted = [...admission.requested.adjusted, ...answer.planned.adjusted];
  if (adjusted.length > 0) headers["x-switchboard-adjusted"] = headerList(adjusted);
  return headers;
}

export function answerJson(
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
  if (planned.native && !answer.debug && !admission.requested.meta) {
    // Zero-copy: the provider's bytes are the answer. The row is made before the hand-over, so a
    // crash after the client has its answer cannot lose it (the spool's journal, docs/operations.md).
    ctx.usage = usageOfJson(protocol, bytes);
    ctx.finish(200);
    return new Response(bytes, { status: 200, headers });
  }
  let out: Record<string, unknown>;
  const upstreamJson =
    answer.parsed?.json ?? (JSON.parse(textDecoder.decode(bytes)) as Record<string, unknown>);
  if (!planned.native && answer.parsed) {
    const { decoded } = answer.parsed;
    ctx.usage = decoded.usage;
    out = protocol.codec.encodeResponse(decoded, admission.model, translation.origin);
  } else {
    out = upstreamJson;
    ctx.usage = completeUsage(protocol.readUsage(upstreamJson.usage) ?? null);
  }
  if (answer.debug)
    out.switchboard_debug = debugOfJson(
      admission.debug,
      answer.debug,
      answer.upstream,
      upstreamJson,
      ctx,
      target,
    );
  if (admission.requested.meta) out.meta = answerMeta(ctx, target, ctx.usage);
  const responseText = JSON.stringify(out);
  if (!planned.native) ctx.logBody("response", responseText);
  ctx.finish(200);
  return new Response(responseText, { status: 200, headers });
}

export function answerStream(
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
  const deframer = transportOf(target.provider).createDeframer(answer.planned.route);
  if (answer.planned.native) {
    transform = protocol.createPassthrough(observation, answer.planned.nativePlan, deframer);
  } else {
    const wire = PROVIDER_WIRES[answer.planned.route.wire];
    const encoder = protocol.codec.createStreamEncoder({
      requestedModel: admission.model,
      includeUsage: protocol.wantsStreamUsage(admission.body),
      inputTokenEstimate: Math.ceil(admission.text.length / 4),
      origin: translation.origin,
    });
    transform = new TranslatingTransform(wire.codec, encoder, observation, deframer);
  }
  headers["content-type"] = "text/event-stream; charset=utf-8";
  headers["cache-control"] = "no-cache";
  runtime.metrics.streamStarted();
  ctx.markFirstByte();
  ctx.answered = true;
  ctx.liveUsage = () => completeUsage(observation.usage);
  // What the trailer needs, taken out now: a closure over `admission` would keep the client's
  // body (text and parsed) alive for as long as the stream lasts.
  const debug = admission.debug;
  const meta = admission.requested.meta;
  const body = relayStream({
    upstream: answer.upstream,
    reader: answer.reader,
    firstChunk: answer.firstChunk,
    prefix: answer.debug ? debugPrefix(debug, answer.debug, answer.upstream) : undefined,
    suffix: () =>
      streamTrailer(
        debug,
        meta ? answerMeta(ctx, target, completeUsage(observation.usage)) : undefined,
        ctx,
        target,
      ),
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

/** Usage of a same-protocol JSON response: only its `usage` member is converted. */
function usageOfJson(protocol: ClientProtocolModule, bytes: ArrayBuffer): IRUsage | null {
  try {
    // Only the usage object is parsed (the answer itself goes out as its bytes).
    const usage = lastJsonObjectMember(textDecoder.decode(bytes), "usage");
    return completeUsage(protocol.readUsage(usage) ?? null);
  } catch {
    return null;
  }
}

function completeUsage(usage: Partial<IRUsage> | null): IRUsage | null {
  if (!usage) return null;
  return { ...usage, inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}
