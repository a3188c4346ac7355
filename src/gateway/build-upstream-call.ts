import type { EncodeContext } from "../ir/codec.ts";
import type { ClientProtocolModule } from "../protocols/client-protocol.ts";
import { PROVIDER_WIRES } from "../protocols/provider-wires.ts";
import { transportOf } from "../providers/provider-kinds.ts";
import { providerWireOf } from "../providers/provider-wire.ts";
import type { WireRoute } from "../providers/transport.ts";
import { buildUpstreamHeaders } from "../providers/upstream-request.ts";
import type { Target } from "../routing/resolve-targets.ts";
import { fitNativeEffort } from "./fit-native-effort.ts";
import type { Admission, PlannedCall } from "./generation-steps.ts";
import { withProviderOptions } from "./request-controls.ts";
import type { Translation } from "./translation.ts";

/**
 * The same-protocol body (the client's bytes when nothing changes) or the translated one, at the
 * URL the provider's transport places it. Credentials are not on it yet: callUpstream has the
 * transport authorize it last, since a signature covers the final URL, headers and body.
 */
export function buildUpstreamCall(
  target: Target,
  admission: Admission,
  protocol: ClientProtocolModule,
  translation: Translation,
  clientHeaders: Headers,
): PlannedCall {
  const { provider } = target;
  const wireName = providerWireOf(provider, target.model);
  const wire = PROVIDER_WIRES[wireName];
  const transport = transportOf(provider);
  const headers = buildUpstreamHeaders(provider, wireName, clientHeaders);
  const dropped: string[] = [];
  const adjusted: string[] = [];
  // A stream reaches the client as is only when its framing is the client's (SSE).
  const native =
    wire.native?.protocol === protocol.protocol && (!admission.stream || transport.framing === "sse");
  if (native && wire.native) {
    const route: WireRoute = {
      wire: wireName,
      path: wire.native.path,
      model: target.model,
      stream: admission.stream,
    };
    const plan = protocol.planNativeBody(admission.body, admission.stream);
    const fitted = fitNativeEffort(protocol.protocol, admission.body, adjusted);
    const unchanged =
      target.model === admission.model &&
      !admission.bodyChanged &&
      !plan.set &&
      !fitted &&
      !transport.adaptBody;
    let body = admission.text;
    if (!unchanged) {
      // The client's provider_options first, then what the gateway sets: the gateway's fields win.
      const json = {
        ...withProviderOptions(admission.body, provider.type, admission.requested),
        ...plan.set,
        ...fitted,
        model: target.model,
      };
      body = JSON.stringify(transport.adaptBody ? transport.adaptBody(json, provider, route, headers) : json);
    }
    return {
      call: { url: transport.url(provider, route), headers, body },
      route,
      native: true,
      nativePlan: plan,
      dropped,
      adjusted,
    };
  }
  const context: EncodeContext = {
    providerName: provider.name,
    strict: admission.strict,
    dropped,
    adjusted,
    maxTokensField: provider.maxTokensField ?? "max_tokens",
  };
  const encoded = wire.codec.encodeRequest({ ...translation.request, model: target.model }, context);
  const route: WireRoute = {
    wire: wireName,
    path: encoded.path,
    model: target.model,
    stream: admission.stream,
  };
  const json = withProviderOptions(encoded.body, provider.type, admission.requested);
  const body = transport.adaptBody ? transport.adaptBody(json, provider, route, headers) : json;
  return {
    call: { url: transport.url(provider, route), headers, body: JSON.stringify(body) },
    route,
    native: false,
    nativePlan: { hideUsage: false },
    dropped,
    adjusted,
  };
}
