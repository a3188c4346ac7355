/** A size as written in config: `10MiB`, `512KB`, `1GiB`, `100B`, or a plain number of bytes. */
export const SIZE_PATTERN = "^\\s*[0-9]+(\\.[0-9]+)?\\s*([kKmMgG][iI]?[bB]|[bB])?\\s*$";

// SI units are powers of 1000, IEC units (with `i`) powers of 1024, as everywhere else.
const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Bytes for a config size, or null when it is not one. Units are case-insensitive. */
export function parseSize(value: string | number): number | null {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? value : null;
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmg]i?b|b)?\s*$/i.exec(value);
  if (!match) return null;
  return Math.round(Number(match[1]) * UNIT_BYTES[(match[2] ?? "b").toLowerCase()]);
}
