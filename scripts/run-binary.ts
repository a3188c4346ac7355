/**
 * Start the compiled gateway as a child process on a free loopback port and wait until it is
 * ready. Shared by the e2e tests (test/e2e/binary.test.ts, test/e2e/docs-page.test.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

/** A port the kernel just handed out and released; good enough for a test on loopback. */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response(null) });
  const port = probe.port;
  probe.stop(true);
  if (port === undefined) throw new Error("could not obtain a free port");
  return port;
}

/** A config that starts with one keyless local provider and no usage store. */
export function minimalConfigYaml(port: number, extra = ""): string {
  return [
    "server:",
    "  host: 127.0.0.1",
    `  port: ${port}`,
    "  drain_timeout: 2s",
    "providers:",
    "  local:",
    "    type: openai",
    // Nothing listens on the discard port: requests that reach it fail fast, none leave the host.
    "    base_url: http://127.0.0.1:9/v1",
    "    models: [test-model]",
    "usage:",
    '  store: "off"',
    extra,
  ].join("\n");
}

/** A fresh directory holding `switchboard.yaml`; also the child's cwd so no stray config is found. */
export function writeConfigDir(yaml: string): { dir: string; configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-e2e-"));
  const configPath = join(dir, "switchboard.yaml");
  writeFileSync(configPath, yaml);
  return { dir, configPath };
}

/** Only what a process needs: no provider keys from the developer's shell leak into zero-config. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...extra };
}

export interface RunningBinary {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  port: number;
  baseUrl: string;
  /** Milliseconds from spawn to the first 200 from `/ready`. */
  readyMs: number;
  output(): { stdout: string; stderr: string };
  /** Send `signal` (SIGTERM by default) and resolve with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function collect(stream: ReadableStream<Uint8Array>): { text(): string } {
  const decoder = new TextDecoder();
  let text = "";
  void (async () => {
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  })();
  return { text: () => text };
}

export interface StartOptions {
  binary: string;
  /** Arguments after the binary, e.g. `["serve", "--config", path]`. */
  args: string[];
  port: number;
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function startBinary(options: StartOptions): Promise<RunningBinary> {
  const started = performance.now();
  const proc = Bun.spawn([options.binary, ...options.args], {
    cwd: options.cwd,
    env: options.env ?? isolatedEnv(),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const stdout = collect(proc.stdout);
  const stderr = collect(proc.stderr);
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const output = () => ({ stdout: stdout.text(), stderr: stderr.text() });
  const deadline = started + (options.timeoutMs ?? 15_000);

  while (true) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      const { stdout: out, stderr: err } = output();
      throw new Error(
        `switchboard exited (${proc.exitCode ?? proc.signalCode}) before ready:\n${out}\n${err}`,
      );
    }
    const ready = await fetch(`${baseUrl}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    if (performance.now() > deadline) {
      proc.kill("SIGKILL");
      const { stdout: out, stderr: err } = output();
      throw new Error(`switchboard not ready on ${baseUrl} in time:\n${out}\n${err}`);
    }
    await Bun.sleep(5);
  }
  const readyMs = performance.now() - started;

  return {
    proc,
    port: options.port,
    baseUrl,
    readyMs,
    output,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return proc.exited;
    },
  };
}

/** Resident set size of a live process in bytes (Linux /proc); undefined elsewhere. */
export async function readRssBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await Bun.file(`/proc/${pid}/status`).text();
    const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kib ? Number(kib) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
