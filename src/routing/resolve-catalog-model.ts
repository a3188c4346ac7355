import { canonicalIdOf } from "../catalog/canonical-id.ts";
import { nativeIdFor } from "../catalog/native-id.ts";
import { servingTargets } from "../catalog/serving-targets.ts";
import type { ResolvedConfig } from "../config/types.ts";
import type { Candidate, Target } from "./resolve-targets.ts";

/** What a name means before the catalog is asked. */
export interface PointedAt {
  /** The `provider/model` address, or the bare-id rules' pick (the name sent as written). */
  lead: Target | undefined;
  /** True when `lead` is a `provider/model` address. */
  addressed: boolean;
  /** The bare-id rules' other matches (alternates, checked by address when a control picks them). */
  others: Candidate[];
}

/**
 * A name the catalog knows (docs/routing.md, "Which model a name means"): every configured
 * provider serving its entry, each called with its own native id. The provider the name points
 * at goes first, the others follow in config order: as fallbacks, or as alternates only the
 * `provider` control reaches when `routing.provider_fallback` is off. Undefined (the rules
 * without the catalog apply) when the catalog does not know the name, no configured provider
 * serves it, or the name addresses a provider the catalog knows nothing about for it.
 */
export function resolveCatalogModel(
  config: ResolvedConfig,
  model: string,
  pointedAt: PointedAt,
): Candidate[] | undefined {
  const canonical = canonicalIdOf(model, config.catalog);
  if (canonical === undefined) return undefined;
  const { lead, addressed, others } = pointedAt;
  const leadModel = lead && nativeIdFor(lead.provider, canonical, config.catalog);
  if (addressed && leadModel === undefined) return undefined;
  const serving = servingTargets(config, canonical);
  if (serving.length === 0) return undefined;

  const ordered: Target[] = [];
  // A provider the catalog does not know (one that lists the bare id, or claims it by prefix) gets the name as written.
  if (lead && leadModel !== false) ordered.push({ provider: lead.provider, model: leadModel ?? lead.model });
  for (const target of serving) {
    if (!ordered.some((taken) => taken.provider === target.provider)) ordered.push(target);
  }
  const fallback = config.routing.providerFallback;
  const candidates = ordered.map((target, index) => ({ target, alternate: index > 0 && !fallback }));
  const refused =
    lead && leadModel === false ? [{ target: { ...lead, viaProviderControl: true }, alternate: true }] : [];
  const extras = [...refused, ...others].filter(
    (candidate) => !ordered.some((taken) => taken.provider === candidate.target.provider),
  );
  return [...candidates, ...extras];
}
