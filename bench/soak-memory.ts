#!/usr/bin/env bun
/**
 * `bun bench/soak-memory.ts [--seconds 60] [--settle 60] [--concurrency 32] [--seed 15] [--binary]
 *  [--env NAME=VALUE …] [--hold]`: the soak's start and end memory samples around a shorter load,
 * with where the memory is. The gateway, its config, the faulty upstream, the request mix and
 * the reloads are the soak's (bench/soak.ts); the load runs `--seconds` instead of minutes, then
 * the same wait (`--settle`, 60 s) before the end sample. Each sample reads `/proc/PID/smaps`:
 * RSS split into the executable's pages, other files and anonymous memory, and the mappings
 * that moved between the two samples. `--hold` leaves the gateway running afterwards
 * (its pid is printed) to look at by hand. Not in CI.
 */
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureBinary } from "../scripts/ensure-binary.ts";
import { startFaultyUpstream } from "./soak/faulty-upstream.ts";
import { soakConfig, startGatewayProcess } from "./soak/gateway-process.ts";
import { emptyTally, LoadGenerator, runLoad } from "./soak/load.ts";
import { Random } from "./soak/random.ts";
import { warmUp } from "./soak/warm-up.ts";

interface Args {
  seconds: number;
  settle: number;
  concurrency: number;
  seed: number;
  binary: boolean;
  hold: boolean;
  env: Record<string, string>;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    seconds: 60,
    settle: 60,
    concurrency: 32,
    seed: 15,
    binary: false,
    hold: false,
    env: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`${arg} needs a number`);
      return v;
    };
    if (arg === "--seconds") args.seconds = value();
    else if (arg === "--settle") args.settle = value();
    else if (arg === "--concurrency") args.concurrency = Math.round(value());
    else if (arg === "--seed") args.seed = Math.round(value());
    else if (arg === "--binary") args.binary = true;
    else if (arg === "--hold") args.hold = true;
    else if (arg === "--env") {
      const pair = argv[++i] ?? "";
      const eq = pair.indexOf("=");
      if (eq < 1) throw new Error("--env needs NAME=VALUE");
      args.env[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return args;
}

const ROOT = resolve(import.meta.dir, "..");
const RELOAD_EVERY_MS = 20_000;

interface Mapping {
  key: string;
  name: string;
  perms: string;
  sizeKb: number;
  rssKb: number;
  anonKb: number;
}

interface MemorySample {
  rssKb: number;
  anonKb: number;
  fileKb: number;
  /** RSS of the executable's own mappings (bun or the compiled binary). */
  exeKb: number;
  mappings: Map<string, Mapping>;
}

function readSmaps(pid: number): MemorySample {
  const text = readFileSync(`/proc/${pid}/smaps`, "utf8");
  const mappings = new Map<string, Mapping>();
  let current: Mapping | undefined;
  for (const line of text.split("\n")) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const sizeKb = (Number.parseInt(header[2]!, 16) - Number.parseInt(header[1]!, 16)) / 1024;
      current = {
        key: header[1]!,
        name: header[4] || "[anon]",
        perms: header[3]!,
        sizeKb,
        rssKb: 0,
        anonKb: 0,
      };
      mappings.set(current.key, current);
      continue;
    }
    if (!current) continue;
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line);
    if (field?.[1] === "Rss") current.rssKb = Number(field[2]);
    else if (field?.[1] === "Anonymous") current.anonKb = Number(field[2]);
  }
  const exe = readlinkSafe(`/proc/${pid}/exe`);
  let rssKb = 0;
  let anonKb = 0;
  let exeKb = 0;
  for (const m of mappings.values()) {
    rssKb += m.rssKb;
    anonKb += m.anonKb;
    if (exe && m.name === exe) exeKb += m.rssKb;
  }
  return { rssKb, anonKb, fileKb: rssKb - anonKb, exeKb, mappings };
}

function readlinkSafe(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

const mib = (kb: number) => (kb / 1024).toFixed(1);

function describe(label: string, s: MemorySample): string {
  return `${label}: RSS ${mib(s.rssKb)} MiB = anonymous ${mib(s.anonKb)} + file ${mib(s.fileKb)} (executable ${mib(s.exeKb)})`;
}

function mappingDiff(a: MemorySample, b: MemorySample): string[] {
  const rows: Array<{ delta: number; text: string }> = [];
  const keys = new Set([...a.mappings.keys(), ...b.mappings.keys()]);
  for (const key of keys) {
    const before = a.mappings.get(key);
    const after = b.mappings.get(key);
    const delta = (after?.rssKb ?? 0) - (before?.rssKb ?? 0);
    if (Math.abs(delta) < 256) continue;
    const m = (after ?? before)!;
    rows.push({
      delta,
      text: `${delta > 0 ? "+" : ""}${mib(delta)} MiB  ${key} ${m.perms} ${mib(m.sizeKb)} MiB mapping, rss ${mib(before?.rssKb ?? 0)} → ${mib(after?.rssKb ?? 0)}${before ? "" : " (new)"}${after ? "" : " (gone)"}  ${m.name}`,
    });
  }
  return rows.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta)).map((r) => r.text);
}

async function main(): Promise<void> {
  const args = parseArgs(Bun.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), "switchboard-soakmem-"));
  const dbPath = join(dir, "usage.db");
  const configPath = join(dir, "switchboard.yaml");
  for (const [name, value] of Object.entries(args.env)) process.env[name] = value;
  const random = new Random(args.seed);
  const upstream = await startFaultyUpstream(new Random(args.seed + 1));
  const command = args.binary ? [await ensureBinary()] : ["bun", join(ROOT, "src/main.ts")];
  const config = (retries: number) => soakConfig({ upstreamUrl: upstream.mock.url, dbPath, retries });
  const gateway = await startGatewayProcess(command, configPath, config(1));
  log(`gateway pid ${gateway.pid}, ${gateway.url}; env ${JSON.stringify(args.env)}; dir ${dir}`);
  const idle = readSmaps(gateway.pid);
  await warmUp(gateway.url);
  await Bun.sleep(1000);
  const start = readSmaps(gateway.pid);
  log(describe("fresh", idle));
  log(describe("start (after warm-up)", start));

  const options = { url: gateway.url, concurrency: args.concurrency, fuzzShare: 0.05, abortShare: 0.05 };
  const tally = emptyTally();
  let reloads = 0;
  const reloader = setInterval(() => {
    reloads++;
    gateway.reload(
      reloads % 3 === 0 ? `${config(1)}\nserver: { port: not-a-port }\n` : config(reloads % 2 ? 2 : 1),
    );
  }, RELOAD_EVERY_MS);
  let peakKb = 0;
  const sampler = setInterval(() => {
    const status = readFileSync(`/proc/${gateway.pid}/status`, "utf8");
    peakKb = Math.max(peakKb, Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0));
  }, 1000);
  const started = Date.now();
  if (args.seconds > 0) {
    await runLoad(
      new LoadGenerator(random, options, args.seed),
      options,
      tally,
      () => Date.now() - started >= args.seconds * 1000,
    );
  }
  clearInterval(reloader);
  gateway.reload(config(1));
  const loaded = readSmaps(gateway.pid);
  log(
    `load: ${tally.sent} requests in ${((Date.now() - started) / 1000).toFixed(0)} s, peak RSS ${mib(peakKb)} MiB`,
  );
  log(describe("1 s after the load", loaded));
  const every = 10;
  for (let t = every; t <= args.settle; t += every) {
    await Bun.sleep(every * 1000);
    const now = readSmaps(gateway.pid);
    log(`  +${t} s: RSS ${mib(now.rssKb)} (anonymous ${mib(now.anonKb)}, file ${mib(now.fileKb)})`);
  }
  clearInterval(sampler);
  const end = readSmaps(gateway.pid);
  log(describe("end", end));
  log(`end / start: ${((end.rssKb / start.rssKb - 1) * 100).toFixed(1)} %`);
  log("mappings that moved (start → end):");
  for (const row of mappingDiff(start, end).slice(0, 25)) log(`  ${row}`);
  if (args.hold) {
    log(`holding: gateway pid ${gateway.pid}; Ctrl-C to stop`);
    await new Promise(() => {});
  }
  await gateway.terminate();
  await upstream.stop();
  rmSync(dir, { recursive: true, force: true });
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

if (import.meta.main) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
