#!/usr/bin/env bun
/**
 * Footprint against the runtime's floors, in one run (issue 16): a compiled `Bun.serve`
 * hello-world and a compiled Elysia hello-world (built here, with the flags of scripts/build.ts)
 * against the compiled gateway, every endpoint registered. Start-up is exec → first 200 (the
 * gateway's from /ready), idle RSS is VmRSS 0.5 s after that, medians of --runs starts each.
 * With --load, one gateway also takes a mixed c=128 load (every path, JSON and streams) and its
 * RSS is followed for a minute after the load stops; then the same-protocol cells of that load
 * run against two more floors, a bare Bun proxy and a bare Elysia proxy (compiled), and a fresh
 * gateway, so peak RSS and CPU per request under load read as ratios to them.
 *
 *   bun bench/footprint.ts [--runs 7] [--binary dist/switchboard] [--load] [--load-seconds 24]
 *                          [--env NAME=VALUE …]   (extra env for the gateway, e.g. to compare)
 */
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildBinary, ROOT } from "../scripts/build.ts";
import { ensureBinary } from "../scripts/ensure-binary.ts";
import { buildHelloWorlds } from "./lib/hello-worlds.ts";
import { PATHS, toHttpCall } from "./lib/paths.ts";
import { median } from "./lib/percentiles.ts";
import { readCpuSeconds, readMemory, sampleRssPeak } from "./lib/proc-stats.ts";
import {
  findFreePort,
  pinned,
  startMock,
  stopProcess,
  toSwitchboardConfig,
  waitForOk,
} from "./lib/services.ts";
import { waitForIdle } from "./lib/wait-for-idle.ts";
import { runWrk } from "./lib/wrk.ts";

const { values: options } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    runs: { type: "string", default: "7" },
    binary: { type: "string" },
    load: { type: "boolean", default: false },
    "load-seconds": { type: "string", default: "24" },
    env: { type: "string", multiple: true, default: [] },
  },
});
const RUNS = Number(options.runs);
const POLL_MS = 2;
const IDLE_SETTLE_MS = 500;
/** Past the idle collector's first interval (src/server/idle-gc.ts), which collects start-up's garbage. */
const SETTLED_MS = 11_000;
const multiCore = navigator.hardwareConcurrency >= 2;
const loadCores = multiCore ? "0" : undefined;
const serverCores = multiCore ? "1" : undefined;
const extraEnv = Object.fromEntries(
  (options.env ?? []).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
);

/** The hello-worlds, compiled with the gateway's own build flags (entries under .cache so `elysia` resolves). */
async function buildFloors(): Promise<{
  bun: string;
  elysia: string;
  bareProxy: string;
  elysiaProxy: string;
  dir: string;
}> {
  const out = mkdtempSync(join(tmpdir(), "switchboard-footprint-"));
  const { bun, elysia } = await buildHelloWorlds(out);
  const bareProxy = await buildBinary({
    entry: join(ROOT, "bench/bare-proxy.ts"),
    outfile: join(out, "bare-proxy"),
  });
  const elysiaProxy = await buildBinary({
    entry: join(ROOT, "bench/bare-elysia-proxy.ts"),
    outfile: join(out, "bare-elysia-proxy"),
  });
  return {
    bun,
    elysia,
    bareProxy: bareProxy.path,
    elysiaProxy: elysiaProxy.path,
    dir: out,
  };
}

interface Start {
  startupMs: number;
  /** CPU the process used up to its first 200 (all threads): steadier than wall time on a busy machine. */
  cpuMs: number;
  idleRssMb: number;
}

/** Exec → first 200 from `path`, then idle RSS after a short settle. */
async function startOnce(
  argv: (port: number) => string[],
  path: string,
  env: Record<string, string>,
): Promise<Start> {
  const port = findFreePort();
  const url = `http://127.0.0.1:${port}${path}`;
  const started = performance.now();
  const proc = Bun.spawn(pinned(argv(port), serverCores), { stdout: "ignore", stderr: "ignore", env });
  try {
    await waitForOk(url, proc, 15_000, undefined, POLL_MS);
    const startupMs = performance.now() - started;
    const cpuMs = readCpuSeconds(proc.pid) * 1000;
    await Bun.sleep(IDLE_SETTLE_MS);
    return { startupMs, cpuMs, idleRssMb: readMemory(proc.pid).rssMb };
  } finally {
    await stopProcess(proc);
  }
}

async function measure(
  name: string,
  argv: (port: number) => string[],
  path: string,
  env: Record<string, string>,
): Promise<{
  name: string;
  startupMs: number;
  bestMs: number;
  cpuMs: number;
  idleRssMb: number;
  runs: Start[];
}> {
  const runs: Start[] = [];
  for (let i = 0; i < RUNS; i++) {
    await waitForIdle(0.1, 200, 3000);
    runs.push(await startOnce(argv, path, env));
  }
  return {
    name,
    startupMs: median(runs.map((r) => r.startupMs)),
    bestMs: Math.min(...runs.map((r) => r.startupMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    idleRssMb: median(runs.map((r) => r.idleRssMb)),
    runs,
  };
}

const baseEnv = (): Record<string, string> => {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: "production" };
  // The gateway's own start-up is measured as shipped: the launcher's variable, if any, is not inherited.
  delete env.BUN_CONFIG_MAX_HTTP_REQUESTS;
  return env;
};

const LOADS = [
  { stream: false, events: 20 },
  { stream: true, events: 20 },
  { stream: true, events: 200 },
];

/** A mixed c=128 load over every path (JSON, 20- and 200-event streams), then RSS for a minute after. */
async function measureLoad(binary: string, configDir: string, seconds: number) {
  const mock = await startMock(resolve(ROOT, "bench/mock-upstream.ts"), loadCores);
  const port = findFreePort();
  const configPath = join(configDir, "switchboard-load.yaml");
  writeFileSync(configPath, toSwitchboardConfig(mock.baseUrl, port));
  const proc = Bun.spawn(pinned([binary, "serve", "--config", configPath], serverCores), {
    stdout: "ignore",
    stderr: "ignore",
    env: { ...baseEnv(), ...extraEnv },
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${base}/ready`, proc, 5000);
    await Bun.sleep(IDLE_SETTLE_MS);
    const idleMb = readMemory(proc.pid).rssMb;
    // And once the idle collector's start-up pass has run (its first interval, 10 s).
    await Bun.sleep(SETTLED_MS - IDLE_SETTLE_MS);
    const settledMb = readMemory(proc.pid).rssMb;
    // What loading on first use costs a protocol's first request: its first and second call, JSON.
    const firstCalls: string[] = [];
    for (const path of PATHS.filter((p) => p.client === p.upstream)) {
      const call = toHttpCall(
        "switchboard",
        path,
        { stream: false, events: 20 },
        { mock: mock.baseUrl, switchboard: base },
      );
      const times: number[] = [];
      for (let i = 0; i < 2; i++) {
        const t = performance.now();
        const response = await fetch(call.url, { method: "POST", headers: call.headers, body: call.body });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path.id}: ${response.status}`);
        times.push(performance.now() - t);
      }
      firstCalls.push(`${path.client} ${fmt(times[0]!)} / ${fmt(times[1]!)} ms`);
    }
    const afterFirstCallsMb = readMemory(proc.pid).rssMb;
    const cells = PATHS.flatMap((path) => LOADS.map((load) => ({ path, load })));
    const perCell = Math.max(1, Math.round(seconds / cells.length));
    const peak = sampleRssPeak(proc.pid);
    let requests = 0;
    const cpuBefore = readCpuSeconds(proc.pid);
    for (const { path, load } of cells) {
      const call = toHttpCall("switchboard", path, load, { mock: mock.baseUrl, switchboard: base });
      requests += (await runWrk(call, { connections: 128, durationS: perCell })).requests;
    }
    const cpuUs = ((readCpuSeconds(proc.pid) - cpuBefore) * 1e6) / Math.max(1, requests);
    const peakMb = peak.stop();
    const after: { s: number; rssMb: number }[] = [];
    for (const s of [1, 10, 20, 30, 45, 60]) {
      await Bun.sleep((s - (after.at(-1)?.s ?? 0)) * 1000);
      after.push({ s, rssMb: readMemory(proc.pid).rssMb });
    }
    // The first request per protocol after the idle collector ran (its shrink drops JIT code).
    const afterIdleCalls: string[] = [];
    for (const path of PATHS.filter((p) => p.client === p.upstream)) {
      const call = toHttpCall(
        "switchboard",
        path,
        { stream: false, events: 20 },
        { mock: mock.baseUrl, switchboard: base },
      );
      const t = performance.now();
      const response = await fetch(call.url, { method: "POST", headers: call.headers, body: call.body });
      await response.arrayBuffer();
      afterIdleCalls.push(`${path.client} ${fmt(performance.now() - t)} ms`);
    }
    return {
      idleMb,
      settledMb,
      afterIdleCalls,
      firstCalls,
      afterFirstCallsMb,
      peakMb,
      hwmMb: readMemory(proc.pid).hwmMb,
      after,
      requests,
      cpuUs,
      perCell,
    };
  } finally {
    await stopProcess(proc);
    await mock.stop();
  }
}

/** A process that serves the same-protocol paths: a floor (bare proxy) or the gateway. */
interface LoadTarget {
  name: string;
  /** argv for a process forwarding to the mock and listening on the port. */
  argv(mockBaseUrl: string, port: number, configDir: string): string[];
  readyPath: string;
  via: "floor" | "switchboard";
}

/**
 * The same-protocol cells of the mixed load (each path × JSON, SSE 20, SSE 200) at c=128 against
 * one fresh process: the floors and the gateway under the same requests, so peak RSS and CPU per
 * request read as ratios to the floors measured in this run.
 */
async function measureSameProtocolLoad(target: LoadTarget, configDir: string, perCellS: number) {
  const mock = await startMock(resolve(ROOT, "bench/mock-upstream.ts"), loadCores);
  const port = findFreePort();
  const proc = Bun.spawn(pinned(target.argv(mock.baseUrl, port, configDir), serverCores), {
    stdout: "ignore",
    stderr: "ignore",
    env: {
      ...baseEnv(),
      ...(target.via === "switchboard" ? extraEnv : {}),
      BUN_CONFIG_MAX_HTTP_REQUESTS: "4096",
    },
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${base}${target.readyPath}`, proc, 5000);
    await Bun.sleep(IDLE_SETTLE_MS);
    const idleMb = readMemory(proc.pid).rssMb;
    const peak = sampleRssPeak(proc.pid);
    const cpuBefore = readCpuSeconds(proc.pid);
    let requests = 0;
    for (const path of PATHS.filter((p) => p.client === p.upstream)) {
      for (const load of LOADS) {
        const call = toHttpCall(target.via, path, load, {
          mock: mock.baseUrl,
          switchboard: base,
          floor: base,
        });
        requests += (await runWrk(call, { connections: 128, durationS: perCellS })).requests;
      }
    }
    const cpuUs = ((readCpuSeconds(proc.pid) - cpuBefore) * 1e6) / Math.max(1, requests);
    return { name: target.name, idleMb, peakMb: peak.stop(), cpuUs, requests };
  } finally {
    await stopProcess(proc);
    await mock.stop();
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const tempDirs: string[] = [];

async function main(): Promise<void> {
  const built = options.binary ? resolve(options.binary) : await ensureBinary();
  const floors = await buildFloors();
  // The floors were just written; the gateway's binary may have sat on disk for days. How a file
  // came into the page cache changes how much of it a start maps (measured: the same binary,
  // 37.6 MB file-backed when read back from disk, 42.9 MB as a fresh copy), so it is copied too.
  const binary = join(floors.dir, "switchboard");
  copyFileSync(built, binary);
  chmodSync(binary, 0o755);
  const configDir = mkdtempSync(join(tmpdir(), "switchboard-footprint-config-"));
  tempDirs.push(floors.dir, configDir);
  const configPath = join(configDir, "switchboard.yaml");
  // No request is sent: the providers only have to be valid. Every endpoint is registered.
  writeFileSync(configPath, toSwitchboardConfig("http://127.0.0.1:9", 0));
  const env = baseEnv();

  const helloBun = await measure("compiled Bun.serve hello-world", (p) => [floors.bun, String(p)], "/", env);
  const helloElysia = await measure(
    "compiled Elysia hello-world",
    (p) => [floors.elysia, String(p)],
    "/",
    env,
  );
  const gateway = await measure(
    `switchboard${Object.keys(extraEnv).length ? ` (${Object.keys(extraEnv).join(", ")} set)` : ""}`,
    (p) => [binary, "serve", "--config", configPath, "--port", String(p)],
    "/ready",
    { ...env, ...extraEnv },
  );

  const date = new Date().toISOString();
  console.log(`\n### Footprint, ${date}\n`);
  console.log(
    `${navigator.hardwareConcurrency} cores, bun ${Bun.version}, ${RUNS} starts each, medians; binary ${built} (measured as a fresh copy, as the floors are fresh builds)\n`,
  );
  console.log(
    "| process | exec → first 200, median (ms) | × Bun.serve | fastest (ms) | × Bun.serve | CPU to first 200 (ms) | idle RSS (MB) | − Bun.serve | − Elysia |",
  );
  console.log("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
  for (const row of [helloBun, helloElysia, gateway]) {
    console.log(
      `| ${row.name} | ${fmt(row.startupMs)} | ${fmt(row.startupMs / helloBun.startupMs, 2)}× | ${fmt(row.bestMs)} | ${fmt(row.bestMs / helloBun.bestMs, 2)}× | ${fmt(row.cpuMs, 0)} | ${fmt(row.idleRssMb)} | +${fmt(row.idleRssMb - helloBun.idleRssMb)} | ${row === helloBun ? "" : `+${fmt(row.idleRssMb - helloElysia.idleRssMb)}`} |`,
    );
  }
  const targets = [
    ["idle RSS ≤ Bun.serve + 14 MB", gateway.idleRssMb <= helloBun.idleRssMb + 14],
    ["idle RSS within 3 MB of Elysia hello-world", gateway.idleRssMb <= helloElysia.idleRssMb + 3],
    ["exec → ready ≤ 5× Bun.serve's", gateway.startupMs <= 5 * helloBun.startupMs],
  ] as const;
  console.log("");
  for (const [what, met] of targets) console.log(`- ${what}: ${met ? "met" : "**not met**"}`);
  console.log(
    `\nruns (ms / MB): ${[helloBun, helloElysia, gateway].map((r) => `${r.name}: ${r.runs.map((x) => `${fmt(x.startupMs)}/${fmt(x.idleRssMb)}`).join(" ")}`).join("; ")}`,
  );

  if (options.load) {
    const load = await measureLoad(binary, configDir, Number(options["load-seconds"]));
    console.log(
      `\n#### Mixed load, c=128 (${PATHS.length} paths × JSON, SSE 20, SSE 200; ${load.perCell} s each)\n`,
    );
    console.log(
      `first / second call per protocol: ${load.firstCalls.join(", ")}; RSS after them ${fmt(load.afterFirstCallsMb)} MB`,
    );
    console.log(
      `idle ${fmt(load.idleMb)} MB (${fmt(load.settledMb)} MB after the idle collector's start-up pass); peak ${fmt(load.peakMb)} MB (VmHWM ${fmt(load.hwmMb)}); ${load.requests} requests, ${fmt(load.cpuUs, 0)} µs CPU/request`,
    );
    console.log(
      `after the load: ${load.after.map((a) => `${a.s} s ${fmt(a.rssMb)} MB`).join(", ")}; at 60 s ${fmt((load.after.at(-1)!.rssMb / load.idleMb - 1) * 100, 0)} % over idle`,
    );
    console.log(`first call per protocol after that minute: ${load.afterIdleCalls.join(", ")}`);
    console.log(`- RSS at c=128 ≤ 80 MB: ${load.peakMb <= 80 ? "met" : "**not met**"}`);
    console.log(
      `- back within 10 % of idle a minute after: ${load.after.at(-1)!.rssMb <= load.idleMb * 1.1 ? "met" : "**not met**"}`,
    );

    // The floors under the same requests: what any Bun proxy, and any Elysia one, holds and spends.
    const perCell = Math.max(
      1,
      Math.round(Number(options["load-seconds"]) / (PATHS.length * LOADS.length)) * 2,
    );
    const targets: LoadTarget[] = [
      {
        name: "bare Bun proxy (compiled bench/bare-proxy.ts)",
        argv: (mock, port) => [floors.bareProxy, "--upstream", mock, "--port", String(port)],
        readyPath: "/health",
        via: "floor",
      },
      {
        name: "bare Elysia proxy (compiled bench/bare-elysia-proxy.ts)",
        argv: (mock, port) => [floors.elysiaProxy, "--upstream", mock, "--port", String(port)],
        readyPath: "/health",
        via: "floor",
      },
      {
        name: "switchboard",
        argv: (mock, port, dir) => {
          const path = join(dir, "switchboard-same-protocol.yaml");
          writeFileSync(path, toSwitchboardConfig(mock, port));
          return [binary, "serve", "--config", path];
        },
        readyPath: "/ready",
        via: "switchboard",
      },
    ];
    const rows = [];
    for (const target of targets) rows.push(await measureSameProtocolLoad(target, configDir, perCell));
    const [bare] = rows;
    console.log(
      `\n#### Same-protocol paths only, c=128 (${PATHS.filter((p) => p.client === p.upstream).length} paths × JSON, SSE 20, SSE 200; ${perCell} s each), against the floors\n`,
    );
    console.log(
      "| process | idle RSS (MB) | peak RSS (MB) | × bare Bun proxy | CPU per request (µs) | × bare Bun proxy |",
    );
    console.log("|---|--:|--:|--:|--:|--:|");
    for (const row of rows) {
      console.log(
        `| ${row.name} | ${fmt(row.idleMb)} | ${fmt(row.peakMb)} | ${fmt(row.peakMb / bare!.peakMb, 2)}× | ${fmt(row.cpuUs, 0)} | ${fmt(row.cpuUs / bare!.cpuUs, 2)}× |`,
      );
    }
  }
}

await main().finally(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
