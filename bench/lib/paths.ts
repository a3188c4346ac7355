/**
 * What one benchmark request looks like on each route: a client protocol, an upstream protocol,
 * and for each target (the mock directly, Switchboard, the peer) the URL, headers and body.
 */
import type { HttpCall } from "./wrk.ts";

/** "openai": Chat Completions; "responses": OpenAI's Responses API; "anthropic": Messages. */
export type Protocol = "openai" | "anthropic" | "responses";
/** "floor": a bare Bun fetch proxy (bench/bare-proxy.ts), same-protocol paths only. */
export type TargetName = "direct" | "floor" | "switchboard" | "peer";

export interface BenchPath {
  id: string;
  client: Protocol;
  upstream: Protocol;
}

export const PATHS: BenchPath[] = [
  { id: "openai→openai", client: "openai", upstream: "openai" },
  { id: "anthropic→anthropic", client: "anthropic", upstream: "anthropic" },
  { id: "openai→anthropic", client: "openai", upstream: "anthropic" },
  { id: "anthropic→openai", client: "anthropic", upstream: "openai" },
  // Responses client → OpenAI-type provider with `responses: true`: the zero-copy pipe.
  { id: "responses→responses", client: "responses", upstream: "responses" },
  // Responses client → Anthropic: translated through the IR.
  { id: "responses→anthropic", client: "responses", upstream: "anthropic" },
];

export interface Load {
  stream: boolean;
  /** Content deltas per stream (words in a JSON answer). */
  events: number;
  /** The mock writes JSON as Python servers do (`"usage": {`): what the pass-through observers cost on it. */
  spaced?: boolean;
}

export function describeLoad(load: Load): string {
  const shape = load.stream ? `SSE ${load.events} ev` : "JSON";
  return load.spaced ? `${shape} spaced` : shape;
}

const SYSTEM = "You are a terse assistant.";
const PROMPT = "Reply with the word ok, repeated.";

/** A small, realistic chat request in the given protocol. */
export function toRequestBody(protocol: Protocol, model: string, load: Load): string {
  if (protocol === "responses") {
    // As the openai SDK's `responses.create` sends it (no stream_options: usage always comes).
    return JSON.stringify({
      model,
      instructions: SYSTEM,
      input: [{ role: "user", content: PROMPT }],
      max_output_tokens: 256,
      temperature: 0,
      ...(load.stream ? { stream: true } : {}),
    });
  }
  if (protocol === "openai") {
    return JSON.stringify({
      model,
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: PROMPT },
      ],
      max_tokens: 256,
      temperature: 0,
      ...(load.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    });
  }
  return JSON.stringify({
    model,
    max_tokens: 256,
    system: SYSTEM,
    messages: [{ role: "user", content: PROMPT }],
    temperature: 0,
    ...(load.stream ? { stream: true } : {}),
  });
}

export function endpoint(protocol: Protocol): string {
  if (protocol === "openai") return "/v1/chat/completions";
  return protocol === "responses" ? "/v1/responses" : "/v1/messages";
}

function clientHeaders(protocol: Protocol): Record<string, string> {
  return protocol !== "anthropic"
    ? { "content-type": "application/json", authorization: "Bearer sk-bench-client" }
    : {
        "content-type": "application/json",
        "x-api-key": "sk-bench-client",
        "anthropic-version": "2023-06-01",
      };
}

/**
 * Why a target cannot serve a path, or undefined when it can. The floor only pipes (same protocol).
 * Portkey 1.15 answers Anthropic clients only for Anthropic upstreams, and Responses clients only
 * for OpenAI upstreams: its `POST /v1/responses` (`createModelResponse`) goes to the OpenAI
 * provider's `/responses`, and its Anthropic provider has no endpoint for it.
 */
export function unsupportedReason(target: TargetName, path: BenchPath): string | undefined {
  if (target === "floor")
    return path.client === path.upstream ? undefined : "the bare proxy does not translate";
  if (target !== "peer") return undefined;
  if (path.client === "anthropic" && path.upstream === "openai")
    return "not supported (Portkey 1.15: “messages is not supported by openai”)";
  if (path.client === "responses" && path.upstream !== "responses")
    return "not supported (Portkey 1.15 serves /v1/responses only on OpenAI upstreams; its Anthropic provider has no Responses endpoint)";
  return undefined;
}

/** Which target can serve which path (see unsupportedReason). */
export function supports(target: TargetName, path: BenchPath): boolean {
  return unsupportedReason(target, path) === undefined;
}

/** Portkey's provider header: a Responses upstream is its `openai` provider (`/responses`). */
function portkeyProvider(upstream: Protocol): string {
  return upstream === "anthropic" ? "anthropic" : "openai";
}

export interface TargetUrls {
  mock: string;
  floor?: string;
  switchboard?: string;
  peer?: string;
}

/**
 * The call for one path on one target. "direct" speaks the upstream's protocol to the mock:
 * the fastest any gateway in front of that upstream could possibly be.
 */
export function toHttpCall(target: TargetName, path: BenchPath, load: Load, urls: TargetUrls): HttpCall {
  const model = `events-${load.events}${load.spaced ? "-spaced" : ""}`;
  if (target === "direct") {
    return {
      url: `${urls.mock}${endpoint(path.upstream)}`,
      headers: clientHeaders(path.upstream),
      body: toRequestBody(path.upstream, model, load),
    };
  }
  if (target === "floor") {
    if (!urls.floor) throw new Error("the bare proxy is not running");
    return {
      url: `${urls.floor}${endpoint(path.client)}`,
      headers: clientHeaders(path.client),
      body: toRequestBody(path.client, model, load),
    };
  }
  if (target === "switchboard") {
    if (!urls.switchboard) throw new Error("switchboard is not running");
    return {
      url: `${urls.switchboard}${endpoint(path.client)}`,
      headers: clientHeaders(path.client),
      body: toRequestBody(path.client, `mock-${path.upstream}/${model}`, load),
    };
  }
  if (!urls.peer) throw new Error("the peer gateway is not running");
  return {
    url: `${urls.peer}${endpoint(path.client)}`,
    headers: {
      ...clientHeaders(path.client),
      "x-portkey-provider": portkeyProvider(path.upstream),
      "x-portkey-custom-host": `${urls.mock}/v1`,
      // Portkey forwards the client's key as the provider key; the mock ignores keys.
      ...(path.upstream === "anthropic" ? { "x-api-key": "sk-bench-client" } : {}),
    },
    body: toRequestBody(path.client, model, load),
  };
}
