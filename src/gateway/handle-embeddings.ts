import { admitTargets } from "../auth/allow-list.ts";
import type { ProviderKey } from "../config/types.ts";
import { GatewayError, invalidRequest } from "../errors/gateway-error.ts";
import type { EmbeddingsAsk, EmbeddingsCodec } from "../protocols/embeddings/embeddings-codec.ts";
import { PROVIDER_EMBEDDINGS } from "../protocols/embeddings/provider-embeddings.ts";
import {
  readOpenAIEmbeddingsUsage,
  toOpenAIEmbeddingsResponse,
} from "../protocols/embeddings/to-openai-embeddings.ts";
import { validateEmbeddingsRequest } from "../protocols/embeddings/validate-embeddings.ts";
import { lastJsonObjectMember } from "../protocols/last-json-object-member.ts";
import { transportOf } from "../providers/provider-kinds.ts";
import { providerWireOf } from "../providers/provider-wire.ts";
import { buildUpstreamHeaders, passThroughResponseHeaders } from "../providers/upstream-request.ts";
import type { Target } from "../routing/resolve-targets.ts";
import { resolveTargets } from "../routing/resolve-targets.ts";
import type { AttemptResult } from "../routing/run-with-fallback.ts";
import { runWithFallback } from "../routing/run-with-fallback.ts";
import { type AdmittedEndpoint, admit } from "./admit.ts";
import { callUpstream, type UpstreamResponse } from "./call-upstream.ts";
import type { Admission } from "./generation-steps.ts";
import { headerSafe } from "./header-value.ts";
import { readWholeBody } from "./receive-answer.ts";
import type { RequestContext } from "./request-context.ts";
import { withProviderOptions } from "./request-controls.ts";
import { runEndpoint } from "./run-endpoint.ts";
import type { GatewayRuntime } from "./runtime.ts";

/**
 * POST /v1/embeddings (docs/embeddings.md): the generation pipeline's steps where they fit —
 * admit (auth, body, schema, controls, allow-list, limits), plan targets, call with fallback,
 * read the whole answer — then the provider's way of embedding (provider-embeddings.ts): the
 * zero-copy pipe for OpenAI-compatible providers, a codec for the others.
 */

const EMBEDDINGS_ENDPOINT: AdmittedEndpoint = { protocol: "openai", validate: validateEmbeddingsRequest };

const textDecoder = new TextDecoder();

/** A finished attempt: the provider's own bytes (native) or the vectors of a translated call. */
type EmbeddingsAnswer =
  | { kind: "native"; upstream: UpstreamResponse; bytes: ArrayBuffer }
  | { kind: "translated"; upstream: UpstreamResponse; vectors: number[][]; inputTokens: number | null };

export async function handleEmbeddings(request: Request, runtime: GatewayRuntime): Promise<Response> {
  return runEndpoint(request, runtime, "embeddings", "openai", (ctx) => embed(request, runtime, ctx));
}

async function embed(request: Request, runtime: GatewayRuntime, ctx: RequestContext): Promise<Response> {
  const admission = await admit(request, EMBEDDINGS_ENDPOINT, runtime, ctx);
  const targets = planEmbeddingTargets(admission, runtime);
  const input = readInput(admission.body.input);
  const dimensions = admission.body.dimensions as number | undefined;

  const attempt = (
    target: Target,
    key: ProviderKey | undefined,
  ): Promise<AttemptResult<EmbeddingsAnswer>> => {
    const support = PROVIDER_EMBEDDINGS[target.provider.type];
    if (support.kind === "native")
      return callNative(support.path, target, key, admission, request, runtime, ctx);
    if (support.kind === "translated")
      return callTranslated(
        support.codec,
        { model: target.model, input, dimensions },
        target,
        key,
        admission,
        request,
        runtime,
        ctx,
      );
    throw cannotEmbed(target, support.reason);
  };

  const { value: answer, target } = await runWithFallback(
    targets,
    attempt,
    ctx.fallbackOptions(request.signal),
  );
  ctx.provider = target.provider.name;
  ctx.upstreamModel = target.model;
  ctx.translated = answer.kind === "translated";
  ctx.upstreamLatencyMs = answer.upstream.headersAt;
  const headers = embeddingsHeaders(answer.upstream, target, admission, ctx.requestId);

  if (answer.kind === "native") {
    // Zero-copy: the provider's bytes are the answer; its row is made before the hand-over (as
    // for generation: a crash after the answer cannot lose it).
    ctx.logBody("upstream_response", answer.bytes);
    ctx.usage = usageOf(readNativeUsage(answer.bytes));
    ctx.finish(200);
    return new Response(answer.bytes, { status: 200, headers });
  }
  const inputTokens = answer.inputTokens ?? estimateInputTokens(input);
  if (answer.inputTokens === null) headers["x-switchboard-estimated"] = "true";
  const out = toOpenAIEmbeddingsResponse(answer.vectors, {
    model: admission.model,
    inputTokens,
    encoding: admission.body.encoding_format === "base64" ? "base64" : "float",
  });
  const text = JSON.stringify(out);
  ctx.logBody("response", text);
  ctx.usage = usageOf(inputTokens);
  ctx.finish(200);
  return new Response(text, { status: 200, headers });
}

/** The zero-copy call: the client's bytes (or the body with the target's model) on the transport's URL. */
async function callNative(
  path: string,
  target: Target,
  key: ProviderKey | undefined,
  admission: Admission,
  request: Request,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Promise<AttemptResult<EmbeddingsAnswer>> {
  const { provider } = target;
  const transport = transportOf(provider);
  const route = { wire: providerWireOf(provider, target.model), path, model: target.model, stream: false };
  const adapt =
    transport.adaptBody && ((json: Record<string, unknown>) => transport.adaptBody!(json, provider, route));
  const body = nativeBody(admission, target, adapt);
  ctx.logBody("upstream_request", body);
  // Credentials are added last, by the provider's transport (callUpstream → authorize).
  const headers = buildUpstreamHeaders(provider, route.wire, request.headers);
  const result = await callUpstream(
    provider,
    { url: transport.url(provider, route), headers, body },
    request.signal,
    key,
  );
  if (!result.ok) return result;
  const bytes = await readWholeBody(result.value, target, request.signal, runtime);
  if (!bytes.ok) return bytes;
  return { ok: true, value: { kind: "native", upstream: result.value, bytes: bytes.value } };
}

/** The codec's calls, in order, then its vectors; an unreadable answer is the provider's failure. */
async function callTranslated(
  codec: EmbeddingsCodec,
  ask: EmbeddingsAsk,
  target: Target,
  key: ProviderKey | undefined,
  admission: Admission,
  request: Request,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Promise<AttemptResult<EmbeddingsAnswer>> {
  const { provider } = target;
  const answers: unknown[] = [];
  const answerHeaders: Headers[] = [];
  let upstream: UpstreamResponse | undefined;
  for (const planned of codec.encodeRequest(ask, provider)) {
    const body = JSON.stringify(withProviderOptions(planned.body, provider.type, admission.requested));
    ctx.logBody("upstream_request", body);
    const headers = buildUpstreamHeaders(provider, providerWireOf(provider, target.model), request.headers);
    const result = await callUpstream(provider, { url: planned.url, headers, body }, request.signal, key);
    if (!result.ok) return result;
    const bytes = await readWholeBody(result.value, target, request.signal, runtime);
    if (!bytes.ok) return bytes;
    upstream = result.value;
    answers.push(parseJson(bytes.value));
    answerHeaders.push(result.value.response.headers);
  }
  try {
    const decoded = codec.decodeResponses(answers, answerHeaders);
    if (upstream && decoded.vectors.length === ask.input.length)
      return { ok: true, value: { kind: "translated", upstream, ...decoded } };
  } catch {
    // Falls through: the answer is not what the provider's API promises.
  }
  return { ok: false, failure: "network", error: badAnswer(provider.name) };
}

/** The targets within the key's allow-list that can embed; a 400 naming the model when none can. */
function planEmbeddingTargets(admission: Admission, runtime: GatewayRuntime): Target[] {
  const { caller, model, controls } = admission;
  const targets = admitTargets(
    caller,
    model,
    controls,
    resolveTargets(runtime.config, model, controls, runtime.routing),
  );
  const embedding = targets.filter((target) => PROVIDER_EMBEDDINGS[target.provider.type].kind !== "none");
  if (embedding.length > 0) return embedding;
  const first = targets[0]!;
  const support = PROVIDER_EMBEDDINGS[first.provider.type];
  throw cannotEmbed(first, support.kind === "none" ? support.reason : "no embeddings", model);
}

function cannotEmbed(target: Target, reason: string, model = target.model): GatewayError {
  return invalidRequest(
    `The model '${model}' cannot create embeddings: it is served by provider '${target.provider.name}' (type ${target.provider.type}), and ${reason}.`,
    "model",
    "embeddings_not_supported",
  );
}

/**
 * The client's bytes when nothing changes; else the body with the target's model and
 * provider_options, as the transport wants it (Azure's v1 API: the deployment as `model`).
 */
function nativeBody(
  admission: Admission,
  target: Target,
  adapt: ((json: Record<string, unknown>) => Record<string, unknown>) | undefined,
): string {
  if (target.model === admission.model && !admission.bodyChanged && !adapt) return admission.text;
  const json = withProviderOptions(
    { ...admission.body, model: target.model },
    target.provider.type,
    admission.requested,
  );
  return JSON.stringify(adapt ? adapt(json) : json);
}

/** `input` as a list: one text or one token-id array becomes a list of one. */
function readInput(input: unknown): string[] | number[][] {
  if (typeof input === "string") return [input];
  const list = input as unknown[];
  return typeof list[0] === "number" ? [list as number[]] : (list as string[] | number[][]);
}

function parseJson(bytes: ArrayBuffer): unknown {
  try {
    return JSON.parse(textDecoder.decode(bytes));
  } catch {
    return undefined;
  }
}

/** An answer the gateway cannot read is the provider's fault: 502, not a 500 of the gateway. */
function badAnswer(providerName: string): GatewayError {
  return new GatewayError({
    kind: "api_error",
    status: 502,
    message: `Provider '${providerName}' sent an embeddings answer the gateway cannot read.`,
    code: "bad_upstream_response",
  });
}

function readNativeUsage(bytes: ArrayBuffer): number | null {
  try {
    // The vectors can be megabytes: only the usage member is parsed.
    return readOpenAIEmbeddingsUsage({ usage: lastJsonObjectMember(textDecoder.decode(bytes), "usage") });
  } catch {
    return null;
  }
}

const usageOf = (inputTokens: number | null) =>
  inputTokens === null ? null : { inputTokens, outputTokens: 0 };

/** Four characters a token, as the rate limiter estimates; token-id inputs count exactly. */
function estimateInputTokens(input: string[] | number[][]): number {
  let tokens = 0;
  for (const item of input) tokens += typeof item === "string" ? Math.ceil(item.length / 4) : item.length;
  return tokens;
}

function embeddingsHeaders(
  upstream: UpstreamResponse,
  target: Target,
  admission: Admission,
  requestId: string,
): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  passThroughResponseHeaders(upstream.response.headers, headers);
  if (admission.rateHeaders) Object.assign(headers, admission.rateHeaders);
  headers["x-request-id"] = requestId;
  headers["x-switchboard-provider"] = target.provider.name;
  headers["x-switchboard-model"] = headerSafe(target.model);
  return headers;
}
