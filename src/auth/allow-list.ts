import { GatewayError } from "../errors/gateway-error.ts";
import { globMatches } from "../routing/glob-matches.ts";
import type { RoutingControls, Target } from "../routing/resolve-targets.ts";
import type { Caller } from "./authenticate.ts";

export { globMatches };

export function callerMayUse(caller: Caller, model: string): boolean {
  if (caller.kind !== "virtual" || !caller.key.models) return true;
  return caller.key.models.some((pattern) => globMatches(pattern, model));
}

export function assertModelAllowed(caller: Caller, model: string): void {
  if (callerMayUse(caller, model)) return;
  throw new GatewayError({
    kind: "permission",
    status: 403,
    message: `This key is not allowed to use the model '${model}'.`,
    param: "model",
    code: "model_not_allowed",
  });
}

const notAllowed = (message: string, param: string): GatewayError =>
  new GatewayError({ kind: "permission", status: 403, message, param, code: "model_not_allowed" });

/**
 * Every model the request names (`model`, each of `fallbacks`) must be within the key's
 * allow-list, by the name the request used: an allowed alias is allowed whole, its configured
 * members are the operator's choice (docs/routing.md, "Allow-lists"). Checked before routing, so
 * a disallowed name is a 403 whether or not it exists.
 */
export function assertRequestedModelsAllowed(caller: Caller, model: string, controls: RoutingControls): void {
  assertModelAllowed(caller, model);
  (controls.fallbacks ?? []).forEach((fallback, index) => {
    if (!callerMayUse(caller, fallback))
      throw notAllowed(
        `This key is not allowed to use the model '${fallback}' named in 'fallbacks[${index}]'.`,
        `fallbacks[${index}]`,
      );
  });
}

/**
 * The resolved targets a key may reach, before any upstream call: a provider that the request's
 * `provider` control adds beyond the configured resolution of a bare id is checked by its
 * `provider/model` address. The providers serving a catalog id are the operator's configuration,
 * like an alias's members: allowed with the name (docs/routing.md, "Allow-lists"). One the control names (`only`, `order`, or the string form) is a 403
 * naming it; one it merely lets in (`ignore`) is left out. Throws 403 when nothing is left.
 */
export function admitTargets(
  caller: Caller,
  model: string,
  controls: RoutingControls,
  targets: Target[],
): Target[] {
  if (caller.kind !== "virtual" || !caller.key.models) return targets;
  const named = namedProviders(controls.provider);
  const admitted = targets.filter((target) => {
    if (!target.viaProviderControl) return true;
    const address = `${target.provider.name}/${target.model}`;
    if (callerMayUse(caller, address)) return true;
    if (named.has(target.provider.name))
      throw notAllowed(
        `This key is not allowed to use '${address}', which the 'provider' control asks for.`,
        "provider",
      );
    return false;
  });
  if (admitted.length === 0)
    throw notAllowed(`This key is not allowed to use any provider that serves '${model}'.`, "provider");
  return admitted;
}

function namedProviders(control: RoutingControls["provider"]): Set<string> {
  if (control === undefined) return new Set();
  if (typeof control === "string") return new Set([control]);
  return new Set([...(control.only ?? []), ...(control.order ?? [])]);
}
