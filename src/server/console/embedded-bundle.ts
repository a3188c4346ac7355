/**
 * Path of the console's browser bundle inside the compiled binary. Running from source it is null
 * and the bundle is built from src/server/console/ui/ on the first visit (bundle-console.ts);
 * scripts/build.ts bundles the UI first and replaces this module with an import of that file
 * (`type: "file"`), so the binary carries it and reads it only when /console is opened.
 */
export const EMBEDDED_CONSOLE_BUNDLE: string | null = null;
/** Its gzip-compressed copy, made by scripts/build.ts (null from source: compressed on first use). */
export const EMBEDDED_CONSOLE_BUNDLE_GZIP: string | null = null;
