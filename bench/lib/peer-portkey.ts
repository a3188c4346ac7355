/**
 * The peer gateway: Portkey's open-source gateway from the npm registry, installed on demand into
 * a cache folder (never a project dependency). It runs under Bun by default: under Node 20
 * (what this machine has) version 1.15.2 answers every stream with 500 ("TypeError: immutable",
 * it appends headers to a fetch Response), so `--peer-runtime node` is only good for JSON cells.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { pinned, type Service, stopProcess, waitForOk } from "./services.ts";

export const PORTKEY_PACKAGE = "@portkey-ai/gateway";
export const PORTKEY_DEFAULT_VERSION = "1.15.2";

export type PeerRuntime = "bun" | "node";

export function portkeyCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "switchboard-bench", "portkey");
}

function readInstalledVersion(dir: string): string | undefined {
  const manifest = join(dir, "node_modules", PORTKEY_PACKAGE, "package.json");
  if (!existsSync(manifest)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(manifest, "utf8"));
  return typeof parsed === "object" &&
    parsed !== null &&
    "version" in parsed &&
    typeof parsed.version === "string"
    ? parsed.version
    : undefined;
}

export interface InstalledPortkey {
  entry: string;
  version: string;
}

/** Installs the wanted version with npm unless it is already in the cache. */
export async function ensurePortkey(version: string, dir = portkeyCacheDir()): Promise<InstalledPortkey> {
  const entry = join(dir, "node_modules", PORTKEY_PACKAGE, "build", "start-server.js");
  if (readInstalledVersion(dir) !== version || !existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`installing ${PORTKEY_PACKAGE}@${version} into ${dir} …\n`);
    const proc = Bun.spawn(
      [
        "npm",
        "install",
        "--prefix",
        dir,
        "--no-audit",
        "--no-fund",
        "--no-save",
        `${PORTKEY_PACKAGE}@${version}`,
      ],
      { stdout: "ignore", stderr: "pipe" },
    );
    const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    if (code !== 0)
      throw new Error(`npm install ${PORTKEY_PACKAGE}@${version} failed:\n${stderr.slice(-2000)}`);
  }
  return { entry, version: readInstalledVersion(dir) ?? version };
}

export async function startPortkey(
  installed: InstalledPortkey,
  port: number,
  runtime: PeerRuntime,
  cores: string | undefined,
  env: Record<string, string> = {},
): Promise<Service> {
  const proc = Bun.spawn(pinned([runtime, installed.entry, `--port=${port}`, "--headless"], cores), {
    stdout: "ignore",
    stderr: "ignore",
    // Production mode skips its log-streaming UI; its start-up spinner still runs (after listen).
    env: { ...process.env, NODE_ENV: "production", ...env },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForOk(`${baseUrl}/`, proc, 20_000);
  return { name: "peer", pid: proc.pid, baseUrl, stop: () => stopProcess(proc) };
}
