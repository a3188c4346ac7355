/** Time to first byte of a streamed answer, one request at a time, from Bun's fetch. */
import { quantile } from "./percentiles.ts";
import type { HttpCall } from "./wrk.ts";

export interface TtfbResult {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
}

/** Milliseconds from sending the request to the first chunk of the body; drains the rest. */
export async function measureTtfbOnce(call: HttpCall): Promise<number> {
  const started = performance.now();
  const response = await fetch(call.url, { method: "POST", headers: call.headers, body: call.body });
  const reader = response.body?.getReader();
  if (!reader) throw new Error(`no body (status ${response.status})`);
  const first = await reader.read();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  if (first.done) throw new Error("empty stream");
  while (!(await reader.read()).done) {
    // Drain, so the connection is reused for the next sample.
  }
  return elapsed;
}

export async function probeTtfb(call: HttpCall, samples: number, warmup = 5): Promise<TtfbResult> {
  for (let i = 0; i < warmup; i++) await measureTtfbOnce(call);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await measureTtfbOnce(call));
  return { samples, p50Ms: quantile(times, 0.5), p90Ms: quantile(times, 0.9), p99Ms: quantile(times, 0.99) };
}
