import { isAbsolute, resolve } from "node:path";
import type { UsageStoreConfig } from "./types.ts";

/**
 * `off`, `sqlite:PATH` (relative paths are relative to `baseDir`, the config file's folder;
 * `sqlite::memory:` is an in-memory database) or `postgres://…`/`postgresql://…`.
 * Null when it is none of these.
 */
export function parseUsageStore(text: string, baseDir: string): UsageStoreConfig | null {
  const value = text.trim();
  if (value === "off") return { kind: "off" };
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: "postgres", url: value };
  if (value.startsWith("sqlite:")) {
    // `sqlite:///abs/file.db` is the URL spelling of `sqlite:/abs/file.db`.
    let path = value.slice("sqlite:".length);
    if (path.startsWith("//")) path = path.slice(2);
    if (path === "") return null;
    if (path === ":memory:") return { kind: "sqlite", path };
    return { kind: "sqlite", path: isAbsolute(path) ? path : resolve(baseDir, path) };
  }
  return null;
}

/** `memory` or a `redis://` / `rediss://` URL; null otherwise. */
export function parseLimitsStore(text: string): string | null {
  const value = text.trim();
  if (value === "memory") return value;
  if (/^rediss?:\/\/\S+$/.test(value)) return value;
  return null;
}
