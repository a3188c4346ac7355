/**
 * Path of the Scalar bundle's gzip-compressed copy inside the compiled binary. Running from source
 * it is null and the copy is made on the first request that accepts gzip (static-asset.ts);
 * scripts/build.ts compresses the bundle at build time and replaces this module with an import of
 * the copy (`type: "file"`), so a visit to /docs compresses nothing and keeps nothing.
 */
export const EMBEDDED_SCALAR_GZIP: string | null = null;
