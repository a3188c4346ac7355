/**
 * The compiled binary the e2e tests drive: `$SWITCHBOARD_BINARY` when set (CI builds once and
 * says where), else `dist/switchboard`, rebuilt first when it is missing or older than any source.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildBinary, DEFAULT_ENTRY, DEFAULT_OUTFILE, ROOT } from "./build.ts";

/** Inputs whose change makes a built binary stale. */
const SOURCE_INPUTS = ["src", "package.json", "bun.lock"];

function newestMtimeMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

export function isBinaryStale(binary: string, root = ROOT): boolean {
  if (!existsSync(binary)) return true;
  const builtAt = statSync(binary).mtimeMs;
  return SOURCE_INPUTS.some((input) => {
    const path = join(root, input);
    return existsSync(path) && newestMtimeMs(path) > builtAt;
  });
}

let pending: Promise<string> | undefined;

/** Path of an up-to-date binary; builds at most once per process (test files share it). */
export function ensureBinary(): Promise<string> {
  pending ??= resolveBinary();
  return pending;
}

async function resolveBinary(): Promise<string> {
  const fromEnv = process.env.SWITCHBOARD_BINARY;
  if (fromEnv) {
    // Absolute: tests spawn it from temporary working directories.
    const path = resolve(fromEnv);
    if (!existsSync(path)) throw new Error(`SWITCHBOARD_BINARY=${fromEnv} does not exist`);
    return path;
  }
  if (!existsSync(DEFAULT_ENTRY)) throw new Error(`${DEFAULT_ENTRY} does not exist yet: nothing to compile`);
  if (isBinaryStale(DEFAULT_OUTFILE)) {
    const built = await buildBinary();
    console.log(
      `built ${built.path} (${(built.bytes / 1048576).toFixed(1)} MiB) in ${Math.round(built.ms)} ms`,
    );
  }
  return DEFAULT_OUTFILE;
}
