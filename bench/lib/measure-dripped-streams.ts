/**
 * CPU per SSE event when events arrive one at a time, as from a real provider: many concurrent
 * streams whose mock drips an event every few milliseconds. (With an instant mock a whole stream
 * arrives in one or two reads, and per-event costs of reading and writing mostly vanish.)
 */
import { readCpuSeconds } from "./proc-stats.ts";
import type { HttpCall } from "./wrk.ts";

export interface DrippedSample {
  streams: number;
  eventsPerStream: number;
  dripMs: number;
  /** Serving process CPU ÷ (streams × content deltas), µs. */
  cpuUsPerEvent: number;
  wallMs: number;
  failed: number;
}

async function drain(call: HttpCall): Promise<void> {
  const response = await fetch(call.url, { method: "POST", headers: call.headers, body: call.body });
  if (response.status !== 200 || !response.body) throw new Error(`status ${response.status}`);
  const reader = response.body.getReader();
  while (!(await reader.read()).done) {
    // Read everything: the stream's whole life is what is measured.
  }
}

/** `call` must ask the mock for `events-N-drip-M` (the model name). */
export async function measureDrippedStreams(
  call: HttpCall,
  pid: number,
  streams: number,
  eventsPerStream: number,
  dripMs: number,
): Promise<DrippedSample> {
  const cpuBefore = readCpuSeconds(pid);
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: streams }, () => drain(call)));
  const wallMs = performance.now() - started;
  const cpuSeconds = readCpuSeconds(pid) - cpuBefore;
  const failed = results.filter((result) => result.status === "rejected").length;
  const events = (streams - failed) * eventsPerStream;
  return {
    streams,
    eventsPerStream,
    dripMs,
    cpuUsPerEvent: events > 0 ? (cpuSeconds * 1e6) / events : Number.NaN,
    wallMs,
    failed,
  };
}
