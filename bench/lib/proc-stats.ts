/** Process CPU and memory from /proc (Linux): what a gateway costs, measured from outside. */
import { readFileSync } from "node:fs";

// USER_HZ is 100 on every Linux ABI Bun runs on; /proc/<pid>/stat counts in these ticks.
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of the whole process (all threads), since it started. */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Field 2 (comm) may contain spaces and parentheses: count fields after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / TICKS_PER_SECOND;
}

export interface MemorySample {
  /** Resident set now, MiB. */
  rssMb: number;
  /** Peak resident set since the process started (VmHWM), MiB. */
  hwmMb: number;
}

function readKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : Number.NaN;
}

export function readMemory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return { rssMb: readKb(status, "VmRSS") / 1024, hwmMb: readKb(status, "VmHWM") / 1024 };
}

/** Samples VmRSS on an interval; `stop()` returns the largest value seen. */
export function sampleRssPeak(pid: number, intervalMs = 50): { stop(): number } {
  let peak = readMemory(pid).rssMb;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, readMemory(pid).rssMb);
    } catch {
      // The process exited mid-run; the run itself will report the failure.
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, readMemory(pid).rssMb);
    },
  };
}
