import type { Caller } from "../auth/authenticate.ts";
import type { ProviderType, ResolvedConfig } from "../config/types.ts";
import { GatewayError, invalidRequest } from "../errors/gateway-error.ts";
import type { ClientProtocol } from "../ir/codec.ts";
import { DebugRequest } from "./debug-view.ts";
import { applyAnthropicReasoning, type ControlNotes } from "./reasoning-control.ts";

type Json = Record<string, unknown>;

/**
 * The gateway's request controls besides `provider`/`fallbacks` (docs/request-controls.md): read
 * from the validated body and taken out of it, so that none reaches an upstream.
 */
export interface RequestControls {
  /** `provider_options` blocks, by the provider type each applies to. */
  providerOptions: Partial<Record<ProviderType, Json>>;
  /** `meta: true`: the answer carries a `meta` object. */
  meta: boolean;
  /** What the answer shows of the upstream call (the header and the body fields together). */
  debug: DebugRequest | undefined;
  /** Named before any target is chosen (the `reasoning` control's mapping). */
  dropped: string[];
  adjusted: string[];
  /** Fields were removed or set: the body no longer equals the client's bytes. */
  changed: boolean;
}

export interface ControlContext {
  /** `x-switchboard-strictness: strict` (or `X-AIStats-Strictness`). */
  strict: boolean;
  /** `x-switchboard-debug: upstream`, already permitted. */
  headerDebug: boolean;
  /** Whether the caller may see upstream requests at all (mayDebug). */
  mayDebug: boolean;
}

const CONTROL_FIELDS = ["provider_options", "usage", "meta", "debug", "echo_upstream_request"] as const;

/** The provider_options block of each provider type (AI Stats names Gemini `google`). */
const OPTIONS_BLOCK: Record<ProviderType, string> = {
  openai: "openai",
  anthropic: "anthropic",
  gemini: "google",
  azure: "azure",
  vertex: "vertex",
  bedrock: "bedrock",
};

/**
 * Members a provider_options block may not set: they are the gateway's to choose. `stream_options`
 * carries the usage request the gateway's accounting (limits, cost) depends on.
 */
const RESERVED_OPTIONS = new Set(["model", "stream", "stream_options"]);

/**
 * `reasoning` is a gateway control only where the protocol has no field of that name; on Chat
 * Completions (OpenRouter style) and Responses it is the protocol's own and stays in the body.
 */
const REASONING_CONTROL: Record<ClientProtocol, ((body: Json, notes: ControlNotes) => void) | null> = {
  anthropic: applyAnthropicReasoning,
  openai: null,
  responses: null,
};

/**
 * `usage: true` on a protocol whose streams carry usage only when asked (Chat Completions): ask.
 * Returns whether the body changed. JSON answers always carry usage.
 */
const ASK_STREAM_USAGE: Record<ClientProtocol, (body: Json) => boolean> = {
  openai: (body) => {
    const options = body.stream_options as Json | null | undefined;
    if (body.stream !== true || options?.include_usage === true) return false;
    body.stream_options = { ...options, include_usage: true };
    return true;
  },
  anthropic: () => false,
  responses: () => false,
};

/** Master key, open gateway, or every key with `server.debug`: who may see upstream requests. */
export function mayDebug(caller: Caller, config: ResolvedConfig): boolean {
  return caller.kind === "master" || caller.kind === "open" || config.server.debug;
}

/** Reads the controls (the schema has checked their shapes) and removes them from `body`. */
export function takeRequestControls(
  body: Json,
  protocol: ClientProtocol,
  context: ControlContext,
): RequestControls {
  const controls: RequestControls = {
    providerOptions: readProviderOptions(body.provider_options as Json | null | undefined),
    meta: body.meta === true,
    debug: readDebug(body, context),
    dropped: [],
    adjusted: [],
    changed: false,
  };
  if (body.usage === true && ASK_STREAM_USAGE[protocol](body)) controls.changed = true;
  const mapReasoning = REASONING_CONTROL[protocol];
  if (mapReasoning && "reasoning" in body) {
    mapReasoning(body, { strict: context.strict, dropped: controls.dropped, adjusted: controls.adjusted });
    delete body.reasoning;
    controls.changed = true;
  }
  for (const field of CONTROL_FIELDS) {
    if (field in body) {
      delete body[field];
      controls.changed = true;
    }
  }
  return controls;
}

/** The upstream body with the answering provider type's provider_options block merged in (objects deeply). */
export function withProviderOptions(body: Json, type: ProviderType, controls: RequestControls): Json {
  const block = controls.providerOptions[type];
  return block ? mergeObjects(body, block) : body;
}

function readProviderOptions(value: Json | null | undefined): Partial<Record<ProviderType, Json>> {
  const out: Partial<Record<ProviderType, Json>> = {};
  if (!value) return out;
  for (const [type, name] of Object.entries(OPTIONS_BLOCK) as Array<[ProviderType, string]>) {
    const block = value[name] as Json | null | undefined;
    if (!block) continue;
    for (const key of Object.keys(block)) {
      if (RESERVED_OPTIONS.has(key))
        throw invalidRequest(
          `'provider_options.${name}.${key}' cannot be set: the gateway chooses the upstream ${key}`,
          `provider_options.${name}.${key}`,
        );
    }
    out[type] = block;
  }
  return out;
}

/**
 * `debug` asks for something when it has a true flag and is not `enabled: false`; with
 * `echo_upstream_request: true` or the header it shows the upstream request. Asking without the
 * permission is a 403 naming the field.
 */
function readDebug(body: Json, context: ControlContext): DebugRequest | undefined {
  const echo = body.echo_upstream_request === true;
  const debug = body.debug as Json | null | undefined;
  const asked =
    debug !== null &&
    debug !== undefined &&
    debug.enabled !== false &&
    [debug.enabled, debug.return_upstream_request, debug.return_upstream_response, debug.trace].includes(
      true,
    );
  if ((echo || asked) && !context.mayDebug) {
    const field = asked ? "debug" : "echo_upstream_request";
    throw new GatewayError({
      kind: "permission",
      status: 403,
      message: `'${field}' is allowed to the master key only (or to every key with server.debug: true).`,
      param: field,
      code: "debug_not_allowed",
    });
  }
  if (!context.headerDebug && !echo && !asked) return undefined;
  return new DebugRequest({
    request: context.headerDebug || echo || (asked && debug?.return_upstream_request !== false),
    response: asked && debug?.return_upstream_response === true,
    trace:
      asked && debug?.trace === true ? ((debug.trace_level as "summary" | "full" | null) ?? "summary") : null,
  });
}

function mergeObjects(target: Json, source: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) ? mergeObjects(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
