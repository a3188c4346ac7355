/** The performance targets of issue 7, judged against one run's medians. */
import type { Load } from "./paths.ts";
import type { BenchReport, CellSummary, TargetCheck } from "./report-types.ts";

// The Responses paths are held to the Chat Completions budgets (issue 11).
const SAME = ["openai→openai", "anthropic→anthropic", "responses→responses"];
const TRANSLATED = ["openai→anthropic", "anthropic→openai", "responses→anthropic"];

function find(
  cells: CellSummary[],
  path: string,
  load: Load,
  c: number,
  target: string,
): CellSummary | undefined {
  return cells.find(
    (cell) =>
      cell.path === path &&
      cell.load.stream === load.stream &&
      cell.load.events === load.events &&
      cell.concurrency === c &&
      cell.target === target,
  );
}

function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** One check over several paths: the worst path decides. */
function checkEach(
  name: string,
  limit: string,
  paths: string[],
  value: (path: string) => number | undefined,
  ok: (value: number) => boolean,
  unit: string,
  note: string,
): TargetCheck {
  const values = paths.map((path) => ({ path, value: value(path) }));
  const known = values.filter((entry): entry is { path: string; value: number } => entry.value !== undefined);
  // Paths a run left out (--paths) are not listed.
  const shown = known.map((entry) => `${entry.path}: ${fmt(entry.value, 2)}${unit}`);
  return {
    name,
    limit,
    value: shown.length ? shown.join("; ") : "n/a",
    met: known.length === 0 ? null : known.every((entry) => ok(entry.value)),
    note,
  };
}

export function checkTargets(report: Omit<BenchReport, "targets">): TargetCheck[] {
  const { cells, memory, startup } = report;
  const json: Load = { stream: false, events: 20 };
  const sse = report.settings.loads.filter((load) => load.stream);
  const longest = sse.reduce<Load | undefined>(
    (best, load) => (!best || load.events > best.events ? load : best),
    undefined,
  );
  const cpu = (path: string, load: Load) =>
    find(cells, path, load, 50, "switchboard")?.median.cpuUsPerRequest;
  // Events arriving one at a time (dripped) when measured; else the instant-stream figure.
  const perEvent = (path: string) => {
    const dripped = report.dripped.find((entry) => entry.path === path && entry.target === "switchboard");
    if (dripped) return dripped.medianCpuUsPerEvent;
    if (!longest) return undefined;
    const value = cpu(path, longest);
    return value === undefined ? undefined : value / longest.events;
  };
  const floorCpu = (load: Load, c: number) =>
    SAME.map((path) => find(cells, path, load, c, "floor")?.median.cpuUsPerRequest)
      .filter((value): value is number => value !== undefined)
      .map((value) => `${fmt(value, 0)} µs`)
      .join(" / ");
  const floorAdded = SAME.map((path) => {
    const floor = find(cells, path, json, 1, "floor");
    const direct = find(cells, path, json, 1, "direct");
    return floor && direct ? `${fmt(floor.median.p50Ms - direct.median.p50Ms, 2)} ms` : undefined;
  })
    .filter(Boolean)
    .join(" / ");
  const withFloor = (note: string, floor: string) => (floor ? `${note}; bare Bun proxy: ${floor}` : note);
  const drip = report.dripped.find((entry) => entry.target === "switchboard");
  const eventHow = drip
    ? `${drip.streams} concurrent streams, an event every ${drip.dripMs} ms`
    : `${longest?.events ?? "?"} events at once, c=50`;
  const checks: TargetCheck[] = [
    checkEach(
      "same-protocol CPU per request (JSON, c=50)",
      "≤ 60 µs",
      SAME,
      (path) => cpu(path, json),
      (value) => value <= 60,
      " µs",
      withFloor(
        "process CPU (utime+stime) of the gateway over the run ÷ completed requests",
        floorCpu(json, 50),
      ),
    ),
    checkEach(
      "same-protocol added p50 latency (JSON, c=1)",
      "≤ 0.15 ms",
      SAME,
      (path) => {
        const gateway = find(cells, path, json, 1, "switchboard");
        const direct = find(cells, path, json, 1, "direct");
        return gateway && direct ? gateway.median.p50Ms - direct.median.p50Ms : undefined;
      },
      (value) => value <= 0.15,
      " ms",
      withFloor("gateway p50 minus direct-to-mock p50", floorAdded),
    ),
    checkEach(
      "same-protocol throughput vs peer (JSON, c=50)",
      "≥ 10×",
      SAME,
      (path) => {
        const gateway = find(cells, path, json, 50, "switchboard");
        const peer = find(cells, path, json, 50, "peer");
        return gateway && peer && peer.median.rps > 0 ? gateway.median.rps / peer.median.rps : undefined;
      },
      (value) => value >= 10,
      "×",
      "requests/s through Switchboard ÷ through the peer",
    ),
    checkEach(
      "translated CPU per request (JSON, c=50)",
      "≤ 150 µs",
      TRANSLATED,
      (path) => cpu(path, json),
      (value) => value <= 150,
      " µs",
      "",
    ),
    checkEach(
      `same-protocol CPU per SSE event (${eventHow})`,
      "≤ 20 µs",
      SAME,
      perEvent,
      (value) => value <= 20,
      " µs",
      "gateway CPU over the streams' lives ÷ content deltas delivered",
    ),
    checkEach(
      `translated CPU per SSE event (${eventHow})`,
      "≤ 40 µs",
      TRANSLATED,
      perEvent,
      (value) => value <= 40,
      " µs",
      "",
    ),
  ];
  const memoryCheck = (
    name: string,
    limit: number,
    value: number | undefined,
    note: string,
  ): TargetCheck => ({
    name,
    limit: `≤ ${limit} MB`,
    value: value === undefined ? "n/a" : `${fmt(value)} MB`,
    met: value === undefined ? null : value <= limit,
    note,
  });
  const streams = memory.openStreams.filter(
    (entry) => entry.target === "switchboard" && entry.variant === "as shipped",
  );
  const worstStreams = streams.length ? Math.max(...streams.map((entry) => entry.rssOpenMb)) : undefined;
  const allOpen = streams.every((entry) => entry.open === entry.streams);
  const streamsCheck = memoryCheck(
    "RSS holding 1,000 open streams",
    160,
    worstStreams,
    streams
      .map((entry) => `${entry.path}: ${entry.open}/${entry.streams} streams had their first event`)
      .join("; "),
  );
  // Memory under the limit means nothing if most streams never opened.
  if (streamsCheck.met && !allOpen) streamsCheck.met = false;
  checks.push(
    memoryCheck("RSS idle", 45, memory.idleMb.switchboard, "fresh process after /ready"),
    memoryCheck(
      "RSS at concurrency 128",
      100,
      memory.peakC128Mb.switchboard,
      "largest sample over all c=128 cells",
    ),
    streamsCheck,
  );
  checks.push({
    name: "start-up to /ready (compiled binary, median)",
    limit: "≤ 50 ms",
    value: startup ? `${fmt(startup.medianMs)} ms` : "n/a",
    met: startup ? startup.medianMs <= 50 : null,
    note: startup
      ? `${startup.runsMs.length} runs, exec → first 200 from /ready, polled every 2 ms`
      : "not measured",
  });
  return checks;
}
