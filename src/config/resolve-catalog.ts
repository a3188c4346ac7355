import { canonicalOfVendorId } from "../catalog/canonical-id.ts";
import { splitVendorId } from "../catalog/vendor-of.ts";
import { presetFor } from "../providers/presets.ts";
import type { ProblemList } from "./problem-list.ts";
import type { RawConfig } from "./schema.ts";
import type { CatalogOverrides, ResolvedProvider } from "./types.ts";

/**
 * The `catalog:` section: each id must be `vendor/model` in canonical spelling (the spelling
 * requests are normalised to, so an entry written otherwise would never be found), and each
 * provider a configured provider's name or a preset's name (`bailian` is stored as `qwen`).
 */
export function resolveCatalog(
  raw: RawConfig["catalog"],
  providers: ResolvedProvider[],
  problems: ProblemList,
): CatalogOverrides {
  const catalog = new Map<string, ReadonlyMap<string, string | false>>();
  const providerNames = new Set(providers.map((provider) => provider.name));
  for (const [id, natives] of Object.entries(raw ?? {})) {
    const path = ["catalog", id];
    if (!splitVendorId(id) || /\s/.test(id)) {
      problems.add(path, "a catalog id is `vendor/model`, e.g. `anthropic/claude-opus-4.8`", true);
      continue;
    }
    const canonical = canonicalOfVendorId(id);
    if (canonical !== undefined && canonical !== id) {
      problems.add(path, `write this id as \`${canonical}\` (requests are matched by that spelling)`, true);
      continue;
    }
    const entry = new Map<string, string | false>();
    for (const [name, native] of Object.entries(natives)) {
      const key = providerNames.has(name) ? name : presetFor(name)?.name;
      if (key === undefined) {
        const configured = [...providerNames].join(", ") || "none";
        problems.add(
          [...path, name],
          `names \`${name}\`, which is neither a configured provider (configured: ${configured}) nor a preset`,
          true,
        );
        continue;
      }
      entry.set(key, native);
    }
    catalog.set(id, entry);
  }
  return catalog;
}
