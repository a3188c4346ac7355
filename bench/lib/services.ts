/** Starting and stopping the processes a benchmark run measures: the mock, Switchboard, the peer. */
import type { Subprocess } from "bun";

export interface Service {
  name: string;
  pid: number;
  baseUrl: string;
  stop(): Promise<void>;
}

/** A loopback port that was free a moment ago (the OS picks it). */
export function findFreePort(): number {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = server.port ?? 0;
  server.stop(true);
  return port;
}

/** Prefixes `taskset -c <cores>` when pinning is asked for, so every child lands on its core. */
export function pinned(cmd: string[], cores: string | undefined): string[] {
  return cores ? ["taskset", "-c", cores, ...cmd] : cmd;
}

/** Polls `url` until it answers 200, or throws after `timeoutMs` with what the process said. */
export async function waitForOk(
  url: string,
  proc: Subprocess,
  timeoutMs: number,
  init?: RequestInit,
  pollMs = 5,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (proc.exitCode !== null)
      throw new Error(`${url}: process exited with ${proc.exitCode} before answering`);
    try {
      const response = await fetch(url, init);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(pollMs);
  }
  throw new Error(`${url}: no 200 within ${timeoutMs} ms`);
}

export async function stopProcess(proc: Subprocess, graceMs = 3000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill("SIGTERM");
  const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(graceMs).then(() => false)]);
  if (!exited) {
    proc.kill("SIGKILL");
    await proc.exited;
  }
}

async function readFirstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text.split("\n", 1)[0] ?? "";
}

/** A Bun script that prints {"port":N} once listening: the mock, or the bare proxy. */
export async function startPortPrinter(
  name: string,
  argv: string[],
  cores: string | undefined,
  env: Record<string, string> = {},
): Promise<Service> {
  const proc = Bun.spawn(pinned(["bun", ...argv, "--port", "0"], cores), {
    stdout: "pipe",
    stderr: "inherit",
    env: { ...process.env, ...env },
  });
  const line = await readFirstLine(proc.stdout);
  const parsed: unknown = JSON.parse(line);
  const port =
    typeof parsed === "object" && parsed !== null && "port" in parsed && typeof parsed.port === "number"
      ? parsed.port
      : 0;
  if (!port) throw new Error(`${name} printed no port: ${line}`);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForOk(`${baseUrl}/health`, proc, 5000);
  return { name, pid: proc.pid, baseUrl, stop: () => stopProcess(proc) };
}

export function startMock(entry: string, cores: string | undefined): Promise<Service> {
  return startPortPrinter("mock", [entry], cores);
}

/**
 * The gateway's bench config, every provider on the mock, usage store off, open: `mock-openai`
 * (Chat Completions), `mock-responses` (the same type with `responses: true`: every model called
 * on `{base_url}/responses`) and `mock-anthropic`.
 */
export function toSwitchboardConfig(mockBaseUrl: string, port: number): string {
  return `server:
  host: 127.0.0.1
  port: ${port}
providers:
  mock-openai:
    type: openai
    base_url: ${mockBaseUrl}/v1
    api_key: sk-bench-upstream
  mock-responses:
    type: openai
    base_url: ${mockBaseUrl}/v1
    api_key: sk-bench-upstream
    responses: true
  mock-anthropic:
    type: anthropic
    base_url: ${mockBaseUrl}
    api_key: sk-bench-upstream
usage:
  store: off
`;
}

export interface SwitchboardStart {
  /** argv before `serve`: the compiled binary, or `bun src/main.ts`. */
  command: string[];
  configPath: string;
  port: number;
  cores: string | undefined;
  env?: Record<string, string>;
}

export async function startSwitchboard(start: SwitchboardStart): Promise<Service & { startupMs: number }> {
  const started = performance.now();
  const proc = Bun.spawn(
    pinned(
      [...start.command, "serve", "--config", start.configPath, "--port", String(start.port)],
      start.cores,
    ),
    // Request logs are JSON lines on stdout: writing them to a terminal would be measured too.
    { stdout: "ignore", stderr: "pipe", env: { ...process.env, NODE_ENV: "production", ...start.env } },
  );
  const baseUrl = `http://127.0.0.1:${start.port}`;
  try {
    await waitForOk(`${baseUrl}/ready`, proc, 15_000);
  } catch (error) {
    proc.kill("SIGKILL");
    const stderr = await new Response(proc.stderr).text();
    throw new Error(`switchboard did not become ready: ${String(error)}\n${stderr.slice(0, 2000)}`);
  }
  const startupMs = performance.now() - started;
  // Drain stderr so warnings never block the process on a full pipe.
  void new Response(proc.stderr).text();
  return { name: "switchboard", pid: proc.pid, baseUrl, startupMs, stop: () => stopProcess(proc) };
}
