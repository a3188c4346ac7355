import { admitTargets } from "../auth/allow-list.ts";
import type { ProviderKey } from "../config/types.ts";
import { buildUpstreamHeaders } from "../providers/upstream-request.ts";
import type { Target } from "../routing/resolve-targets.ts";
import { resolveTargets } from "../routing/resolve-targets.ts";
import type { AttemptResult } from "../routing/run-with-fallback.ts";
import { runWithFallback } from "../routing/run-with-fallback.ts";
import { admit } from "./admit.ts";
import { callUpstream } from "./call-upstream.ts";
import { estimateInputTokens } from "./estimate-tokens.ts";
import { headerSafe } from "./header-value.ts";
import { readWholeBody } from "./receive-answer.ts";
import type { RequestContext } from "./request-context.ts";
import { runEndpoint } from "./run-endpoint.ts";
import type { GatewayRuntime } from "./runtime.ts";

const textDecoder = new TextDecoder();

/**
 * POST /v1/messages/count_tokens: exact from an Anthropic-type provider (forwarded as sent),
 * an estimate otherwise, marked with `x-switchboard-estimated: true`.
 */
export async function handleCountTokens(
  request: Request,
  validate: (body: unknown) => unknown,
  runtime: GatewayRuntime,
): Promise<Response> {
  return runEndpoint(request, runtime, "count_tokens", "anthropic", (ctx) =>
    countTokens(request, validate, runtime, ctx),
  );
}

async function countTokens(
  request: Request,
  validate: (body: unknown) => unknown,
  runtime: GatewayRuntime,
  ctx: RequestContext,
): Promise<Response> {
  // The same admission as generation: auth, body checks, gateway controls taken out, the
  // allow-list and the key's limits.
  const admission = await admit(request, { protocol: "anthropic", validate }, runtime, ctx);
  const { caller, model, controls, body } = admission;
  const targets = admitTargets(
    caller,
    model,
    controls,
    resolveTargets(runtime.config, model, controls, runtime.routing),
  );
  const anthropicTargets = targets.filter((target) => target.provider.type === "anthropic");
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-request-id": ctx.requestId,
  };
  if (targets[0].provider.type !== "anthropic" || anthropicTargets.length === 0) {
    headers["x-switchboard-estimated"] = "true";
    headers["x-switchboard-provider"] = targets[0].provider.name;
    headers["x-switchboard-model"] = headerSafe(targets[0].model);
    ctx.finish(200);
    return new Response(JSON.stringify({ input_tokens: estimateInputTokens(body) }), {
      status: 200,
      headers,
    });
  }
  const attempt = async (target: Target, key: ProviderKey | undefined): Promise<AttemptResult<string>> => {
    const call = {
      url: `${target.provider.baseUrl}/v1/messages/count_tokens`,
      headers: buildUpstreamHeaders(target.provider, "anthropic", request.headers),
      body: JSON.stringify({ ...body, model: target.model }),
    };
    const result = await callUpstream(target.provider, call, request.signal, key);
    if (!result.ok) return result;
    const answer = await readWholeBody(result.value, target, request.signal, runtime);
    return answer.ok ? { ok: true, value: textDecoder.decode(answer.value) } : answer;
  };
  const { value, target } = await runWithFallback(
    anthropicTargets,
    attempt,
    ctx.fallbackOptions(request.signal),
  );
  headers["x-switchboard-provider"] = target.provider.name;
  headers["x-switchboard-model"] = headerSafe(target.model);
  ctx.provider = target.provider.name;
  ctx.upstreamModel = target.model;
  ctx.finish(200);
  return new Response(value, { status: 200, headers });
}
