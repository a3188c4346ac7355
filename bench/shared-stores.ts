#!/usr/bin/env bun
/**
 * The shared-store cells (issue 17 item 7): one instance of the compiled gateway, a key with rpm
 * and tpm limits, JSON chat requests from wrk, the gateway's CPU per request measured from
 * /proc. Setups, interleaved run by run:
 *   local   limits.store: memory,  usage.store: sqlite:…
 *   shared  limits.store: Redis,   usage.store: PostgreSQL (with its spool), limits.lease 0.01
 *   exact   the same, limits.lease 0 (one Redis round trip per request, as before leases)
 *
 *   eval "$(.ci/services.sh)"; bun bench/shared-stores.ts [--reps 3] [--duration 10] [--connections 32]
 *
 * Needs wrk, SWITCHBOARD_TEST_POSTGRES_URL and SWITCHBOARD_TEST_REDIS_URL. Prints a markdown table
 * and writes bench/results/<date>-<host>-shared-stores.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SQL } from "bun";
import { ensureBinary } from "../scripts/ensure-binary.ts";
import { readMachineInfo } from "./lib/machine-info.ts";
import { median } from "./lib/percentiles.ts";
import { readCpuSeconds } from "./lib/proc-stats.ts";
import { findFreePort, startMock, startSwitchboard } from "./lib/services.ts";
import { runWrk } from "./lib/wrk.ts";

const { values: options } = parseArgs({
  args: process.argv.slice(2),
  options: {
    reps: { type: "string", default: "3" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    setups: { type: "string", default: "local,shared,exact" },
  },
});
const reps = Number(options.reps);
const durationS = Number(options.duration);
const connections = Number(options.connections);
const setups = options.setups!.split(",") as Setup[];
type Setup = "local" | "shared" | "exact";

const pgUrl = process.env.SWITCHBOARD_TEST_POSTGRES_URL;
const redisUrl = process.env.SWITCHBOARD_TEST_REDIS_URL;
if (!pgUrl || !redisUrl) throw new Error('run `eval "$(.ci/services.sh)"` first');

const ROOT = resolve(import.meta.dir, "..");
const binary = await ensureBinary();
const dir = mkdtempSync(join(tmpdir(), "switchboard-bench-shared-"));
const mock = await startMock(join(import.meta.dir, "mock-upstream.ts"), undefined);
const KEY = "sk-bench-limited";

// The usage database: migrated once, emptied between runs so each starts alike.
const db = new SQL(pgUrl);
const migrate = Bun.spawnSync([
  binary,
  "migrate",
  "--config",
  writeConfig("migrate", "memory", `usage:\n  store: ${pgUrl}\n`),
]);
if (migrate.exitCode !== 0) throw new Error(migrate.stderr.toString());

function writeConfig(name: string, limits: string, usage: string, lease = 0.01): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, "switchboard.yaml");
  writeFileSync(
    path,
    `server:
  host: 127.0.0.1
providers:
  mock:
    type: openai
    base_url: ${mock.baseUrl}/v1
    api_key: sk-bench-upstream
auth:
  master_key: sk-bench-master
  keys:
    - name: bench-${Date.now()}
      key: ${KEY}
      rpm: 100000000
      tpm: 100000000000
limits:
  store: ${limits}
  lease: ${lease}
${usage}`,
  );
  return path;
}

interface Sample {
  setup: Setup;
  rep: number;
  rps: number;
  cpuUsPerRequest: number;
  p50Ms: number;
  p99Ms: number;
  badStatus: number;
}

const samples: Sample[] = [];
for (let rep = 0; rep < reps; rep++) {
  for (const setup of setups) {
    await db.unsafe("TRUNCATE usage_records");
    const config =
      setup === "local"
        ? writeConfig(`local-${rep}`, "memory", `usage:\n  store: sqlite:./usage.db\n`)
        : writeConfig(
            `${setup}-${rep}`,
            redisUrl,
            `usage:\n  store: ${pgUrl}\n`,
            setup === "exact" ? 0 : 0.01,
          );
    const port = findFreePort();
    const gateway = await startSwitchboard({ command: [binary], configPath: config, port, cores: undefined });
    const call = {
      url: `${gateway.baseUrl}/v1/chat/completions`,
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    };
    // Warm-up: code compiled, connections and leases taken.
    await runWrk(call, { connections, durationS: 2 });
    const cpuBefore = readCpuSeconds(gateway.pid);
    const result = await runWrk(call, { connections, durationS });
    const cpu = readCpuSeconds(gateway.pid) - cpuBefore;
    await gateway.stop();
    const sample: Sample = {
      setup,
      rep,
      rps: result.rps,
      cpuUsPerRequest: (cpu * 1e6) / Math.max(1, result.requests),
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      badStatus: result.badStatus,
    };
    samples.push(sample);
    console.error(
      `${setup} rep ${rep}: ${Math.round(sample.rps)} req/s, ${sample.cpuUsPerRequest.toFixed(1)} µs CPU/request, p50 ${sample.p50Ms.toFixed(2)} ms, bad ${sample.badStatus}`,
    );
  }
}

await mock.stop();
await db.close();
rmSync(dir, { recursive: true, force: true });

const machine = readMachineInfo();
const rows = setups.map((setup) => {
  const mine = samples.filter((s) => s.setup === setup);
  return {
    setup,
    rps: median(mine.map((s) => s.rps)),
    cpu: median(mine.map((s) => s.cpuUsPerRequest)),
    cpuRange: [
      Math.min(...mine.map((s) => s.cpuUsPerRequest)),
      Math.max(...mine.map((s) => s.cpuUsPerRequest)),
    ],
    p50: median(mine.map((s) => s.p50Ms)),
    p99: median(mine.map((s) => s.p99Ms)),
  };
});
const local = rows.find((r) => r.setup === "local");
const date = new Date().toISOString();
const lines = [
  `Shared-store cells, ${date}, ${machine.cpuModel ?? "unknown CPU"} × ${machine.cores ?? "?"}, ${reps} reps × ${durationS} s, ${connections} connections, interleaved`,
  "",
  "| setup | req/s (median) | CPU µs/request (median, range) | vs local | p50 ms | p99 ms |",
  "|---|---|---|---|---|---|",
  ...rows.map(
    (r) =>
      `| ${r.setup} | ${Math.round(r.rps)} | ${r.cpu.toFixed(1)} (${r.cpuRange[0]!.toFixed(1)}–${r.cpuRange[1]!.toFixed(1)}) | ${local ? `${(r.cpu / local.cpu).toFixed(2)}×` : "–"} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
  ),
];
console.log(lines.join("\n"));
const out = join(ROOT, "bench/results", `${date.slice(0, 10)}-${hostname()}-shared-stores.json`);
mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ date, machine, reps, durationS, connections, samples, rows }, null, 2)}\n`,
);
console.error(`wrote ${out}`);
