import type { CatalogOverrides } from "../config/types.ts";
import { presetFor } from "../providers/presets.ts";
import { CATALOG_ENTRIES, CATALOG_VENDORS } from "./catalog-data.ts";
import { builtinNativeId } from "./native-id.ts";
import { toCanonicalModel } from "./native-style.ts";
import { splitVendorId, vendorNamed } from "./vendor-of.ts";

/**
 * The catalog entry a model name means, as its canonical id: a `catalog:` id of the config as
 * written, a `vendor/model` of a known vendor (canonicalOfVendorId), or a vendor's own API id
 * (canonicalOfNativeId); undefined when the catalog does not know the name.
 */
export function canonicalIdOf(name: string, overrides: CatalogOverrides): string | undefined {
  if (overrides.has(name)) return name;
  return name.includes("/") ? canonicalOfVendorId(name) : canonicalOfNativeId(name);
}

/**
 * `vendor/model` spelled canonically: a vendor alias becomes the vendor (`gemini/…` →
 * `google/…`) and the model part is read in the vendor's native style (`anthropic/claude-opus-4-8`
 * → `anthropic/claude-opus-4.8`). Undefined when the vendor is not known.
 */
export function canonicalOfVendorId(id: string): string | undefined {
  const split = splitVendorId(id);
  const named = split && vendorNamed(split.vendor);
  if (!split || !named) return undefined;
  return `${named.name}/${toCanonicalModel(named.vendor.nativeStyle, split.model)}`;
}

/** The catalog's own native ids of the vendors' APIs (those the rules would not derive). */
const LISTED_DIRECT_IDS: ReadonlyMap<string, string> = new Map(
  Object.entries(CATALOG_ENTRIES).flatMap(([canonical, natives]) => {
    const vendor = splitVendorId(canonical)?.vendor;
    const preset = vendor === undefined ? undefined : CATALOG_VENDORS[vendor]?.directPreset;
    const native = preset === undefined ? undefined : natives[preset];
    return typeof native === "string" ? [[native, canonical] as const] : [];
  }),
);

/**
 * A bare id as the vendor's own API spells it (`claude-opus-4-8`, `gpt-5.5`, `MiniMax-M2.5`):
 * claimed by the prefixes of the vendor's preset, and spelled (up to letter case) the way the
 * catalog would call that API for the canonical id. `claude-sonnet-4.6` is not such an id
 * (Anthropic's API spells it with dashes), so it is left to the bare-id rules.
 */
export function canonicalOfNativeId(id: string): string | undefined {
  const listed = LISTED_DIRECT_IDS.get(id);
  if (listed !== undefined) return listed;
  for (const [name, vendor] of Object.entries(CATALOG_VENDORS)) {
    const preset = vendor.directPreset === undefined ? undefined : presetFor(vendor.directPreset);
    if (!preset?.modelPrefixes.some((prefix) => id.startsWith(prefix))) continue;
    const canonical = `${name}/${toCanonicalModel(vendor.nativeStyle, id)}`;
    const native = builtinNativeId(canonical, preset.name);
    if (typeof native === "string" && native.toLowerCase() === id.toLowerCase()) return canonical;
  }
  return undefined;
}
