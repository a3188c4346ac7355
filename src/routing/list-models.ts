import { catalogIdsInUse } from "../catalog/serving-targets.ts";
import type { ResolvedConfig } from "../config/types.ts";

export interface ListedModel {
  id: string;
  /** `switchboard` for aliases, else the configured provider name that serves the id (first). */
  ownedBy: string;
}

/**
 * Every model name a request may use, for /v1/models: aliases from `models:` first, then the
 * catalog's canonical ids that configured providers serve (owned by the first of them), then
 * each provider's listed models as `provider/model`, then the bare ids (owned by the provider
 * bare-id routing picks: the first in file order that lists them). Prefix-claimed ids and ids
 * only the catalog's spelling rules know are unbounded and not listed. The caller filters by the
 * key's allow-list.
 */
export function listModels(config: ResolvedConfig): ListedModel[] {
  const listed: ListedModel[] = [];
  const seen = new Set<string>();
  const add = (id: string, ownedBy: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    listed.push({ id, ownedBy });
  };
  for (const name of config.models.keys()) add(name, "switchboard");
  for (const { id, targets } of catalogIdsInUse(config)) add(id, targets[0]?.provider.name ?? "switchboard");
  for (const provider of config.providers) {
    for (const model of provider.models) add(`${provider.name}/${model}`, provider.name);
  }
  for (const provider of config.providers) {
    for (const model of provider.models) add(model, provider.name);
  }
  return listed;
}
