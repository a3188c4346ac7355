#!/usr/bin/env bun
/**
 * `bun run soak [--minutes N] [--binary] [--concurrency N] [--seed N]`: the gateway as a
 * subprocess in front of a faulty upstream, under a mixed load with client aborts and fuzz,
 * SIGHUP reloads during the run and SIGTERM at the end (during a burst of slow streams, so the
 * drain has work to do). Prints what it saw; docs/reliability.md records the last run. Not in CI.
 *
 * Phases: warm-up and start sample → load for N minutes (fds/RSS sampled each second, a reload
 * every 20 s, every third one an invalid file) → clients stop, idle connections time out (end
 * sample) → burst of slow streams → SIGTERM → the usage database checked against the answers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureBinary } from "../scripts/ensure-binary.ts";
import { readMachineInfo } from "./lib/machine-info.ts";
import { startFaultyUpstream, UPSTREAM_IDLE_SECONDS } from "./soak/faulty-upstream.ts";
import { type ProcessSample, soakConfig, startGatewayProcess } from "./soak/gateway-process.ts";
import { emptyTally, LoadGenerator, runLoad } from "./soak/load.ts";
import { Random } from "./soak/random.ts";
import { checkUsage } from "./soak/usage-check.ts";
import { warmUp } from "./soak/warm-up.ts";

interface SoakArgs {
  minutes: number;
  binary: boolean;
  concurrency: number;
  seed: number;
}

function parseSoakArgs(argv: string[]): SoakArgs {
  const args: SoakArgs = { minutes: 1, binary: false, concurrency: 32, seed: 15 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${arg} needs a positive number`);
      return v;
    };
    if (arg === "--minutes") args.minutes = value();
    else if (arg === "--concurrency") args.concurrency = Math.round(value());
    else if (arg === "--seed") args.seed = Math.round(value());
    else if (arg === "--binary") args.binary = true;
    else throw new Error(`unknown argument ${arg} (use --minutes N, --binary, --concurrency N, --seed N)`);
  }
  return args;
}

const ROOT = resolve(import.meta.dir, "..");
const RELOAD_EVERY_MS = 20_000;
// The end sample is taken a minute after the load stops (the same point issue 16's footprint
// target uses): long enough for the upstream's idle timeout plus Bun's sweep of idle sockets,
// and for the gateway's idle collector (a full collection and shrink after a quiet interval).
const SETTLE_MS = Math.max((UPSTREAM_IDLE_SECONDS + 8) * 1000, 60_000);
const BURST_MS = 1500;

async function main(): Promise<number> {
  const args = parseSoakArgs(Bun.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), "switchboard-soak-"));
  const dbPath = join(dir, "usage.db");
  const configPath = join(dir, "switchboard.yaml");
  const random = new Random(args.seed);
  const upstream = await startFaultyUpstream(new Random(args.seed + 1));
  const command = args.binary ? [await ensureBinary()] : ["bun", join(ROOT, "src/main.ts")];
  const config = (retries: number) => soakConfig({ upstreamUrl: upstream.mock.url, dbPath, retries });
  const gateway = await startGatewayProcess(command, configPath, config(1));
  const machine = readMachineInfo();
  log(
    `soak: ${args.minutes} min, ${args.concurrency} clients, seed ${args.seed}; ${command.join(" ")} (pid ${gateway.pid}) ` +
      `on ${machine.cores} cores (${machine.cpuModel}), Bun ${Bun.version}`,
  );

  // The baseline after one request of each kind (the usage database's WAL open, code compiled),
  // on connections closed at once so none of them is counted.
  await warmUp(gateway.url);
  await Bun.sleep(1000);
  const start = gateway.sampleDetailed(upstream.mock.port);
  const peak: ProcessSample = { fds: start.fds, rssMb: start.rssMb };
  let warm: ProcessSample | undefined;
  const rssEvery10s: number[] = [];
  let ticks = 0;
  const sampler = setInterval(() => {
    try {
      const now = gateway.sample();
      peak.fds = Math.max(peak.fds, now.fds);
      peak.rssMb = Math.max(peak.rssMb, now.rssMb);
      if (ticks++ % 10 === 0) rssEvery10s.push(now.rssMb);
    } catch {
      // The process is gone; the exit code will say why.
    }
  }, 1000);

  const loadMs = args.minutes * 60_000;
  const loadStarted = Date.now();
  const options = { url: gateway.url, concurrency: args.concurrency, fuzzShare: 0.05, abortShare: 0.05 };
  const generator = new LoadGenerator(random, options, args.seed);
  const tally = emptyTally();
  let reloads = 0;
  const reloader = setInterval(() => {
    reloads++;
    // Every third reload writes an invalid file: it must be rejected and the old config kept.
    gateway.reload(
      reloads % 3 === 0 ? `${config(1)}\nserver: { port: not-a-port }\n` : config(reloads % 2 ? 2 : 1),
    );
  }, RELOAD_EVERY_MS);
  const progress = setInterval(() => {
    log(
      `  ${Math.round((Date.now() - loadStarted) / 1000)} s: ${tally.sent} sent, ${tally.answered} answered`,
    );
  }, 30_000);
  const warmTimer = setTimeout(
    () => {
      warm = gateway.sample();
    },
    Math.min(10_000, loadMs / 10),
  );
  await runLoad(generator, options, tally, () => Date.now() - loadStarted >= loadMs);
  const loadSeconds = (Date.now() - loadStarted) / 1000;
  clearInterval(reloader);
  clearInterval(progress);
  clearTimeout(warmTimer);
  // The last reload may have been the invalid one: leave a valid file for the rest of the run.
  gateway.reload(config(1));

  log(
    `load done in ${loadSeconds.toFixed(0)} s; waiting ${SETTLE_MS / 1000} s (idle connections time out, memory settles)…`,
  );
  await Bun.sleep(SETTLE_MS);
  const end = gateway.sampleDetailed(upstream.mock.port);

  // SIGTERM in the middle of slow streams: the drain deadline cuts them, each must get its row.
  upstream.slowEverything(true);
  const burst = emptyTally();
  let terminating = false;
  const burstDone = runLoad(
    new LoadGenerator(
      new Random(args.seed + 2),
      { ...options, fuzzShare: 0, abortShare: 0 },
      args.seed,
      "soakburst",
    ),
    { ...options, concurrency: 16 },
    burst,
    () => terminating,
  );
  await Bun.sleep(BURST_MS);
  const atSigterm = gateway.sampleDetailed(upstream.mock.port);
  const sigtermAt = performance.now();
  terminating = true;
  const exitCode = await gateway.terminate();
  const drainMs = performance.now() - sigtermAt;
  await burstDone;
  clearInterval(sampler);
  await upstream.stop();

  const answeredIds = new Map([...tally.answeredIds, ...burst.answeredIds]);
  const missing = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const usage = checkUsage(dbPath, answeredIds, upstream.soakIds, [...tally.fiveXx, ...burst.fiveXx]);
  const report = {
    date: new Date().toISOString(),
    machine: {
      cores: machine.cores,
      cpu: machine.cpuModel,
      memoryGb: machine.memoryGb,
      kernel: machine.kernel,
    },
    bun: Bun.version,
    gateway: args.binary ? "binary" : "source",
    minutes: args.minutes,
    concurrency: args.concurrency,
    seed: args.seed,
    requests: {
      sent: tally.sent,
      perSecond: Math.round(tally.sent / loadSeconds),
      answered: tally.answered,
      fuzz: tally.fuzzSent,
      clientAborted: tally.clientAborted,
      transportErrors: tally.transportErrors,
      hung: tally.hung.length,
      hungSamples: tally.hung.slice(0, 5),
      byStatus: Object.fromEntries([...tally.byStatus].sort(([a], [b]) => a - b)),
      streamErrorEvents: tally.streamErrorEvents,
    },
    upstream: { saw: upstream.seen, faults: upstream.faults },
    fiveXx: {
      total: tally.fiveXx.length + burst.fiveXx.length,
      upstreamCaused: usage.upstreamCaused5xx,
      gatewayCaused: usage.gatewayCaused5xx.length,
      gatewayCausedSamples: usage.gatewayCaused5xx.slice(0, 5),
    },
    usage: {
      rows: usage.rows,
      distinctRequestIds: usage.distinctIds,
      duplicates: usage.duplicates,
      answeredWithoutRow: missing(usage.answeredWithoutRow),
      answeredWithoutRowByPath: Object.fromEntries(usage.answeredWithoutRow),
      upstreamSawWithoutRow: usage.upstreamSeenWithoutRow,
      upstreamSawSoakIds: upstream.soakIds.size,
      byErrorType: Object.fromEntries([...usage.byErrorType].sort(([, a], [, b]) => b - a)),
      attempts: Object.fromEntries([...usage.attempts].sort(([, a], [, b]) => b - a)),
    },
    secrets: { inAnswers: tally.secretLeaks + burst.secretLeaks, inLogLines: gateway.logs.secretLeaks },
    logs: {
      lines: gateway.logs.lines,
      byLevel: gateway.logs.byLevel,
      warningsAndErrors: Object.fromEntries(gateway.logs.problems),
      errorSamples: gateway.logs.errorSamples,
    },
    reloads: { sent: reloads + 1, applied: gateway.logs.reloads, rejected: gateway.logs.reloadsRejected },
    process: { start, warm: warm ?? null, peak, end, atSigterm, rssEvery10s },
    sigterm: {
      exitCode,
      drainMs: Math.round(drainMs),
      burst: {
        sent: burst.sent,
        answered: burst.answered,
        transportErrors: burst.transportErrors,
        streamErrorEvents: burst.streamErrorEvents,
      },
      drainTimeoutLine: gateway.logs.drainTimeout ?? null,
    },
  };
  printReport(report);
  rmSync(dir, { recursive: true, force: true });
  const clean =
    exitCode === 0 &&
    report.fiveXx.gatewayCaused === 0 &&
    missing(usage.answeredWithoutRow) === 0 &&
    usage.upstreamSeenWithoutRow === 0 &&
    usage.duplicates === 0 &&
    report.secrets.inAnswers === 0 &&
    tally.hung.length === 0 &&
    report.secrets.inLogLines === 0;
  return clean ? 0 : 1;
}

type Report = Record<string, unknown> & {
  requests: Record<string, unknown>;
  process: Record<string, ProcessSample | number[] | null>;
};

function printReport(report: Report): void {
  const p = report.process as Record<string, ProcessSample | null>;
  const row = (name: string, pick: (s: ProcessSample) => number) =>
    `${name}: start ${pick(p.start!)}, warm ${p.warm ? pick(p.warm) : "-"}, peak ${pick(p.peak!)}, end ${pick(p.end!)}, at SIGTERM ${pick(p.atSigterm!)}`;
  log("");
  log(row("fds", (s) => s.fds));
  log(row("RSS MiB", (s) => s.rssMb));
  log("");
  log(JSON.stringify(report, null, 2));
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

if (import.meta.main) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
