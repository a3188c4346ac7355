/**
 * The gateway under soak, as operators run it: a subprocess (`bun src/main.ts serve` or the
 * compiled binary) with a config file, SQLite usage in a temporary folder, JSON log lines on
 * stdout. Every log line is scanned for secrets as it arrives; fds and RSS are read from /proc.
 */
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";

/** Every secret the soak config holds; none may appear in any answer or log line. */
export const SOAK_SECRETS = {
  masterKey: "sk-soak-master-41c7e2a9",
  appKey: "sk-soak-app-9e03b5d8",
  openaiKey: "sk-soak-openai-2f8a6c14",
  openaiSecondKey: "sk-soak-openai-two-7d1e9b03",
  anthropicKey: "soak-anthropic-key-5b2c8f61",
  geminiKey: "soak-gemini-key-0a9d4e72",
  tenantHeader: "soak-tenant-header-6c3f1a85",
} as const;
export const SECRET_VALUES: readonly string[] = Object.values(SOAK_SECRETS);

export interface GatewayConfigOptions {
  upstreamUrl: string;
  dbPath: string;
  /** Alternated on each SIGHUP reload so a reload really changes something. */
  retries: number;
}

export function soakConfig(o: GatewayConfigOptions): string {
  const s = SOAK_SECRETS;
  return `server:
  host: 127.0.0.1
  port: 0
  idle_timeout: 5s
  read_timeout: 10s
  drain_timeout: 5s
auth:
  master_key: ${s.masterKey}
  keys:
    - { name: app, key: ${s.appKey} }
providers:
  openai:
    type: openai
    base_url: ${o.upstreamUrl}/v1
    keys: [${s.openaiKey}, ${s.openaiSecondKey}]
    models: [gpt-4o-mini]
    responses: true
    timeout: 3s
    stall_timeout: 2s
    headers: { X-Soak-Tenant: ${s.tenantHeader} }
  anthropic:
    type: anthropic
    base_url: ${o.upstreamUrl}
    api_key: ${s.anthropicKey}
    models: [claude-sonnet-4-5]
    timeout: 3s
    stall_timeout: 2s
  gemini:
    type: gemini
    base_url: ${o.upstreamUrl}
    api_key: ${s.geminiKey}
    models: [gemini-2.5-flash]
    timeout: 3s
    stall_timeout: 2s
models:
  fast: openai/gpt-4o-mini
  chain: [anthropic/claude-sonnet-4-5, gemini/gemini-2.5-flash, openai/gpt-4o-mini]
routing:
  retries: ${o.retries}
  retry_backoff: 50ms
  retry_after_cap: 2s
  # A quarter of upstream calls fail here; at 5 failures in a row the breakers would be open
  # much of the time, and the soak would mostly measure 503 circuit_open.
  circuit_breaker: { failures: 8, cooldown: 2s }
  stream_idle_timeout: 2s
usage:
  store: sqlite:${o.dbPath}
`;
}

export interface ProcessSample {
  fds: number;
  rssMb: number;
  /** At the idle points (start, end): what the descriptors are. */
  breakdown?: FdBreakdown;
}

export interface LogTally {
  lines: number;
  byLevel: Record<string, number>;
  /** Messages of warn/error lines, counted. */
  problems: Map<string, number>;
  reloads: number;
  reloadsRejected: number;
  /** Log lines that contained a configured secret (should stay 0). */
  secretLeaks: number;
  /** The drain-deadline line, if the drain timed out. */
  drainTimeout?: Record<string, unknown>;
  /** The first error-level lines, whole. */
  errorSamples: Array<Record<string, unknown>>;
}

export interface GatewayProcess {
  pid: number;
  url: string;
  logs: LogTally;
  sample(): ProcessSample;
  /** sample() with the descriptors broken down (client and upstream connections). */
  sampleDetailed(upstreamPort: number): ProcessSample;
  reload(configText: string): void;
  /** SIGTERM, then the exit code. */
  terminate(): Promise<number>;
}

export async function startGatewayProcess(
  command: string[],
  configPath: string,
  configText: string,
): Promise<GatewayProcess> {
  writeFileSync(configPath, configText);
  const proc = Bun.spawn([...command, "serve", "--config", configPath], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NODE_ENV: "production" },
  });
  // Never leave the gateway behind when the soak itself fails.
  process.on("exit", () => proc.kill());
  const logs: LogTally = {
    lines: 0,
    byLevel: {},
    problems: new Map(),
    reloads: 0,
    reloadsRejected: 0,
    secretLeaks: 0,
    errorSamples: [],
  };
  const started = Promise.withResolvers<string>();
  void readLines(proc.stdout, (line) => {
    const parsed = tallyLine(line, logs);
    if (parsed?.msg === "started" && typeof parsed.url === "string") started.resolve(parsed.url);
  });
  void readLines(proc.stderr, (line) => {
    tallyLine(line, logs);
  });
  void proc.exited.then((code) => started.reject(new Error(`gateway exited with ${code} before it started`)));
  const timeout = setTimeout(() => started.reject(new Error("gateway did not start within 20 s")), 20_000);
  const url = await started.promise.finally(() => clearTimeout(timeout));

  return {
    pid: proc.pid,
    url,
    logs,
    sample: () => sampleProcess(proc.pid),
    sampleDetailed: (upstreamPort) => ({
      ...sampleProcess(proc.pid),
      breakdown: breakDownFds(proc.pid, Number(new URL(url).port), upstreamPort),
    }),
    reload(text) {
      writeFileSync(configPath, text);
      proc.kill("SIGHUP");
    },
    async terminate() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}

function tallyLine(line: string, logs: LogTally): Record<string, unknown> | undefined {
  if (line === "") return undefined;
  logs.lines++;
  if (SECRET_VALUES.some((secret) => line.includes(secret))) logs.secretLeaks++;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line);
  } catch {
    logs.byLevel.stderr = (logs.byLevel.stderr ?? 0) + 1;
    logs.problems.set(line.slice(0, 120), (logs.problems.get(line.slice(0, 120)) ?? 0) + 1);
    return undefined;
  }
  const level = String(parsed.level ?? "none");
  logs.byLevel[level] = (logs.byLevel[level] ?? 0) + 1;
  const msg = String(parsed.msg ?? "");
  if (level === "warn" || level === "error") logs.problems.set(msg, (logs.problems.get(msg) ?? 0) + 1);
  if (msg === "config reloaded") logs.reloads++;
  if (msg.startsWith("config reload rejected")) logs.reloadsRejected++;
  if (msg.startsWith("drain timeout")) logs.drainTimeout = parsed;
  if (level === "error" && logs.errorSamples.length < 10) logs.errorSamples.push(parsed);
  return parsed;
}

async function readLines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf("\n");
    while (newline !== -1) {
      onLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf("\n");
    }
  }
  if (buffer) onLine(buffer);
}

/** Open descriptors (/proc/PID/fd) and resident memory (VmRSS) of the gateway process. */
export function sampleProcess(pid: number): ProcessSample {
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return { fds, rssMb: Math.round((rssKb / 1024) * 10) / 10 };
}

export interface FdBreakdown {
  /** TCP connections accepted from clients (local port = the gateway's). */
  clientConnections: number;
  /** TCP connections to the upstream (remote port = the mock's). */
  upstreamConnections: number;
  /** Listening sockets, other sockets, files, pipes, eventfds… */
  other: number;
}

/** What the descriptors are: the gateway's own TCP connections classified through /proc/PID/net/tcp. */
export function breakDownFds(pid: number, gatewayPort: number, upstreamPort: number): FdBreakdown {
  const inodes = new Set<string>();
  let total = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    total++;
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // Closed between the listing and the read.
    }
  }
  const out: FdBreakdown = { clientConnections: 0, upstreamConnections: 0, other: 0 };
  for (const table of ["tcp", "tcp6"]) {
    let text = "";
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || !inodes.has(fields[9]!)) continue;
      // `0100007F:1F90`: the port is the hex after the colon; state 0A is LISTEN.
      const localPort = Number.parseInt(fields[1]!.split(":")[1]!, 16);
      const remotePort = Number.parseInt(fields[2]!.split(":")[1]!, 16);
      if (fields[3] === "0A") continue;
      if (localPort === gatewayPort) out.clientConnections++;
      else if (remotePort === upstreamPort) out.upstreamConnections++;
    }
  }
  out.other = total - out.clientConnections - out.upstreamConnections;
  return out;
}
