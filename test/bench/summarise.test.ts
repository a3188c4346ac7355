import { describe, expect, test } from "bun:test";
import type { RunSample } from "../../bench/lib/measure-run.ts";
import { readCpuSeconds, readMemory } from "../../bench/lib/proc-stats.ts";
import { summariseCell } from "../../bench/lib/summarise-cell.ts";
import { summariseCpuProfile } from "../../bench/lib/summarise-cpu-profile.ts";

const run = (rps: number, extra: Partial<RunSample> = {}): RunSample => ({
  rps,
  p50Ms: 1,
  p90Ms: 2,
  p99Ms: 3,
  requests: rps,
  cpuUsPerRequest: 50,
  peakRssMb: 80,
  socketErrors: 0,
  badStatus: 0,
  busyBefore: 0.05,
  idleBefore: true,
  ...extra,
});

describe("summariseCell", () => {
  const load = { stream: false, events: 20 };

  test("medians, and reliable when repeats agree", () => {
    const cell = summariseCell("openai→openai", load, 50, "switchboard", [run(1000), run(1100), run(1050)]);
    expect(cell.median.rps).toBe(1050);
    expect(cell.unreliable).toBe(false);
  });

  test("unreliable on a large spread, a busy machine, or any error", () => {
    expect(summariseCell("p", load, 1, "peer", [run(1000), run(1400)]).unreliable).toBe(true);
    expect(summariseCell("p", load, 1, "peer", [run(1000, { idleBefore: false })]).unreliable).toBe(true);
    const failing = summariseCell("p", load, 1, "peer", [run(1000, { badStatus: 4 })]);
    expect(failing.unreliable).toBe(true);
    expect(failing.errors).toBe(4);
  });
});

describe("summariseCpuProfile", () => {
  test("self time per function from samples and time deltas", () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 } },
        { id: 2, callFrame: { functionName: "parse", url: "file:///repo/src/a.ts", lineNumber: 9 } },
        { id: 3, callFrame: { functionName: "", url: "", lineNumber: 0 } },
      ],
      samples: [2, 2, 3, 2],
      timeDeltas: [0, 1000, 1000, 2000],
    };
    const summary = summariseCpuProfile(profile, "file:///repo/");
    expect(summary.totalMs).toBe(4);
    expect(summary.top[0]).toEqual({ name: "parse", location: "src/a.ts:10", selfMs: 2, share: 0.5 });
    expect(summary.top[1]?.name).toBe("(anonymous)");
  });

  test("anything else is rejected", () => {
    expect(() => summariseCpuProfile({ nodes: [] })).toThrow(".cpuprofile");
  });
});

describe("proc stats", () => {
  test("this process has CPU time and a resident set no larger than its peak", () => {
    let spin = 0;
    for (let i = 0; i < 2e6; i++) spin += i;
    expect(spin).toBeGreaterThan(0);
    expect(readCpuSeconds(process.pid)).toBeGreaterThan(0);
    const memory = readMemory(process.pid);
    expect(memory.rssMb).toBeGreaterThan(10);
    expect(memory.hwmMb).toBeGreaterThanOrEqual(memory.rssMb);
  });
});
