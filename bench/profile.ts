#!/usr/bin/env bun
/**
 * Where the gateway's CPU goes: runs Switchboard from source under `bun --cpu-prof`, loads one
 * path with wrk, stops it (the profile is written on exit) and prints the top self-time functions.
 *
 *   bun bench/profile.ts [--path openai→openai] [--stream] [--events 20] [-c 50] [--duration 5] [--top 25]
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PATHS, toHttpCall } from "./lib/paths.ts";
import { readCpuSeconds } from "./lib/proc-stats.ts";
import {
  findFreePort,
  pinned,
  startMock,
  stopProcess,
  toSwitchboardConfig,
  waitForOk,
} from "./lib/services.ts";
import { summariseCpuProfile } from "./lib/summarise-cpu-profile.ts";
import { verifyCall } from "./lib/verify-response.ts";
import { runWrk } from "./lib/wrk.ts";

const ROOT = resolve(import.meta.dir, "..");
const { values: options } = parseArgs({
  args: process.argv.slice(2),
  options: {
    path: { type: "string", default: "openai→openai" },
    stream: { type: "boolean", default: false },
    events: { type: "string", default: "20" },
    c: { type: "string", short: "c", default: "50" },
    duration: { type: "string", default: "5" },
    top: { type: "string", default: "25" },
  },
});

const path = PATHS.find((candidate) => candidate.id === options.path);
if (!path) throw new Error(`unknown path ${options.path}; one of ${PATHS.map((p) => p.id).join(", ")}`);
const load = { stream: options.stream ?? false, events: Number(options.events) };
const cores =
  navigator.hardwareConcurrency >= 2 ? { load: "0", service: "1" } : { load: undefined, service: undefined };
if (cores.load)
  Bun.spawnSync(["taskset", "-a", "-p", "-c", cores.load, String(process.pid)], { stdout: "ignore" });

const work = mkdtempSync(join(tmpdir(), "switchboard-profile-"));
const mock = await startMock(join(import.meta.dir, "mock-upstream.ts"), cores.load);
try {
  const port = findFreePort();
  const configPath = join(work, "switchboard.yaml");
  writeFileSync(configPath, toSwitchboardConfig(mock.baseUrl, port));
  const gateway = Bun.spawn(
    pinned(
      [
        "bun",
        "--cpu-prof",
        `--cpu-prof-dir=${work}`,
        join(ROOT, "src/main.ts"),
        "serve",
        "--config",
        configPath,
      ],
      cores.service,
    ),
    // With the variable unset, `serve` re-executes itself to set it (src/boot-env.ts), and the new
    // image runs without --cpu-prof: no profile would be written.
    {
      stdout: "ignore",
      stderr: "pipe",
      env: { ...process.env, NODE_ENV: "production", BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" },
    },
  );
  // Kept, to show why the gateway ended if it did not write a profile.
  const stderrText = new Response(gateway.stderr).text();
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForOk(`${baseUrl}/ready`, gateway, 15_000);
  const call = toHttpCall("switchboard", path, load, { mock: mock.baseUrl, switchboard: baseUrl });
  await verifyCall(call, path, load, false);
  await runWrk(call, { connections: Number(options.c), durationS: 1 });
  const cpuBefore = readCpuSeconds(gateway.pid);
  const result = await runWrk(call, { connections: Number(options.c), durationS: Number(options.duration) });
  const cpuUs = ((readCpuSeconds(gateway.pid) - cpuBefore) * 1e6) / result.requests;
  // Writing the profile on exit can take a while after a long run.
  await stopProcess(gateway, 60_000);
  const file = readdirSync(work).find((name) => name.endsWith(".cpuprofile"));
  if (!file) {
    const how = gateway.signalCode ? `signal ${gateway.signalCode}` : `exit code ${gateway.exitCode}`;
    throw new Error(
      `no .cpuprofile in ${work}: the gateway ended with ${how}\n${(await stderrText).slice(-2000)}`,
    );
  }
  const summary = summariseCpuProfile(JSON.parse(readFileSync(join(work, file), "utf8")), `file://${ROOT}/`);
  const lines = [
    `## CPU profile: ${path.id}, ${load.stream ? `SSE ${load.events} events` : "JSON"}, c=${options.c}, ${options.duration} s`,
    "",
    `${Math.round(result.rps)} req/s, ${cpuUs.toFixed(0)} µs CPU/request (under the profiler), ${summary.totalMs.toFixed(0)} ms sampled; profile: ${join(work, file)}`,
    "",
    "| self ms | share | function | where |",
    "|--:|--:|---|---|",
    ...summary.top
      .slice(0, Number(options.top))
      .map(
        (entry) =>
          `| ${entry.selfMs.toFixed(1)} | ${(entry.share * 100).toFixed(1)}% | ${entry.name} | ${entry.location} |`,
      ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await mock.stop();
}
