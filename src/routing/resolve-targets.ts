import type { ModelRoute, ResolvedConfig, ResolvedProvider } from "../config/types.ts";
import { GatewayError, invalidRequest } from "../errors/gateway-error.ts";
import { resolveCatalogModel } from "./resolve-catalog-model.ts";
import type { RoutingState } from "./routing-state.ts";

/** One place a request can go: a configured provider and the model id sent upstream. */
export interface Target {
  provider: ResolvedProvider;
  /** The upstream model id. */
  model: string;
  /**
   * True when only the request's `provider` control can bring this target in (another provider
   * serving the same bare id, outside the catalog): the allow-list then checks its
   * `provider/model` address.
   */
  viaProviderControl?: boolean;
}

/** Request-level routing fields (`provider`, `fallbacks`), removed before the request goes upstream. */
export interface RoutingControls {
  provider?: string | { order?: string[]; only?: string[]; ignore?: string[] };
  fallbacks?: string[];
}

/**
 * A resolved target, and whether it is an alternate: another provider that also serves the
 * model (a bare id's other matches; a catalog id's other providers when
 * `routing.provider_fallback` is off). Alternates are used only when provider controls are given.
 */
export interface Candidate {
  target: Target;
  alternate: boolean;
}

/**
 * The ordered targets for a request's `model` (docs/routing.md): `models:` entry, then
 * `provider/model`, then a catalog id, then a bare id; then the request's provider controls, then
 * its `fallbacks`, de-duplicated.
 * Throws 404 for an unknown model, 400 for controls naming unknown providers or leaving no target.
 */
export function resolveTargets(
  config: ResolvedConfig,
  model: string,
  controls: RoutingControls,
  state: RoutingState,
): Target[] {
  const providerControl = normalizeProviderControl(config, controls.provider);
  const primary = applyProviderControl(resolveCandidates(config, model, state, "model"), providerControl);
  if (primary.length === 0) {
    throw invalidRequest(
      `The provider controls leave no provider to serve the model '${model}'`,
      "provider",
      "no_provider_left",
    );
  }
  const targets = [...primary];
  (controls.fallbacks ?? []).forEach((fallback, index) => {
    const candidates = resolveCandidates(config, fallback, state, `fallbacks[${index}]`);
    targets.push(...applyProviderControl(candidates, providerControl));
  });
  return dedupeTargets(targets);
}

/** Resolves a model name as the router would, without request controls (listing, `check`). */
export function resolveModelTargets(config: ResolvedConfig, model: string, state: RoutingState): Target[] {
  return resolveCandidates(config, model, state, "model")
    .filter((candidate) => !candidate.alternate)
    .map((candidate) => candidate.target);
}

/** Throws when `model` resolves to nothing; `param` names the request field for the error. */
function resolveCandidates(
  config: ResolvedConfig,
  model: string,
  state: RoutingState,
  param: string,
): Candidate[] {
  const candidates = expandModel(config, model, state, new Set());
  if (!candidates) throw modelNotFound(model, param);
  return candidates;
}

/**
 * Expands one name; undefined when it resolves to nothing. `visiting` holds the aliases being
 * expanded: a name met again inside its own expansion is read as a provider/bare model id, so
 * `claude-sonnet-4-6: [claude-sonnet-4-6, openrouter/anthropic/claude-sonnet-4.6]` works and
 * alias cycles cannot loop. A name the catalog knows reaches every provider serving it, the one
 * the name points at (its `provider/` prefix, or the bare-id rules' pick) first.
 */
function expandModel(
  config: ResolvedConfig,
  model: string,
  state: RoutingState,
  visiting: Set<string>,
): Candidate[] | undefined {
  const route = config.models.get(model);
  if (route && !visiting.has(model)) return expandRoute(config, route, state, visiting);
  const addressed = resolveProviderModel(config, model);
  const bare = addressed ? undefined : resolveBareModel(config, model);
  const pointedAt = addressed
    ? { lead: addressed, addressed: true, others: [] }
    : { lead: bare?.[0]?.target, addressed: false, others: bare?.slice(1) ?? [] };
  const catalog = resolveCatalogModel(config, model, pointedAt);
  if (catalog) return catalog;
  if (addressed) return [{ target: addressed, alternate: false }];
  return bare;
}

function expandRoute(
  config: ResolvedConfig,
  route: ModelRoute,
  state: RoutingState,
  visiting: Set<string>,
): Candidate[] {
  const inner = new Set(visiting).add(route.name);
  const expanded = orderRouteTargets(route, state).map((entry) => {
    const candidates = expandModel(config, entry.model, state, inner);
    if (!candidates) {
      throw new GatewayError({
        kind: "not_found",
        status: 404,
        message: `The model '${route.name}' routes to '${entry.model}', which is not configured`,
        param: "model",
        code: "model_not_found",
      });
    }
    return candidates;
  });
  return expanded.flat();
}

/**
 * A group's targets in the order to try them: `ordered` as written; `weighted` the pick first,
 * then the others as written; `round_robin` the turn's target first, then the ones after it,
 * wrapping around.
 */
function orderRouteTargets(route: ModelRoute, state: RoutingState): ModelRoute["targets"] {
  const targets = route.targets;
  if (targets.length <= 1 || route.strategy === "ordered") return targets;
  if (route.strategy === "weighted") {
    const picked = state.pickWeighted(targets.map((target) => target.weight));
    return [targets[picked], ...targets.filter((_, index) => index !== picked)];
  }
  const turn = state.nextRoundRobin(route.name, targets.length);
  return [...targets.slice(turn), ...targets.slice(0, turn)];
}

/** `provider/model`, split at the first `/` only, when the prefix is a configured provider. */
function resolveProviderModel(config: ResolvedConfig, model: string): Target | undefined {
  const slash = model.indexOf("/");
  if (slash <= 0 || slash === model.length - 1) return undefined;
  const provider = config.providers.find((candidate) => candidate.name === model.slice(0, slash));
  return provider ? { provider, model: model.slice(slash + 1) } : undefined;
}

/**
 * A bare id: the providers that list it or whose preset prefixes claim it. The primary is the
 * only match, else the first (file order) that lists it, else the first prefix match; the other
 * matches are alternates, flagged for the allow-list's address check.
 */
function resolveBareModel(config: ResolvedConfig, model: string): Candidate[] | undefined {
  const listing = config.providers.filter((provider) => provider.models.includes(model));
  const claiming = config.providers.filter(
    (provider) =>
      !provider.models.includes(model) && provider.modelPrefixes.some((prefix) => model.startsWith(prefix)),
  );
  const matches = [...listing, ...claiming];
  if (matches.length === 0) return undefined;
  const primary = matches[0];
  const inFileOrder = config.providers.filter((provider) => matches.includes(provider));
  return [
    { target: { provider: primary, model }, alternate: false },
    ...inFileOrder
      .filter((provider) => provider !== primary)
      .map((provider) => ({ target: { provider, model, viaProviderControl: true }, alternate: true })),
  ];
}

interface ProviderControl {
  only?: string[];
  ignore?: string[];
  order?: string[];
}

/** Validates provider names in the controls; unknown names are a 400 naming them. */
function normalizeProviderControl(
  config: ResolvedConfig,
  control: RoutingControls["provider"],
): ProviderControl | undefined {
  if (control === undefined) return undefined;
  const normalized: ProviderControl = typeof control === "string" ? { only: [control] } : control;
  const known = new Set(config.providers.map((provider) => provider.name));
  for (const field of ["only", "ignore", "order"] as const) {
    const names = normalized[field];
    if (!names) continue;
    const unknown = names.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      const param = typeof control === "string" ? "provider" : `provider.${field}`;
      const list = unknown.map((name) => `'${name}'`).join(", ");
      throw invalidRequest(
        `Unknown provider ${list} in '${param}'; configured providers: ${[...known].join(", ")}`,
        param,
        "unknown_provider",
      );
    }
  }
  return normalized;
}

/**
 * Without controls: the primary targets. With controls: primaries and alternates, filtered by
 * `only`/`ignore`, and `order`'s providers moved to the front in that order.
 */
function applyProviderControl(candidates: Candidate[], control: ProviderControl | undefined): Target[] {
  if (!control || (!control.only && !control.ignore && !control.order)) {
    return candidates.filter((candidate) => !candidate.alternate).map((candidate) => candidate.target);
  }
  let targets = candidates.map((candidate) => candidate.target);
  const { only, ignore, order } = control;
  if (only) targets = targets.filter((target) => only.includes(target.provider.name));
  if (ignore) targets = targets.filter((target) => !ignore.includes(target.provider.name));
  if (order) {
    const rank = (target: Target): number => {
      const index = order.indexOf(target.provider.name);
      return index === -1 ? order.length : index;
    };
    // Array.prototype.sort is stable: the unnamed providers keep their resolved order.
    targets = [...targets].sort((a, b) => rank(a) - rank(b));
  }
  return targets;
}

function dedupeTargets(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const id = `${target.provider.name}\u0000${target.model}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function modelNotFound(model: string, param: string): GatewayError {
  return new GatewayError({
    kind: "not_found",
    status: 404,
    message: `The model '${model}' does not exist or is not configured`,
    param,
    code: "model_not_found",
  });
}
