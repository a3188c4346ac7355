import { admitTargets } from "../auth/allow-list.ts";
import type { ProviderKey } from "../config/types.ts";
import type { ClientProtocolModule } from "../protocols/client-protocol.ts";
import type { Target } from "../routing/resolve-targets.ts";
import { resolveTargets } from "../routing/resolve-targets.ts";
import type { AttemptResult } from "../routing/run-with-fallback.ts";
import { runWithFallback } from "../routing/run-with-fallback.ts";
import { admit } from "./admit.ts";
import { answerJson, answerStream, responseHeaders } from "./answer.ts";
import { buildUpstreamCall } from "./build-upstream-call.ts";
import { callUpstream } from "./call-upstream.ts";
import { traceAttempts } from "./debug-view.ts";
import type { Admission, Answer } from "./generation-steps.ts";
import { receive } from "./receive-answer.ts";
import type { RequestContext } from "./request-context.ts";
import { linkConversation } from "./responses-state.ts";
import { runEndpoint } from "./run-endpoint.ts";
import type { GatewayRuntime } from "./runtime.ts";
import { Translation } from "./translation.ts";

export { requestIdOf } from "./request-id.ts";

/**
 * The generation pipeline, one function per step (docs/ARCHITECTURE.md, "The path of a request"):
 * admit → plan targets → per target: build the upstream call, call, receive (with fallback) →
 * answer JSON or answer stream. Protocol-specific behaviour comes from the client protocol's
 * module and the provider wire's; nothing here names a protocol.
 */

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
  return runEndpoint(request, runtime, protocol.endpoint, protocol.protocol, (ctx) =>
    generate(request, protocol, runtime, ctx),
  );
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
    const planned = buildUpstreamCall(target, admission, protocol, translation, request.headers);
    ctx.logBody("upstream_request", planned.call.body);
    const result = await callUpstream(target.provider, planned.call, request.signal, key);
    if (!result.ok) return result;
    return receive(result.value, planned, admission, target, request.signal, runtime);
  };

  const {
    value: answer,
    target,
    key,
  } = await runWithFallback(
    targets,
    traceAttempts(admission.debug, targets, ctx.attempts, attempt),
    ctx.fallbackOptions(request.signal),
  );

  ctx.provider = target.provider.name;
  ctx.upstreamModel = target.model;
  ctx.translated = !answer.planned.native;
  ctx.upstreamLatencyMs = answer.upstream.headersAt;
  const headers = responseHeaders(answer, target, admission, ctx.requestId);
  const dropped = [...admission.requested.dropped, ...answer.planned.dropped];
  if (dropped.length > 0) ctx.dropped = dropped;
  if (answer.kind === "json")
    return answerJson(answer, headers, admission, protocol, translation, target, ctx);
  return answerStream(answer, headers, admission, protocol, translation, target, key, runtime, ctx);
}

/** The ordered targets, each within the key's allow-list (404/400/403 before any call). */
function planTargets(admission: Admission, runtime: GatewayRuntime): Target[] {
  const { caller, model, controls } = admission;
  const resolved = resolveTargets(runtime.config, model, controls, runtime.routing);
  return admitTargets(caller, model, controls, resolved);
}
