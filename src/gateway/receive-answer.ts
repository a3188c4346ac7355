import { GatewayError } from "../errors/gateway-error.ts";
import { redactUrl } from "../log/redact-url.ts";
import { PROVIDER_WIRES } from "../protocols/provider-wires.ts";
import { upstreamUnreachable } from "../providers/upstream-error.ts";
import { redactHeaders } from "../providers/upstream-request.ts";
import type { Target } from "../routing/resolve-targets.ts";
import type { AttemptResult } from "../routing/run-with-fallback.ts";
import { clientGone, type UpstreamCall, type UpstreamResponse } from "./call-upstream.ts";
import type { Admission, Answer, PlannedCall } from "./generation-steps.ts";
import type { ChunkReader } from "./relay-stream.ts";
import type { GatewayRuntime } from "./runtime.ts";

/** A 2xx upstream response → an Answer: the whole JSON body, or a stream's first chunk. */
export async function receive(
  upstream: UpstreamResponse,
  planned: PlannedCall,
  admission: Admission,
  target: Target,
  signal: AbortSignal,
  runtime: GatewayRuntime,
): Promise<AttemptResult<Answer>> {
  const debug = admission.debug ? debugView(planned.call) : undefined;
  if (!admission.stream) {
    const body = await readWholeBody(upstream, target, signal, runtime);
    if (!body.ok) return body;
    if (planned.native)
      return { ok: true, value: { kind: "json", upstream, planned, debug, bytes: body.value } };
    // A translated answer is read here, not after the fallback loop: a 200 that is not the
    // provider's JSON (an HTML error page from a proxy) is the provider's failure, and the next
    // target can still answer.
    try {
      const json = JSON.parse(textDecoder.decode(body.value)) as Record<string, unknown>;
      const decoded = PROVIDER_WIRES[planned.route.wire].codec.decodeResponse(json);
      return {
        ok: true,
        value: { kind: "json", upstream, planned, debug, bytes: body.value, parsed: { json, decoded } },
      };
    } catch (error) {
      return unreadableAnswer(target.provider.name, error);
    }
  }
  const first = await underStallTimeout(upstream, target, signal, runtime, async (reader) => ({
    reader,
    chunk: await reader.read(),
  }));
  if (!first.ok) return first;
  const { reader, chunk } = first.value;
  if (chunk.done || !chunk.value) return networkFailure(target.provider.name, new Error("empty stream"));
  return {
    ok: true,
    value: { kind: "stream", upstream, planned, debug, reader, firstChunk: chunk.value },
  };
}

/**
 * A whole (non-stream) answer body, under the provider's stall timeout: a silence is an upstream
 * timeout (504), a broken read a network failure; both count against the provider.
 */
export function readWholeBody(
  upstream: UpstreamResponse,
  target: Target,
  signal: AbortSignal,
  runtime: GatewayRuntime,
): Promise<AttemptResult<ArrayBuffer>> {
  return underStallTimeout(upstream, target, signal, runtime, readToEnd);
}

/**
 * Reads the answer's body with `read` while a silence longer than the provider's stall timeout
 * aborts it (`read` refreshes the timer as bytes come): a silence is an upstream timeout (504), a
 * broken read a network failure, a client that left is ClientGone.
 */
async function underStallTimeout<T>(
  upstream: UpstreamResponse,
  target: Target,
  signal: AbortSignal,
  runtime: GatewayRuntime,
  read: (reader: ChunkReader, idle: ReturnType<typeof setTimeout>) => Promise<T>,
): Promise<AttemptResult<T>> {
  const providerName = target.provider.name;
  const stallMs = stallTimeoutOf(target, runtime);
  const reader = (upstream.response.body as ReadableStream<Uint8Array>).getReader();
  const idle = setTimeout(() => upstream.abort(new UpstreamStalled()), stallMs);
  try {
    return { ok: true, value: await read(reader, idle) };
  } catch (error) {
    if (signal.aborted) throw clientGone();
    if (upstream.signal.reason instanceof UpstreamStalled) return stalled(providerName, stallMs);
    return networkFailure(providerName, error);
  } finally {
    clearTimeout(idle);
  }
}

class UpstreamStalled extends Error {}

const textDecoder = new TextDecoder();

function unreadableAnswer(providerName: string, error: unknown): AttemptResult<never> {
  const reason = error instanceof SyntaxError ? "not JSON" : "not in the provider's format";
  return {
    ok: false,
    failure: "network",
    error: new GatewayError({
      kind: "api_error",
      status: 502,
      message: `Provider '${providerName}' answered 200 with a body that is ${reason}.`,
      code: "upstream_bad_response",
    }),
  };
}

/** The provider's `stall_timeout`, else `routing.stream_idle_timeout`: the longest silence once an answer started. */
export function stallTimeoutOf(target: Target, runtime: GatewayRuntime): number {
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

function stalled(providerName: string, stallMs: number): AttemptResult<never> {
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

function debugView(call: UpstreamCall): Record<string, unknown> {
  return {
    method: "POST",
    // A base_url may carry credentials (`https://user:pass@host`): never shown.
    url: redactUrl(call.url),
    headers: redactHeaders(call.headers),
    // A generation call's body is always JSON text; bytes only come from the pass-through.
    body: JSON.parse(typeof call.body === "string" ? call.body : new TextDecoder().decode(call.body)),
  };
}

function networkFailure(providerName: string, error: unknown): AttemptResult<never> {
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, failure: "network", error: upstreamUnreachable(providerName, reason) };
}
