/** Start-up time of the gateway: from exec to the first 200 from /ready. */
import { median } from "./percentiles.ts";
import { findFreePort, pinned, stopProcess } from "./services.ts";
import { waitForIdle } from "./wait-for-idle.ts";

const POLL_MS = 2;

async function startOnce(command: string[], configPath: string, cores: string | undefined): Promise<number> {
  const port = findFreePort();
  const url = `http://127.0.0.1:${port}/ready`;
  const started = performance.now();
  const proc = Bun.spawn(
    pinned([...command, "serve", "--config", configPath, "--port", String(port)], cores),
    {
      stdout: "ignore",
      stderr: "ignore",
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  try {
    while (performance.now() - started < 15_000) {
      if (proc.exitCode !== null) throw new Error(`gateway exited with ${proc.exitCode} during start-up`);
      try {
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.status === 200) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await Bun.sleep(POLL_MS);
    }
    throw new Error("gateway not ready within 15 s");
  } finally {
    await stopProcess(proc);
  }
}

export async function measureStartup(
  command: string[],
  configPath: string,
  runs: number,
  cores: string | undefined,
): Promise<{ runsMs: number[]; medianMs: number }> {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    await waitForIdle(0.1, 200, 3000);
    runsMs.push(await startOnce(command, configPath, cores));
  }
  return { runsMs, medianMs: median(runsMs) };
}
