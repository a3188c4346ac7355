/**
 * Runs wrk (HTTP load at a fixed number of connections) with a generated Lua script that POSTs
 * one body and prints its own summary as JSON: latency percentiles straight from wrk's
 * histogram, not parsed from its human-readable output.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface HttpCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WrkResult {
  requests: number;
  durationS: number;
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Socket errors and timeouts. */
  socketErrors: number;
  /** Responses with a status outside 2xx/3xx. */
  badStatus: number;
}

const MARK = "WRK_JSON ";

/**
 * A Lua long string whose level cannot collide with anything inside `text`. Level 1 at least:
 * `[[…]]` breaks on a text ending in `]` and reads as an index inside `t[ … ]`.
 */
export function toLuaLongString(text: string): string {
  let level = "=";
  while (text.includes(`]${level}]`)) level += "=";
  return `[${level}[${text}]${level}]`;
}

export function toWrkScript(call: HttpCall): string {
  const headers = Object.entries(call.headers)
    .map(([name, value]) => `wrk.headers[ ${toLuaLongString(name)} ] = ${toLuaLongString(value)}`)
    .join("\n");
  return `wrk.method = "POST"
wrk.body = ${toLuaLongString(call.body)}
${headers}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${MARK}{"requests":%d,"duration_us":%d,"p50":%.1f,"p90":%.1f,"p99":%.1f,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
`;
}

interface WrkSummary {
  requests: number;
  duration_us: number;
  p50: number;
  p90: number;
  p99: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
}

function isWrkSummary(value: unknown): value is WrkSummary {
  if (typeof value !== "object" || value === null) return false;
  const keys = [
    "requests",
    "duration_us",
    "p50",
    "p90",
    "p99",
    "connect",
    "read",
    "write",
    "status",
    "timeout",
  ];
  return keys.every((key) => typeof (value as Record<string, unknown>)[key] === "number");
}

/** Reads the summary line the script's `done()` printed; throws with wrk's output when absent. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split("\n").find((candidate) => candidate.startsWith(MARK));
  const parsed: unknown = line ? JSON.parse(line.slice(MARK.length)) : undefined;
  if (!isWrkSummary(parsed)) throw new Error(`wrk printed no summary:\n${stdout.slice(0, 2000)}`);
  const durationS = parsed.duration_us / 1e6;
  return {
    requests: parsed.requests,
    durationS,
    rps: durationS > 0 ? parsed.requests / durationS : 0,
    p50Ms: parsed.p50 / 1000,
    p90Ms: parsed.p90 / 1000,
    p99Ms: parsed.p99 / 1000,
    socketErrors: parsed.connect + parsed.read + parsed.write + parsed.timeout,
    badStatus: parsed.status,
  };
}

let scriptDir: string | undefined;

export interface WrkOptions {
  connections: number;
  durationS: number;
  /** wrk threads; one is enough at these rates and leaves the other core to the gateway. */
  threads?: number;
  /** Per-request timeout, seconds. */
  timeoutS?: number;
}

export async function runWrk(call: HttpCall, options: WrkOptions): Promise<WrkResult> {
  scriptDir ??= mkdtempSync(join(tmpdir(), "switchboard-bench-wrk-"));
  const script = join(scriptDir, `post-${process.pid}-${Math.random().toString(36).slice(2)}.lua`);
  writeFileSync(script, toWrkScript(call));
  const threads = Math.min(options.threads ?? 1, options.connections);
  const proc = Bun.spawn(
    [
      "wrk",
      `-t${threads}`,
      `-c${options.connections}`,
      `-d${options.durationS}s`,
      `--timeout`,
      `${options.timeoutS ?? 10}s`,
      "-s",
      script,
      call.url,
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`wrk exited ${code}: ${stderr || stdout}`);
  return parseWrkOutput(stdout);
}
