import type { CatalogOverrides, ResolvedProvider } from "../config/types.ts";
import { CANONICAL_ID_HOSTS, CATALOG_CLOUDS, CATALOG_ENTRIES } from "./catalog-data.ts";
import { toNativeModel } from "./native-style.ts";
import { splitVendorId, vendorNamed } from "./vendor-of.ts";

/**
 * The id a preset's API knows a canonical model by, from the built-in catalog: the entry's own
 * id for that preset if it has one (`false`: not served there), else the vendor's own API by its
 * native style, else the canonical id itself on hosts like OpenRouter; undefined when the preset
 * is not known to serve it.
 */
export function builtinNativeId(canonical: string, preset: string): string | false | undefined {
  const entry = Object.hasOwn(CATALOG_ENTRIES, canonical) ? CATALOG_ENTRIES[canonical] : undefined;
  if (entry && Object.hasOwn(entry, preset)) return entry[preset];
  const split = splitVendorId(canonical);
  const named = split && vendorNamed(split.vendor);
  if (!split || !named || named.name !== split.vendor) return undefined;
  if (named.vendor.directPreset === preset) return toNativeModel(named.vendor.nativeStyle, split.model);
  const cloud = Object.hasOwn(CATALOG_CLOUDS, preset)
    ? CATALOG_CLOUDS[preset as keyof typeof CATALOG_CLOUDS]
    : null;
  const cloudStyle =
    cloud && Object.hasOwn(cloud.vendors, split.vendor) ? cloud.vendors[split.vendor] : undefined;
  if (cloudStyle) return toNativeModel(cloudStyle, split.model);
  return CANONICAL_ID_HOSTS.includes(preset) ? canonical : undefined;
}

/**
 * The id a configured provider is called with for a canonical model: the config's `catalog:`
 * (by provider name, then by preset), then the built-in catalog (by preset), then the
 * provider's own `models:` when it lists the canonical id. `false`: the catalog says this
 * provider does not serve it; undefined: the catalog does not know this provider for it.
 */
export function nativeIdFor(
  provider: ResolvedProvider,
  canonical: string,
  overrides: CatalogOverrides,
): string | false | undefined {
  const configured = overrides.get(canonical);
  const fromConfig =
    configured?.get(provider.name) ??
    (provider.preset === undefined ? undefined : configured?.get(provider.preset));
  if (fromConfig !== undefined) return fromConfig;
  // A cloud is known to the catalog by its type (`bedrock`, `vertex`, `azure`).
  const catalogName = provider.preset ?? (CATALOG_CLOUDS[provider.type] ? provider.type : undefined);
  const builtin = catalogName === undefined ? undefined : builtinNativeId(canonical, catalogName);
  if (builtin !== undefined) return builtin;
  return provider.models.includes(canonical) ? canonical : undefined;
}
