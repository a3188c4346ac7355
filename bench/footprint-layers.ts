#!/usr/bin/env bun
/**
 * Where the gateway's idle memory and start-up time go, layer by layer (docs/performance.md,
 * "Where each MB and millisecond goes"). Each layer is a compiled binary built with
 * scripts/build.ts's flags that adds one part of the gateway to the one before, measured as in
 * bench/footprint.ts (fresh copies, pinned, exec → first 200, RSS 0.5 s after):
 *
 *   Bun.serve hello-world → Elysia hello-world → the config loaded (YAML, schema, resolution) →
 *   the runtime made (routing, metrics, limits, usage recorder) → the gateway (dist/switchboard:
 *   the Elysia app with every route, listening)
 *
 * then what the gateway's first calls load on top (each protocol's first same-protocol call:
 * its request schema and validator; a translated call per client protocol: the codecs; the docs
 * page and its document).
 *
 *   bun bench/footprint-layers.ts [--runs 5]
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildBinary, ROOT } from "../scripts/build.ts";
import { ensureBinary } from "../scripts/ensure-binary.ts";
import { buildHelloWorlds } from "./lib/hello-worlds.ts";
import { PATHS, toHttpCall } from "./lib/paths.ts";
import { median } from "./lib/percentiles.ts";
import { readMemory } from "./lib/proc-stats.ts";
import {
  findFreePort,
  pinned,
  startMock,
  stopProcess,
  toSwitchboardConfig,
  waitForOk,
} from "./lib/services.ts";

const { values: options } = parseArgs({
  args: Bun.argv.slice(2),
  options: { runs: { type: "string", default: "5" } },
});
const RUNS = Number(options.runs);
const IDLE_SETTLE_MS = 500;
const POLL_MS = 2;
/**
 * Past the idle collector's two passes after a burst: it ticks every 10 s, notices the burst on
 * one tick and collects on the next two (src/server/idle-gc.ts), so 30 s and a margin.
 */
const COLLECTED_MS = 35_000;
const serverCores = navigator.hardwareConcurrency >= 2 ? "1" : undefined;
const src = (path: string) => JSON.stringify(join(ROOT, "src", path));

/** The gateway's own layers over `Bun.serve`: argv is [binary, port, config path]; each answers any path. */
const LAYERS: { name: string; source: string }[] = [
  {
    name: "+ config loaded",
    source: `import { loadConfigFile } from ${src("config/load-config.ts")};
const config = loadConfigFile(process.argv[3], process.env);
Bun.serve({ hostname: "127.0.0.1", port: Number(process.argv[2]), fetch: () => new Response(config.source) });\n`,
  },
  {
    name: "+ runtime made",
    source: `import { loadConfigFile } from ${src("config/load-config.ts")};
import { createRuntime } from ${src("gateway/runtime.ts")};
import { createLogger } from ${src("log/logger.ts")};
const config = loadConfigFile(process.argv[3], process.env);
const runtime = await createRuntime(config, { version: "layers", logger: createLogger(() => {}) });
Bun.serve({ hostname: "127.0.0.1", port: Number(process.argv[2]), fetch: () => new Response(runtime.version) });\n`,
  },
];

interface Sample {
  startupMs: number;
  rssMb: number;
  /** The gateway only: RSS after each step of first use. */
  after?: Record<string, number>;
}

const mock = await startMock(resolve(import.meta.dir, "mock-upstream.ts"), "0");
const layerDir = join(ROOT, ".cache", "footprint", "layers");
mkdirSync(layerDir, { recursive: true });
const out = mkdtempSync(join(tmpdir(), "switchboard-layers-"));
const hello = await buildHelloWorlds(out);
/**
 * `readyPath`: where it answers 200 once up; `over`: the binary whose figures it adds to (the Elysia
 * hello-world is a reference beside the layers, which add to the Bun.serve one).
 */
interface Measured {
  name: string;
  path: string;
  readyPath: string;
  over?: string;
  gateway: boolean;
}
const BUN_FLOOR = "compiled Bun.serve hello-world";
const binaries: Measured[] = [
  { name: BUN_FLOOR, path: hello.bun, readyPath: "/", gateway: false },
  {
    name: "compiled Elysia hello-world",
    path: hello.elysia,
    readyPath: "/",
    over: BUN_FLOOR,
    gateway: false,
  },
];
let over = BUN_FLOOR;
for (const [index, layer] of LAYERS.entries()) {
  const entry = join(layerDir, `layer-${index}.ts`);
  writeFileSync(entry, layer.source);
  const built = await buildBinary({ entry, outfile: join(out, `layer-${index}`) });
  binaries.push({ name: layer.name, path: built.path, readyPath: "/", over, gateway: false });
  over = layer.name;
}
binaries.push({
  name: "+ the app, every route, listening (the gateway)",
  path: await ensureBinary(),
  readyPath: "/ready",
  over,
  gateway: true,
});

const COLLECTED = "all of them, and the idle collector's two passes after them";

/** Steps of first use, in order; each sample is RSS after it. */
const FIRST_USE: { name: string; run: (base: string) => Promise<void> }[] = [
  {
    name: "a same-protocol JSON call per protocol (its schema and validator)",
    run: (base) =>
      callEach(
        base,
        PATHS.filter((path) => path.client === path.upstream),
      ),
  },
  {
    name: "a translated JSON call per client protocol (the codecs)",
    run: (base) =>
      callEach(
        base,
        PATHS.filter((path) => path.client !== path.upstream),
      ),
  },
  {
    name: "the docs page, its document and its script",
    run: async (base) => {
      for (const path of ["/docs", "/docs/json", "/docs/scalar.js"]) {
        const response = await fetch(`${base}${path}`);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      }
    },
  },
];

async function callEach(base: string, paths: typeof PATHS): Promise<void> {
  for (const path of paths) {
    const call = toHttpCall(
      "switchboard",
      path,
      { stream: false, events: 20 },
      { mock: mock.baseUrl, switchboard: base },
    );
    const response = await fetch(call.url, { method: "POST", headers: call.headers, body: call.body });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path.id}: ${response.status}`);
  }
}

async function startOnce(binary: Measured, copy: string): Promise<Sample> {
  copyFileSync(binary.path, copy);
  const port = findFreePort();
  const configPath = join(out, `config-${port}.yaml`);
  writeFileSync(configPath, toSwitchboardConfig(mock.baseUrl, port));
  const argv = binary.gateway ? [copy, "serve", "--config", configPath] : [copy, String(port), configPath];
  // As deploy/switchboard.service starts it: no re-exec (bench/footprint.ts measures that apart).
  const env = { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" };
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const proc = Bun.spawn(pinned(argv, serverCores), { stdout: "ignore", stderr: "ignore", env });
  try {
    await waitForOk(`${base}${binary.readyPath}`, proc, 15_000, undefined, POLL_MS);
    const startupMs = performance.now() - started;
    await Bun.sleep(IDLE_SETTLE_MS);
    const sample: Sample = { startupMs, rssMb: readMemory(proc.pid).rssMb };
    if (binary.gateway) {
      sample.after = {};
      for (const step of FIRST_USE) {
        await step.run(base);
        await Bun.sleep(IDLE_SETTLE_MS);
        sample.after[step.name] = readMemory(proc.pid).rssMb;
      }
      await Bun.sleep(COLLECTED_MS);
      sample.after[COLLECTED] = readMemory(proc.pid).rssMb;
    }
    return sample;
  } finally {
    await stopProcess(proc);
  }
}

const samples = new Map<string, Sample[]>(binaries.map((binary) => [binary.name, []]));
for (let run = 0; run < RUNS; run++) {
  for (const binary of binaries) {
    samples.get(binary.name)!.push(await startOnce(binary, join(out, `copy-${run}`)));
  }
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);
const signed = (value: number) => `${value < 0 ? "−" : "+"}${fmt(Math.abs(value))}`;
const medians = new Map(
  binaries.map((binary) => {
    const runs = samples.get(binary.name)!;
    return [binary.name, { ms: median(runs.map((s) => s.startupMs)), mb: median(runs.map((s) => s.rssMb)) }];
  }),
);
const floorMs = medians.get(BUN_FLOOR)!.ms;
console.log(`\n### Footprint by layer, ${new Date().toISOString()}\n`);
console.log(
  `${navigator.hardwareConcurrency} cores, bun ${Bun.version}, ${RUNS} starts each, medians; fresh copies, \`BUN_CONFIG_MAX_HTTP_REQUESTS\` set (no re-exec)\n`,
);
console.log("| layer | exec → first 200 (ms) | × Bun.serve | + ms | idle RSS (MB) | + MB |");
console.log("|---|--:|--:|--:|--:|--:|");
for (const binary of binaries) {
  const { ms, mb } = medians.get(binary.name)!;
  const base = binary.over ? medians.get(binary.over) : undefined;
  console.log(
    `| ${binary.name} | ${fmt(ms)} | ${fmt(ms / floorMs, 2)}× | ${base ? signed(ms - base.ms) : ""} | ${fmt(mb)} | ${base ? signed(mb - base.mb) : ""} |`,
  );
}
const gateway = binaries.at(-1)!;
const gatewayRuns = samples.get(gateway.name)!;
const idle = medians.get(gateway.name)!.mb;
let before = idle;
console.log("\nThe gateway's first use, in order (RSS 0.5 s after each step, medians):\n");
console.log("| after | RSS (MB) | + MB | over idle |");
console.log("|---|--:|--:|--:|");
for (const name of [...FIRST_USE.map((step) => step.name), COLLECTED]) {
  const mb = median(gatewayRuns.map((s) => s.after![name]!));
  console.log(`| ${name} | ${fmt(mb)} | ${signed(mb - before)} | ${signed(mb - idle)} |`);
  before = mb;
}

await mock.stop();
rmSync(out, { recursive: true, force: true });
process.exit(0);
