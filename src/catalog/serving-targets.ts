import type { ResolvedConfig, ResolvedProvider } from "../config/types.ts";
import { canonicalIdOf } from "./canonical-id.ts";
import { CATALOG_ENTRIES } from "./catalog-data.ts";
import { nativeIdFor } from "./native-id.ts";

/** A configured provider serving a catalog entry, and the id it is called with. */
export interface CatalogTarget {
  provider: ResolvedProvider;
  model: string;
}

/** Every configured provider that serves the canonical id, in config order, each with its native id. */
export function servingTargets(
  config: Pick<ResolvedConfig, "providers" | "catalog">,
  canonical: string,
): CatalogTarget[] {
  const targets: CatalogTarget[] = [];
  for (const provider of config.providers) {
    const model = nativeIdFor(provider, canonical, config.catalog);
    if (typeof model === "string") targets.push({ provider, model });
  }
  return targets;
}

export interface CatalogIdInUse {
  id: string;
  targets: CatalogTarget[];
}

/**
 * The canonical ids configured providers serve, for `/v1/models` and `switchboard check`: the
 * config's `catalog:` entries, the canonical ids of the models providers list, then the built-in
 * entries. Ids that only the spelling rules know (any `anthropic/claude-…`) are open-ended and
 * not listed.
 */
export function catalogIdsInUse(config: Pick<ResolvedConfig, "providers" | "catalog">): CatalogIdInUse[] {
  const listed = config.providers.flatMap((provider) =>
    provider.models.map((model) => canonicalIdOf(model, config.catalog)),
  );
  const ids = new Set(
    [...config.catalog.keys(), ...listed, ...Object.keys(CATALOG_ENTRIES)].filter(
      (id): id is string => id !== undefined,
    ),
  );
  return [...ids]
    .map((id) => ({ id, targets: servingTargets(config, id) }))
    .filter((entry) => entry.targets.length > 0);
}
