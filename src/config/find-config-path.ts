import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Env } from "./expand-env.ts";

export const SYSTEM_CONFIG_PATH = "/etc/switchboard/switchboard.yaml";

/**
 * Config file lookup (docs/configuration.md): `--config`, else `$SWITCHBOARD_CONFIG`, else `./switchboard.yaml`, else
 * `/etc/switchboard/switchboard.yaml`, else null (zero-config mode). An explicit path is
 * returned even when missing, so loading it reports the error rather than silently falling
 * back to zero-config. `exists` is injectable for tests.
 */
export function findConfigPath(
  cliPath: string | undefined,
  env: Env,
  exists: (path: string) => boolean = existsSync,
): string | null {
  if (cliPath) return resolve(cliPath);
  if (env.SWITCHBOARD_CONFIG) return resolve(env.SWITCHBOARD_CONFIG);
  const local = resolve("switchboard.yaml");
  if (exists(local)) return local;
  if (exists(SYSTEM_CONFIG_PATH)) return SYSTEM_CONFIG_PATH;
  return null;
}
