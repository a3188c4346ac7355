import { invalidRequest } from "../errors/gateway-error.ts";
import type { EncodeContext } from "./codec.ts";

/**
 * The dropped-field policy (docs/translation.md), shared by every provider encoder:
 * a field the target cannot honour is dropped and listed (→ x-switchboard-dropped) when losing it
 * cannot change the answer; otherwise, or in strict mode, the request is a 400 naming the field
 * and the provider.
 */
export function dropField(context: EncodeContext, wireName: string): void {
  if (context.strict) {
    throw invalidRequest(
      `'${wireName}' is not supported by provider '${context.providerName}' (dropped fields are refused in strict mode)`,
      wireName,
      "unsupported_parameter",
    );
  }
  if (!context.dropped.includes(wireName)) context.dropped.push(wireName);
}

/**
 * A value changed to fit the target (a temperature clamped to the target's range, an effort level
 * the target lacks): never silent, listed as `field=old->new` (→ x-switchboard-adjusted).
 * ASCII `->`: header values stay visible ASCII.
 */
export function adjustField(context: EncodeContext, wireName: string, from: unknown, to: unknown): void {
  const note = `${wireName}=${String(from)}->${String(to)}`;
  if (!context.adjusted.includes(note)) context.adjusted.push(note);
}

/** A field whose loss would change the answer: always a 400 naming the field and the provider. */
export function rejectField(context: EncodeContext, wireName: string, why: string): never {
  throw invalidRequest(
    `'${wireName}' is not supported by provider '${context.providerName}': ${why}`,
    wireName,
    "unsupported_parameter",
  );
}

/**
 * Client fields (kept in IRRequest.unknown) whose loss changes what the client gets back, with
 * the reason. Any other unknown field is dropped and listed.
 */
const ANSWER_CHANGING: Record<string, (value: unknown) => string | null> = {
  // OpenAI Chat Completions
  logit_bias: () => "token biasing changes which tokens can be produced",
  audio: () => "audio output cannot be produced",
  modalities: (v) =>
    Array.isArray(v) && v.some((m) => m !== "text") ? "only text output can be produced" : null,
  web_search_options: () => "the provider cannot search the web through this API",
  functions: () => "legacy `functions` are not translated; use `tools`",
  function_call: () => "legacy `function_call` is not translated; use `tool_choice`",
  prediction: () => null,
  // Anthropic Messages
  mcp_servers: () => "MCP connector servers exist only on Anthropic",
  container: () => "code-execution containers exist only on Anthropic",
};

/** Applies the policy to every field of IRRequest.unknown the encoder does not forward. */
export function dropUnknownFields(unknown: Record<string, unknown>, context: EncodeContext): void {
  for (const [field, value] of Object.entries(unknown)) {
    if (value === undefined || value === null) continue;
    const why = ANSWER_CHANGING[field]?.(value) ?? null;
    if (why) rejectField(context, field, why);
    dropField(context, field);
  }
}
