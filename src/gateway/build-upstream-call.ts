import type { ProviderKey } from "../config/types.ts";
import type { EncodeContext } from "../ir/codec.ts";
import type { ClientProtocolModule } from "../protocols/client-protocol.ts";
import { PROVIDER_WIRES } from "../protocols/provider-wires.ts";
import { providerWireOf } from "../providers/provider-wire.ts";
import { buildUpstreamHeaders } from "../providers/upstream-request.ts";
import type { Target } from "../routing/resolve-targets.ts";
import { fitNativeEffort } from "./fit-native-effort.ts";
import type { Admission, PlannedCall } from "./generation-steps.ts";
import { withProviderOptions } from "./request-controls.ts";
import type { Translation } from "./translation.ts";

/** The same-protocol body (the client's bytes when nothing changes) or the translated one. */
export function buildUpstreamCall(
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
  const adjusted: string[] = [];
  if (wire.native?.protocol === protocol.protocol) {
    const plan = protocol.planNativeBody(admission.body, admission.stream);
    const fitted = fitNativeEffort(protocol.protocol, admission.body, adjusted);
    const unchanged = target.model === admission.model && !admission.bodyChanged && !plan.set && !fitted;
    const body = unchanged
      ? admission.text
      : JSON.stringify(
          withProviderOptions(
            { ...admission.body, ...plan.set, ...fitted, model: target.model },
            provider.type,
            admission.requested,
          ),
        );
    return {
      call: { url: provider.baseUrl + wire.native.path, headers, body },
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
  const body = withProviderOptions(encoded.body, provider.type, admission.requested);
  return {
    call: { url: provider.baseUrl + encoded.path, headers, body: JSON.stringify(body) },
    native: false,
    nativePlan: { hideUsage: false },
    dropped,
    adjusted,
  };
}
