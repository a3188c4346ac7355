/** Reduces a cell's repeated runs to medians, and flags the cell when the repeats disagree. */
import type { RunSample } from "./measure-run.ts";
import type { Load, TargetName } from "./paths.ts";
import { median, spread } from "./percentiles.ts";
import type { CellSummary } from "./report-types.ts";

/** Throughput max/min above this marks a cell unreliable. */
export const UNRELIABLE_SPREAD = 1.3;

export function summariseCell(
  path: string,
  load: Load,
  concurrency: number,
  target: TargetName,
  runs: RunSample[],
): CellSummary {
  const pick = (field: keyof Omit<RunSample, "idleBefore">) => median(runs.map((run) => run[field]));
  const throughputSpread = spread(runs.map((run) => run.rps));
  const errors = runs.reduce((sum, run) => sum + run.socketErrors + run.badStatus, 0);
  return {
    path,
    load,
    concurrency,
    target,
    runs,
    median: {
      rps: pick("rps"),
      p50Ms: pick("p50Ms"),
      p90Ms: pick("p90Ms"),
      p99Ms: pick("p99Ms"),
      requests: pick("requests"),
      cpuUsPerRequest: pick("cpuUsPerRequest"),
      peakRssMb: pick("peakRssMb"),
      socketErrors: pick("socketErrors"),
      badStatus: pick("badStatus"),
      busyBefore: pick("busyBefore"),
    },
    spread: throughputSpread,
    unreliable: throughputSpread > UNRELIABLE_SPREAD || runs.some((run) => !run.idleBefore) || errors > 0,
    errors,
  };
}
