/**
 * Runs a script in a fresh `bun` process from the repository root, where nothing has been imported
 * yet: for the tests that check which modules a step evaluates (`require.cache`). The script (ES
 * module text, `await` allowed) prints one JSON value; it is returned parsed. A process that exits
 * with an error fails the test.
 */
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dir, "../..");

/** A repository path as a string literal for the script's `import(…)`. */
export const repoModule = (path: string): string => JSON.stringify(join(REPO_ROOT, path));

export async function runInFreshProcess(script: string): Promise<unknown> {
  const child = Bun.spawn([process.execPath, "-e", script], {
    cwd: REPO_ROOT,
    stdout: "pipe",
    stderr: "inherit",
  });
  const output = await new Response(child.stdout).text();
  const code = await child.exited;
  if (code !== 0) throw new Error(`the fresh process exited with ${code}; it printed: ${output}`);
  return JSON.parse(output);
}

/**
 * Script text that builds the app as `serve` does (usage off, no store configured), leaving
 * `loadConfigFromText`, `runtime` and `app` in scope: what every module is checked against.
 */
export const BUILD_APP_SCRIPT = `
  const { loadConfigFromText } = await import(${repoModule("src/config/load-config.ts")});
  const { createRuntime } = await import(${repoModule("src/gateway/runtime.ts")});
  const { createApp } = await import(${repoModule("src/server/app.ts")});
  const { createLogger } = await import(${repoModule("src/log/logger.ts")});
  const config = loadConfigFromText("usage:\\n  store: off\\n", "/srv/s.yaml", {});
  const runtime = await createRuntime(config, { version: "9.9.9", logger: createLogger(() => {}) });
  const app = createApp(runtime);`;
