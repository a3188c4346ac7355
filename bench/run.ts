#!/usr/bin/env bun
/**
 * Switchboard's benchmark (issue 7): the same requests sent straight to a mock provider, through
 * Switchboard and through a peer gateway (Portkey), side by side, interleaved, on loopback.
 *
 *   bun run bench                 full run: 3 repeats of every cell, ~30 min
 *   bun run bench --quick         1 repeat of fewer cells, < 2 min
 *   options: --reps N  --duration S  --no-pin  --no-peer  --peer-runtime bun|node  --source
 *            --floor / --no-floor  --paths openai→openai,…  --out FILE
 *            paths: openai→openai, anthropic→anthropic, openai→anthropic, anthropic→openai,
 *            responses→responses (the /v1/responses pipe), responses→anthropic (translated)
 *            --json-only: the JSON load cells alone (e.g. with the peer on Node, whose streams fail)
 *
 * Prints a markdown report and writes bench/results/<date>-<host>[-quick].json.
 * Method and how to read the numbers: docs/performance.md.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkTargets } from "./lib/check-targets.ts";
import { commandOutput, readMachineInfo, readWrkVersion } from "./lib/machine-info.ts";
import { type DrippedSample, measureDrippedStreams } from "./lib/measure-dripped-streams.ts";
import { measureOpenStreams } from "./lib/measure-open-streams.ts";
import { type IdlePolicy, measureRun, type RunSample } from "./lib/measure-run.ts";
import { measureStartup } from "./lib/measure-startup.ts";
import {
  type BenchPath,
  describeLoad,
  type Load,
  PATHS,
  supports,
  type TargetName,
  type TargetUrls,
  toHttpCall,
  unsupportedReason,
} from "./lib/paths.ts";
import {
  ensurePortkey,
  type PeerRuntime,
  PORTKEY_DEFAULT_VERSION,
  startPortkey,
} from "./lib/peer-portkey.ts";
import { median } from "./lib/percentiles.ts";
import { readMemory } from "./lib/proc-stats.ts";
import { renderReport } from "./lib/render-markdown.ts";
import type {
  BenchReport,
  CellSummary,
  DrippedSummary,
  MemorySummary,
  SupportEntry,
  TtfbSummary,
} from "./lib/report-types.ts";
import {
  findFreePort,
  type Service,
  startMock,
  startPortPrinter,
  startSwitchboard,
  toSwitchboardConfig,
} from "./lib/services.ts";
import { summariseCell } from "./lib/summarise-cell.ts";
import { probeTtfb, type TtfbResult } from "./lib/ttfb.ts";
import { verifyCall } from "./lib/verify-response.ts";
import { waitForIdle } from "./lib/wait-for-idle.ts";
import { runWrk } from "./lib/wrk.ts";

const ROOT = resolve(import.meta.dir, "..");
const TARGETS: TargetName[] = ["direct", "floor", "switchboard", "peer"];

const { values: options } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: "boolean", default: false },
    reps: { type: "string" },
    duration: { type: "string" },
    "no-pin": { type: "boolean", default: false },
    "no-peer": { type: "boolean", default: false },
    floor: { type: "boolean" },
    "no-floor": { type: "boolean", default: false },
    "json-only": { type: "boolean", default: false },
    "peer-runtime": { type: "string", default: "bun" },
    source: { type: "boolean", default: false },
    paths: { type: "string" },
    out: { type: "string" },
  },
});

const quick = options.quick ?? false;
const reps = Number(options.reps ?? (quick ? 1 : 3));
const durationS = Math.max(1, Math.round(Number(options.duration ?? (quick ? 1 : 3))));
const concurrency = quick ? [1, 50, 128] : [1, 10, 50, 128];
/** A quick run measures streams at c=50 only: the level the per-event targets are judged at. */
const concurrencyFor = (load: Load): number[] => (quick && load.stream ? [50] : concurrency);
const loads: Load[] = options["json-only"]
  ? [{ stream: false, events: 20 }]
  : quick
    ? [
        { stream: false, events: 20 },
        { stream: true, events: 200 },
      ]
    : [
        { stream: false, events: 20 },
        { stream: true, events: 20 },
        { stream: true, events: 200 },
        // Python servers' JSON spacing (vLLM, SGLang, LiteLLM): usage found on the zero-copy path.
        { stream: true, events: 200, spaced: true },
      ];
const idle: IdlePolicy = quick
  ? { maxBusy: 0.15, windowMs: 150, maxWaitMs: 3000 }
  : { maxBusy: 0.1, windowMs: 300, maxWaitMs: 10_000 };
const peerRuntime: PeerRuntime = options["peer-runtime"] === "node" ? "node" : "bun";
const wantedPaths = options.paths?.split(",").map((id) => id.trim());
const paths = PATHS.filter((path) => !wantedPaths || wantedPaths.includes(path.id));
const ttfbSamples = quick ? 20 : 200;
const openStreamCount = 1000;
/** How long streams may take to open; those still waiting then are reported as queued. */
const openStreamWaitMs = quick ? 5000 : 15_000;
const startupRuns = quick ? 5 : 10;
const notes: string[] = [];
const jsonOnly = options["json-only"] ?? false;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Load generator and mock on core 0, the measured gateway on core 1: they never steal each other's core. */
function choosePinning(): { load?: string; service?: string; description: string } {
  const cores = navigator.hardwareConcurrency;
  if (options["no-pin"] || cores < 2) return { description: "none" };
  const self = Bun.spawnSync(["taskset", "-a", "-p", "-c", "0", String(process.pid)], {
    stdout: "ignore",
    stderr: "pipe",
  });
  if (self.exitCode !== 0) return { description: `none (taskset failed: ${self.stderr.toString().trim()})` };
  return {
    load: "0",
    service: "1",
    description:
      "wrk, mock, probes and this runner on core 0; the gateway or peer under test on core 1 (taskset)",
  };
}

async function ensureWrk(): Promise<void> {
  if (commandOutput(["which", "wrk"])) return;
  log("wrk is missing: installing it with apt-get …");
  const install = Bun.spawnSync(["apt-get", "install", "-y", "wrk"], { stdout: "ignore", stderr: "pipe" });
  if (install.exitCode !== 0 || !commandOutput(["which", "wrk"])) {
    throw new Error(
      `could not install wrk (apt-get install -y wrk): ${install.stderr.toString().slice(-500)}`,
    );
  }
}

/** The compiled binary, rebuilt when stale; `bun src/main.ts` when building fails or --source. */
async function chooseSwitchboardCommand(): Promise<string[]> {
  if (options.source) return ["bun", join(ROOT, "src/main.ts")];
  try {
    const { ensureBinary } = await import("../scripts/ensure-binary.ts");
    return [await ensureBinary()];
  } catch (error) {
    notes.push(
      `compiled binary unavailable (${String(error).split("\n")[0]}); measured \`bun src/main.ts\` instead`,
    );
    return ["bun", join(ROOT, "src/main.ts")];
  }
}

function gitSha(): string | undefined {
  const sha = commandOutput(["git", "rev-parse", "--short", "HEAD"], ROOT);
  const dirty = commandOutput(["git", "status", "--porcelain", "--", "src"], ROOT);
  return sha && dirty ? `${sha}+dirty-src` : sha;
}

async function settledRss(pid: number): Promise<number> {
  await Bun.sleep(500);
  return readMemory(pid).rssMb;
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const machine = readMachineInfo();
  // Before the build: the sha the measured binary was built from.
  const switchboardSha = gitSha();
  await ensureWrk();
  const pinning = choosePinning();
  const switchboardCommand = await chooseSwitchboardCommand();
  const portkey = options["no-peer"]
    ? undefined
    : await ensurePortkey(process.env.PORTKEY_VERSION ?? PORTKEY_DEFAULT_VERSION);

  const work = mkdtempSync(join(tmpdir(), "switchboard-bench-"));
  const services: Service[] = [];
  const memory: MemorySummary = { idleMb: {}, peakC128Mb: {}, hwmMb: {}, openStreams: [] };
  try {
    const mock = await startMock(join(import.meta.dir, "mock-upstream.ts"), pinning.load);
    services.push(mock);
    const configPath = join(work, "switchboard.yaml");
    writeFileSync(configPath, toSwitchboardConfig(mock.baseUrl, 0));

    const gateway = await startSwitchboard({
      command: switchboardCommand,
      configPath,
      port: findFreePort(),
      cores: pinning.service,
    });
    services.push(gateway);
    memory.idleMb.switchboard = await settledRss(gateway.pid);
    // The peer is a Bun process too when run on Bun: give it the same outbound-connection ceiling.
    const peer = portkey
      ? await startPortkey(portkey, findFreePort(), peerRuntime, pinning.service, {
          BUN_CONFIG_MAX_HTTP_REQUESTS: "4096",
        })
      : undefined;
    if (peer) {
      services.push(peer);
      memory.idleMb.peer = await settledRss(peer.pid);
    }
    // The floor costs a quarter more time: on by default in full runs only.
    const floor =
      !options["no-floor"] && (options.floor ?? !quick)
        ? await startPortPrinter(
            "floor",
            [join(import.meta.dir, "bare-proxy.ts"), "--upstream", mock.baseUrl],
            pinning.service,
          )
        : undefined;
    if (floor) services.push(floor);
    const urls: TargetUrls = {
      mock: mock.baseUrl,
      floor: floor?.baseUrl,
      switchboard: gateway.baseUrl,
      peer: peer?.baseUrl,
    };
    const pidOf: Record<TargetName, number | undefined> = {
      direct: mock.pid,
      floor: floor?.pid,
      switchboard: gateway.pid,
      peer: peer?.pid,
    };

    // Every (target, path, load) answers correctly once before it is measured; what doesn't is listed.
    const support: SupportEntry[] = [];
    const usable = (target: TargetName, path: BenchPath, load: Load) =>
      support.some(
        (entry) =>
          entry.ok && entry.target === target && entry.path === path.id && entry.load === describeLoad(load),
      );
    for (const path of paths) {
      for (const load of [...loads, { stream: true, events: 20 }]) {
        for (const target of TARGETS) {
          if (!pidOf[target]) continue;
          const entry: SupportEntry = { target, path: path.id, load: describeLoad(load), ok: false };
          if (
            support.some(
              (known) => known.target === target && known.path === path.id && known.load === entry.load,
            )
          )
            continue;
          const unsupported = unsupportedReason(target, path);
          if (unsupported) {
            entry.reason = unsupported;
          } else {
            try {
              await verifyCall(toHttpCall(target, path, load, urls), path, load, target === "direct");
              entry.ok = true;
            } catch (error) {
              entry.reason = String(error).slice(0, 300);
            }
          }
          support.push(entry);
          if (!entry.ok) log(`skip ${target} ${path.id} ${entry.load}: ${entry.reason}`);
        }
      }
    }

    log("warming up …");
    for (const target of TARGETS) {
      for (const path of paths) {
        const load = loads[0];
        if (!load || !usable(target, path, load)) continue;
        await runWrk(toHttpCall(target, path, load, urls), { connections: 10, durationS: 1 });
        if (quick) break;
      }
    }

    const runs = new Map<string, RunSample[]>();
    const key = (path: BenchPath, load: Load, c: number, target: TargetName) =>
      `${path.id}|${describeLoad(load)}|${c}|${target}`;
    const total = reps * paths.length * loads.reduce((sum, load) => sum + concurrencyFor(load).length, 0);
    let done = 0;
    for (let rep = 0; rep < reps; rep++) {
      for (const path of paths) {
        for (const load of loads) {
          for (const c of concurrencyFor(load)) {
            done++;
            log(`[${done}/${total}] rep ${rep + 1} ${path.id} ${describeLoad(load)} c=${c}`);
            for (const target of TARGETS) {
              const pid = pidOf[target];
              if (!pid || !usable(target, path, load)) continue;
              const sample = await measureRun(
                toHttpCall(target, path, load, urls),
                pid,
                { connections: c, durationS },
                idle,
              );
              runs.set(key(path, load, c, target), [...(runs.get(key(path, load, c, target)) ?? []), sample]);
            }
          }
        }
      }
    }
    const cells: CellSummary[] = [];
    for (const path of paths) {
      for (const load of loads) {
        for (const c of concurrencyFor(load)) {
          for (const target of TARGETS) {
            const samples = runs.get(key(path, load, c, target));
            if (samples) cells.push(summariseCell(path.id, load, c, target, samples));
          }
        }
      }
    }
    for (const target of ["switchboard", "peer"] as const) {
      const pid = pidOf[target];
      if (!pid) continue;
      const c128 = cells.filter((cell) => cell.target === target && cell.concurrency === 128);
      if (c128.length)
        memory.peakC128Mb[target] = Math.max(
          ...c128.flatMap((cell) => cell.runs.map((run) => run.peakRssMb)),
        );
      memory.hwmMb[target] = readMemory(pid).hwmMb;
    }

    log("streams with events one at a time …");
    const dripped: DrippedSummary[] = [];
    const drip = quick ? { streams: 100, events: 100, ms: 5 } : { streams: 100, events: 200, ms: 5 };
    const dripLoad: Load = { stream: true, events: drip.events };
    for (const path of jsonOnly ? [] : paths) {
      const results = new Map<TargetName, DrippedSample[]>();
      for (let rep = 0; rep < reps; rep++) {
        for (const target of TARGETS) {
          const pid = pidOf[target];
          if (!pid || !usable(target, path, { stream: true, events: 20 })) continue;
          await waitForIdle(idle.maxBusy, idle.windowMs, idle.maxWaitMs);
          const call = toHttpCall(target, path, dripLoad, urls);
          call.body = call.body.replace(`events-${drip.events}`, `events-${drip.events}-drip-${drip.ms}`);
          const sample = await measureDrippedStreams(call, pid, drip.streams, drip.events, drip.ms);
          results.set(target, [...(results.get(target) ?? []), sample]);
        }
      }
      for (const [target, list] of results) {
        dripped.push({
          path: path.id,
          target,
          streams: drip.streams,
          eventsPerStream: drip.events,
          dripMs: drip.ms,
          runsCpuUsPerEvent: list.map((sample) => sample.cpuUsPerEvent),
          medianCpuUsPerEvent: median(list.map((sample) => sample.cpuUsPerEvent)),
          failed: list.reduce((sum, sample) => sum + sample.failed, 0),
        });
      }
    }

    log("time to first byte …");
    const ttfb: TtfbSummary[] = [];
    const ttfbLoad: Load = { stream: true, events: 20 };
    for (const path of jsonOnly ? [] : paths) {
      const results = new Map<TargetName, TtfbResult[]>();
      for (let rep = 0; rep < reps; rep++) {
        for (const target of TARGETS) {
          if (!pidOf[target] || !usable(target, path, ttfbLoad)) continue;
          const result = await probeTtfb(toHttpCall(target, path, ttfbLoad, urls), ttfbSamples);
          results.set(target, [...(results.get(target) ?? []), result]);
        }
      }
      for (const [target, list] of results) {
        ttfb.push({
          path: path.id,
          target,
          events: ttfbLoad.events,
          runs: list,
          medianP50Ms: median(list.map((entry) => entry.p50Ms)),
          medianP90Ms: median(list.map((entry) => entry.p90Ms)),
          medianP99Ms: median(list.map((entry) => entry.p99Ms)),
        });
      }
    }

    // Memory under many open streams, on fresh processes so the load matrix's heap doesn't count.
    log(`${openStreamCount} open streams …`);
    const streamPaths = paths.filter(
      (path) => path.id === "openai→openai" || (!quick && path.id === "openai→anthropic"),
    );
    const moreConnections = { BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" };
    const variants = [
      { target: "switchboard" as const, variant: "as shipped", env: {} },
      // Bun reads this variable once at start: set by the launcher it shows what the code's own setting would give.
      { target: "switchboard" as const, variant: "BUN_CONFIG_MAX_HTTP_REQUESTS=4096", env: moreConnections },
      { target: "peer" as const, variant: "BUN_CONFIG_MAX_HTTP_REQUESTS=4096", env: moreConnections },
      // The floor: what the same 1,000 streams cost a bare Bun fetch proxy (bench/bare-proxy.ts).
      { target: "floor" as const, variant: "BUN_CONFIG_MAX_HTTP_REQUESTS=4096", env: moreConnections },
    ];
    for (const path of jsonOnly ? [] : streamPaths) {
      for (const { target, variant, env } of variants) {
        if (target === "peer" && (!portkey || !supports("peer", path))) continue;
        const fresh =
          target === "switchboard"
            ? await startSwitchboard({
                command: switchboardCommand,
                configPath,
                port: findFreePort(),
                cores: pinning.service,
                env,
              })
            : target === "floor"
              ? await startPortPrinter(
                  "floor",
                  [join(import.meta.dir, "bare-proxy.ts"), "--upstream", mock.baseUrl],
                  pinning.service,
                  env,
                )
              : portkey
                ? await startPortkey(portkey, findFreePort(), peerRuntime, pinning.service, env)
                : undefined;
        if (!fresh) continue;
        try {
          const freshUrls: TargetUrls = { mock: mock.baseUrl, [target]: fresh.baseUrl };
          const call = toHttpCall(target, path, { stream: true, events: 600 }, freshUrls);
          // The mock drips one event a second: every stream stays open for the whole sample.
          call.body = call.body.replace("events-600", "events-600-drip-1000");
          const sample = await measureOpenStreams(
            call,
            openStreamCount,
            fresh.pid,
            pinning.load,
            openStreamWaitMs,
          );
          memory.openStreams.push({ path: path.id, target, variant, ...sample });
        } finally {
          await fresh.stop();
        }
      }
    }

    log("start-up …");
    const startup =
      !jsonOnly && switchboardCommand.length === 1
        ? {
            command: "dist/switchboard",
            ...(await measureStartup(switchboardCommand, configPath, startupRuns, pinning.service)),
          }
        : undefined;
    if (!startup) notes.push("start-up not measured: no compiled binary");

    const report: Omit<BenchReport, "targets"> = {
      schema: 1,
      date: new Date().toISOString(),
      quick,
      machine,
      versions: {
        bun: Bun.version,
        switchboard: switchboardSha,
        "switchboard binary":
          switchboardCommand.length === 1 ? commandOutput([...switchboardCommand, "--version"]) : "source",
        portkey: portkey?.version,
        "peer runtime": peerRuntime === "node" ? commandOutput(["node", "--version"]) : `bun ${Bun.version}`,
        wrk: readWrkVersion(),
      },
      settings: {
        durationS,
        reps,
        concurrency,
        loads,
        pinning: pinning.description,
        idle,
        peerRuntime,
        switchboardCommand: switchboardCommand.map((part) => part.replace(`${ROOT}/`, "")).join(" "),
      },
      support,
      cells,
      ttfb,
      dripped,
      memory,
      startup,
      notes,
    };
    const full: BenchReport = { ...report, targets: checkTargets(report) };
    notes.push(`run took ${Math.round((performance.now() - startedAt) / 1000)} s`);

    const resultsDir = join(import.meta.dir, "results");
    if (!existsSync(resultsDir)) mkdirSync(resultsDir, { recursive: true });
    const day = full.date.slice(0, 10);
    const outFile = options.out ?? join(resultsDir, `${day}-${machine.host}${quick ? "-quick" : ""}.json`);
    writeFileSync(outFile, `${JSON.stringify(full, null, 2)}\n`);
    process.stdout.write(`${renderReport(full)}\n\nJSON report: ${outFile.replace(`${ROOT}/`, "")}\n`);
  } finally {
    for (const service of services.reverse()) await service.stop();
  }
}

await main();
