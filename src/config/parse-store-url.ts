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

/**
 * The URL schemes the Redis limiter connects with: `redis://`, `valkey://`, and their TLS forms
 * `rediss://`, `valkeys://`. One test for the config check and the limiter, so they agree.
 */
export function isRedisUrl(text: string): boolean {
  if (!/^(redis|rediss|valkey|valkeys):\/\/\S+$/i.test(text)) return false;
  try {
    return new URL(text).hostname !== "";
  } catch {
    return false;
  }
}

/** `memory` or a `redis://`, `rediss://`, `valkey://` or `valkeys://` URL; null otherwise. */
export function parseLimitsStore(text: string): string | null {
  const value = text.trim();
  if (value === "memory") return value;
  if (isRedisUrl(value)) return value;
  return null;
}
