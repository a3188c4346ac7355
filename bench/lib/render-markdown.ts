/** The run as markdown: one load table with ratios, then latency to first byte, memory, start-up, targets. */
import { describeLoad, type TargetName } from "./paths.ts";
import type { BenchReport, CellSummary } from "./report-types.ts";

function num(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || !(b > 0) ? "–" : `${(a / b).toFixed(2)}×`;
}

function latencies(cell: CellSummary | undefined): string {
  if (!cell) return "–";
  const { p50Ms, p90Ms, p99Ms } = cell.median;
  return `${num(p50Ms, 2)} / ${num(p90Ms, 2)} / ${num(p99Ms, 2)}`;
}

function flag(cell: CellSummary | undefined, label: string): string {
  if (!cell) return "";
  if (cell.errors > 0) return `${label}: ${cell.errors} errors`;
  if (cell.runs.some((run) => !run.idleBefore)) return `${label}: machine not idle`;
  if (cell.unreliable) return `${label}: spread ${cell.spread.toFixed(2)}`;
  return "";
}

export function renderLoadTable(cells: CellSummary[]): string {
  const rows: string[] = [
    "| path | load | c | req/s direct | req/s Switchboard | req/s peer | SB ÷ direct | SB ÷ peer | p50/p90/p99 ms direct | p50/p90/p99 ms Switchboard | p50/p90/p99 ms peer | CPU µs/req mock | CPU µs/req Switchboard | CPU µs/req peer | SB CPU µs/event | unreliable |",
    "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
  ];
  const keys = new Map<string, CellSummary[]>();
  for (const cell of cells) {
    const key = `${cell.path}|${describeLoad(cell.load)}|${cell.concurrency}`;
    keys.set(key, [...(keys.get(key) ?? []), cell]);
  }
  for (const group of keys.values()) {
    const first = group[0];
    if (!first) continue;
    const of = (target: TargetName) => group.find((cell) => cell.target === target);
    const direct = of("direct");
    const gateway = of("switchboard");
    const peer = of("peer");
    const perEvent =
      gateway && first.load.stream ? num(gateway.median.cpuUsPerRequest / first.load.events, 1) : "–";
    const flags = [flag(direct, "D"), flag(gateway, "SB"), flag(peer, "P")].filter(Boolean).join(", ");
    rows.push(
      `| ${first.path} | ${describeLoad(first.load)} | ${first.concurrency} | ${num(direct?.median.rps, 0)} | ${num(gateway?.median.rps, 0)} | ${num(peer?.median.rps, 0)} | ${ratio(gateway?.median.rps, direct?.median.rps)} | ${ratio(gateway?.median.rps, peer?.median.rps)} | ${latencies(direct)} | ${latencies(gateway)} | ${latencies(peer)} | ${num(direct?.median.cpuUsPerRequest, 0)} | ${num(gateway?.median.cpuUsPerRequest, 0)} | ${num(peer?.median.cpuUsPerRequest, 0)} | ${perEvent} | ${flags} |`,
    );
  }
  return rows.join("\n");
}

/** The bare Bun proxy beside Switchboard: how far the gateway is from what Bun itself costs. */
export function renderFloorTable(cells: CellSummary[]): string | undefined {
  const floors = cells.filter((cell) => cell.target === "floor");
  if (floors.length === 0) return undefined;
  const rows = [
    "| path | load | c | req/s floor | SB ÷ floor | p50/p90/p99 ms floor | CPU µs/req floor | CPU µs/req Switchboard | SB CPU − floor CPU |",
    "|---|---|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const floor of floors) {
    const gateway = cells.find(
      (cell) =>
        cell.target === "switchboard" &&
        cell.path === floor.path &&
        cell.concurrency === floor.concurrency &&
        describeLoad(cell.load) === describeLoad(floor.load),
    );
    const extra = gateway ? gateway.median.cpuUsPerRequest - floor.median.cpuUsPerRequest : undefined;
    rows.push(
      `| ${floor.path} | ${describeLoad(floor.load)} | ${floor.concurrency} | ${num(floor.median.rps, 0)} | ${ratio(gateway?.median.rps, floor.median.rps)} | ${latencies(floor)} | ${num(floor.median.cpuUsPerRequest, 0)} | ${num(gateway?.median.cpuUsPerRequest, 0)} | ${num(extra, 0)} |`,
    );
  }
  return rows.join("\n");
}

export function renderReport(report: BenchReport): string {
  const out: string[] = [];
  const m = report.machine;
  out.push(
    `## Switchboard benchmark, ${report.date}${report.quick ? " (quick)" : ""}`,
    "",
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Linux ${m.kernel}; ` +
      Object.entries(report.versions)
        .map(([name, version]) => `${name} ${version ?? "?"}`)
        .join(", "),
    `${report.settings.reps} run(s) of ${report.settings.durationS} s per cell, medians; pinning: ${report.settings.pinning}; peer on ${report.settings.peerRuntime}.`,
    "",
    "### Load (wrk, POST, keep-alive)",
    "",
    renderLoadTable(report.cells),
    "",
  );
  const floorTable = renderFloorTable(report.cells);
  if (floorTable) {
    out.push("### Floor: a bare Bun fetch proxy (bench/bare-proxy.ts) on the same core", "", floorTable, "");
  }
  if (report.ttfb.length) {
    out.push(
      "### Time to first byte of a stream (c=1, ms, p50 / p90 / p99)",
      "",
      "| path | events | direct | floor | Switchboard | peer |",
      "|---|--:|--:|--:|--:|--:|",
    );
    const paths = [...new Set(report.ttfb.map((entry) => entry.path))];
    for (const path of paths) {
      const of = (target: TargetName) =>
        report.ttfb.find((entry) => entry.path === path && entry.target === target);
      const cell = (target: TargetName) => {
        const entry = of(target);
        return entry
          ? `${num(entry.medianP50Ms, 2)} / ${num(entry.medianP90Ms, 2)} / ${num(entry.medianP99Ms, 2)}`
          : "–";
      };
      out.push(
        `| ${path} | ${of("switchboard")?.events ?? of("direct")?.events ?? "–"} | ${cell("direct")} | ${cell("floor")} | ${cell("switchboard")} | ${cell("peer")} |`,
      );
    }
    out.push("");
  }
  if (report.dripped.length) {
    const first = report.dripped[0];
    out.push(
      `### CPU per SSE event, events one at a time (${first?.streams} concurrent streams × ${first?.eventsPerStream} events, one every ${first?.dripMs} ms; µs)`,
      "",
      "| path | mock | floor | Switchboard | peer |",
      "|---|--:|--:|--:|--:|",
    );
    for (const path of [...new Set(report.dripped.map((entry) => entry.path))]) {
      const of = (target: TargetName) =>
        report.dripped.find((entry) => entry.path === path && entry.target === target)?.medianCpuUsPerEvent;
      out.push(
        `| ${path} | ${num(of("direct"), 1)} | ${num(of("floor"), 1)} | ${num(of("switchboard"), 1)} | ${num(of("peer"), 1)} |`,
      );
    }
    out.push("");
  }
  const mem = report.memory;
  out.push(
    "### Memory (RSS, MB)",
    "",
    "| | Switchboard | peer | floor (bare Bun proxy) |",
    "|---|--:|--:|--:|",
    `| idle (fresh, after ready) | ${num(mem.idleMb.switchboard, 1)} | ${num(mem.idleMb.peer, 1)} | |`,
    `| peak during c=128 cells | ${num(mem.peakC128Mb.switchboard, 1)} | ${num(mem.peakC128Mb.peer, 1)} | |`,
    `| VmHWM after the load matrix | ${num(mem.hwmMb.switchboard, 1)} | ${num(mem.hwmMb.peer, 1)} | |`,
  );
  for (const entry of mem.openStreams) {
    const cell = (target: string) => (entry.target === target ? num(entry.rssOpenMb, 1) : "");
    out.push(
      `| ${entry.streams} streams, ${entry.path}, ${entry.variant}: ${entry.open} open, ${entry.waiting} waiting, ${entry.failed} failed (RSS before ${num(entry.rssBeforeMb, 1)}) | ${cell("switchboard")} | ${cell("peer")} | ${cell("floor")} |`,
    );
  }
  out.push("");
  if (report.startup) {
    out.push(
      `### Start-up: exec → /ready 200, ${report.startup.command}`,
      "",
      `median ${num(report.startup.medianMs, 1)} ms over ${report.startup.runsMs.length} runs (${report.startup.runsMs.map((ms) => ms.toFixed(1)).join(", ")})`,
      "",
    );
  }
  out.push("### Targets", "", "| target | limit | measured | met | how |", "|---|---|---|---|---|");
  for (const check of report.targets) {
    out.push(
      `| ${check.name} | ${check.limit} | ${check.value} | ${check.met === null ? "n/a" : check.met ? "yes" : "**no**"} | ${check.note} |`,
    );
  }
  const unsupported = report.support.filter((entry) => !entry.ok);
  if (unsupported.length || report.notes.length) {
    out.push("", "### Notes", "");
    const seen = new Set<string>();
    for (const entry of unsupported) {
      // One line per target and path: the reason is the same for each of its loads.
      const key = `${entry.target}|${entry.path}|${entry.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`- ${entry.target} does not serve ${entry.path}: ${entry.reason}`);
    }
    for (const note of report.notes) out.push(`- ${note}`);
  }
  return out.join("\n");
}
