import { catalogIdsInUse } from "../catalog/serving-targets.ts";
import type { ResolvedConfig } from "../config/types.ts";

/**
 * The `switchboard check` lines for the model catalog: each canonical id the configured
 * providers serve, with every provider serving it and the id that provider is called with,
 * in config order (the order failover follows unless the id names one of them).
 */
export function describeCatalog(config: ResolvedConfig): string[] {
  const inUse = catalogIdsInUse(config);
  const fallback = config.routing.providerFallback ? "on" : "off";
  const lines = [
    `Catalog (${inUse.length} ${inUse.length === 1 ? "id" : "ids"} served, provider fallback ${fallback}):`,
  ];
  for (const { id, targets } of inUse) {
    lines.push(
      `  ${id} -> ${targets.map((target) => `${target.provider.name} (${target.model})`).join(", ")}`,
    );
  }
  return lines;
}
