import { CATALOG_VENDORS, type CatalogVendor } from "./catalog-data.ts";

export interface NamedVendor {
  /** The vendor segment of canonical ids (`google` for `gemini/…` too). */
  name: string;
  vendor: CatalogVendor;
}

const BY_SEGMENT: ReadonlyMap<string, NamedVendor> = new Map(
  Object.entries(CATALOG_VENDORS).flatMap(([name, vendor]) =>
    [name, ...vendor.aliases].map((segment) => [segment, { name, vendor }] as const),
  ),
);

/** The vendor a first id segment names, by its canonical name or an alias. */
export function vendorNamed(segment: string): NamedVendor | undefined {
  return BY_SEGMENT.get(segment);
}

/** `vendor/model` split at the first `/`; undefined when either side is empty. */
export function splitVendorId(id: string): { vendor: string; model: string } | undefined {
  const slash = id.indexOf("/");
  if (slash <= 0 || slash === id.length - 1) return undefined;
  return { vendor: id.slice(0, slash), model: id.slice(slash + 1) };
}
