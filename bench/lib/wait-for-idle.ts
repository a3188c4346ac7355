/** Waits until the machine is quiet, so one cell's leftovers (GC, closing sockets) don't bill the next. */
import { readFileSync } from "node:fs";

interface CpuTimes {
  idle: number;
  total: number;
}

function readCpuTimes(): CpuTimes {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { idle, total: values.reduce((sum, value) => sum + value, 0) };
}

/** Share of all cores busy over `windowMs` (0..1). */
export async function measureBusy(windowMs: number): Promise<number> {
  const before = readCpuTimes();
  await Bun.sleep(windowMs);
  const after = readCpuTimes();
  const total = after.total - before.total;
  return total > 0 ? 1 - (after.idle - before.idle) / total : 0;
}

export interface IdleResult {
  busy: number;
  waitedMs: number;
  idle: boolean;
}

/** Polls until busy ≤ `maxBusy` over one window, or gives up after `maxWaitMs` (and says so). */
export async function waitForIdle(maxBusy = 0.1, windowMs = 250, maxWaitMs = 10_000): Promise<IdleResult> {
  const started = performance.now();
  let busy = 1;
  while (performance.now() - started < maxWaitMs) {
    busy = await measureBusy(windowMs);
    if (busy <= maxBusy) return { busy, waitedMs: performance.now() - started, idle: true };
  }
  return { busy, waitedMs: performance.now() - started, idle: false };
}
