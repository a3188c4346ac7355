/** One measured load run against one target: wrk's numbers plus the serving process's CPU and RSS. */
import { readCpuSeconds, sampleRssPeak } from "./proc-stats.ts";
import { waitForIdle } from "./wait-for-idle.ts";
import { type HttpCall, runWrk, type WrkOptions } from "./wrk.ts";

export interface RunSample {
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  requests: number;
  /** CPU of the serving process (the gateway; the mock for "direct"), µs per completed request. */
  cpuUsPerRequest: number;
  peakRssMb: number;
  socketErrors: number;
  badStatus: number;
  /** Machine busy share just before the run, and whether the idle wait succeeded. */
  busyBefore: number;
  idleBefore: boolean;
}

export interface IdlePolicy {
  maxBusy: number;
  windowMs: number;
  maxWaitMs: number;
}

export async function measureRun(
  call: HttpCall,
  pid: number,
  wrk: WrkOptions,
  idle: IdlePolicy,
): Promise<RunSample> {
  const quiet = await waitForIdle(idle.maxBusy, idle.windowMs, idle.maxWaitMs);
  const cpuBefore = readCpuSeconds(pid);
  const rss = sampleRssPeak(pid);
  const result = await runWrk(call, wrk);
  const peakRssMb = rss.stop();
  const cpuSeconds = readCpuSeconds(pid) - cpuBefore;
  return {
    rps: result.rps,
    p50Ms: result.p50Ms,
    p90Ms: result.p90Ms,
    p99Ms: result.p99Ms,
    requests: result.requests,
    cpuUsPerRequest: result.requests > 0 ? (cpuSeconds * 1e6) / result.requests : Number.NaN,
    peakRssMb,
    socketErrors: result.socketErrors,
    badStatus: result.badStatus,
    busyBefore: quiet.busy,
    idleBefore: quiet.idle,
  };
}
