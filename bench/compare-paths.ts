#!/usr/bin/env bun
/**
 * CPU per request of several paths through ONE gateway process, interleaved in a new random order
 * every round: the way to compare two paths' costs (the Responses paths against their Chat
 * Completions twins, say) without the drift and order bias of `bench/run.ts`, which measures the
 * paths one after another in a fixed order on a process whose heap grows as it goes.
 *
 *   bun bench/compare-paths.ts [--paths openai→openai,responses→responses,…] [--rounds 5]
 *                              [--duration 2] [-c 50] [--source]
 *
 * Each round, for each path: JSON at c, a stream of 200 events at c (wrk), and 100 concurrent
 * streams of 200 events dripped every 5 ms (CPU per content delta). Prints medians and every round.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { measureDrippedStreams } from "./lib/measure-dripped-streams.ts";
import { type IdlePolicy, measureRun } from "./lib/measure-run.ts";
import { type Load, PATHS, toHttpCall } from "./lib/paths.ts";
import { median } from "./lib/percentiles.ts";
import { findFreePort, startMock, startSwitchboard, toSwitchboardConfig } from "./lib/services.ts";
import { verifyCall } from "./lib/verify-response.ts";
import { waitForIdle } from "./lib/wait-for-idle.ts";
import { runWrk } from "./lib/wrk.ts";

const ROOT = resolve(import.meta.dir, "..");
const { values: options } = parseArgs({
  args: process.argv.slice(2),
  options: {
    paths: {
      type: "string",
      default: "openai→openai,responses→responses,openai→anthropic,responses→anthropic",
    },
    rounds: { type: "string", default: "5" },
    duration: { type: "string", default: "2" },
    c: { type: "string", short: "c", default: "50" },
    source: { type: "boolean", default: false },
  },
});

const wanted = (options.paths ?? "").split(",").map((id) => id.trim());
const paths = PATHS.filter((path) => wanted.includes(path.id));
if (paths.length !== wanted.length)
  throw new Error(`unknown path in ${options.paths}; known: ${PATHS.map((path) => path.id).join(", ")}`);
const rounds = Number(options.rounds);
const durationS = Number(options.duration);
const connections = Number(options.c);
const idle: IdlePolicy = { maxBusy: 0.15, windowMs: 300, maxWaitMs: 10_000 };
const json: Load = { stream: false, events: 20 };
const sse: Load = { stream: true, events: 200 };
const drip = { streams: 100, events: 200, ms: 5 };

const pinnedCores = navigator.hardwareConcurrency >= 2;
if (pinnedCores) Bun.spawnSync(["taskset", "-a", "-p", "-c", "0", String(process.pid)], { stdout: "ignore" });
const command = options.source
  ? ["bun", join(ROOT, "src/main.ts")]
  : [await (await import("../scripts/ensure-binary.ts")).ensureBinary()];

const work = mkdtempSync(join(tmpdir(), "switchboard-compare-"));
const mock = await startMock(join(import.meta.dir, "mock-upstream.ts"), pinnedCores ? "0" : undefined);
const configPath = join(work, "switchboard.yaml");
writeFileSync(configPath, toSwitchboardConfig(mock.baseUrl, 0));
const gateway = await startSwitchboard({
  command,
  configPath,
  port: findFreePort(),
  cores: pinnedCores ? "1" : undefined,
});
const urls = { mock: mock.baseUrl, switchboard: gateway.baseUrl };
const cells = [`JSON c=${connections}`, `SSE 200 ev c=${connections}`, "dripped, µs/event"];
const samples = new Map<string, number[]>();
let busyRuns = 0;
const add = (path: string, cell: string, value: number, quiet: boolean) => {
  const key = `${path}|${cell}`;
  samples.set(key, [...(samples.get(key) ?? []), value]);
  if (!quiet) busyRuns++;
};

try {
  for (const path of paths) {
    for (const load of [json, sse])
      await verifyCall(toHttpCall("switchboard", path, load, urls), path, load, false);
    await runWrk(toHttpCall("switchboard", path, json, urls), { connections: 10, durationS: 1 });
  }
  for (let round = 0; round < rounds; round++) {
    const order = paths
      .map((path) => ({ path, key: Math.random() }))
      .sort((a, b) => a.key - b.key)
      .map((entry) => entry.path);
    process.stderr.write(`round ${round + 1}/${rounds}: ${order.map((path) => path.id).join(", ")}\n`);
    for (const path of order) {
      for (const [index, load] of [json, sse].entries()) {
        const sample = await measureRun(
          toHttpCall("switchboard", path, load, urls),
          gateway.pid,
          { connections, durationS },
          idle,
        );
        add(path.id, cells[index] ?? "", sample.cpuUsPerRequest, sample.idleBefore);
      }
      const quiet = await waitForIdle(idle.maxBusy, idle.windowMs, idle.maxWaitMs);
      const call = toHttpCall("switchboard", path, { stream: true, events: drip.events }, urls);
      call.body = call.body.replace(`events-${drip.events}`, `events-${drip.events}-drip-${drip.ms}`);
      const dripped = await measureDrippedStreams(call, gateway.pid, drip.streams, drip.events, drip.ms);
      add(path.id, cells[2] ?? "", dripped.cpuUsPerEvent, quiet.idle);
    }
  }
} finally {
  await gateway.stop();
  await mock.stop();
}

const rows = [
  `## Switchboard CPU per request, ${paths.length} paths interleaved on one process, ${rounds} rounds of ${durationS} s`,
  "",
  "| path | cell | median µs | every round |",
  "|---|---|--:|---|",
];
for (const cell of cells) {
  for (const path of paths) {
    const list = samples.get(`${path.id}|${cell}`) ?? [];
    rows.push(
      `| ${path.id} | ${cell} | ${median(list).toFixed(1)} | ${list.map((v) => v.toFixed(0)).join(", ")} |`,
    );
  }
}
rows.push("", `${busyRuns} run(s) started on a machine that was not idle.`);
process.stdout.write(`${rows.join("\n")}\n`);
