#!/usr/bin/env bun
/**
 * Holds many streaming requests open at once, for the memory-under-open-streams measurement.
 * Run in its own process: Bun reads BUN_CONFIG_MAX_HTTP_REQUESTS at start, and its default
 * (256) would queue the rest.
 *
 *   BUN_CONFIG_MAX_HTTP_REQUESTS=4096 bun bench/open-streams.ts '<HttpCall JSON>' 1000 [waitMs]
 *
 * Prints `{"open":N,"failed":F,"waiting":W,"ms":T}` once every stream has its first chunk (or
 * failed), or after waitMs (default 15 s) with those still waiting counted; then keeps the
 * streams open, reading, until killed.
 */

interface HttpCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function isHttpCall(value: unknown): value is HttpCall {
  if (typeof value !== "object" || value === null) return false;
  const call = value as Record<string, unknown>;
  return typeof call.url === "string" && typeof call.body === "string" && typeof call.headers === "object";
}

async function holdStream(call: HttpCall, firstChunk: () => void): Promise<void> {
  const response = await fetch(call.url, { method: "POST", headers: call.headers, body: call.body });
  if (response.status !== 200 || !response.body) throw new Error(`status ${response.status}`);
  const reader = response.body.getReader();
  const first = await reader.read();
  if (first.done) throw new Error("stream ended before its first event");
  firstChunk();
  while (!(await reader.read()).done) {
    // Keep reading: a stalled reader would let backpressure, not the gateway, hold the memory.
  }
}

const parsed: unknown = JSON.parse(process.argv[2] ?? "null");
const count = Number(process.argv[3] ?? 1000);
const waitMs = Number(process.argv[4] ?? 15_000);
if (!isHttpCall(parsed)) throw new Error("usage: open-streams.ts '<HttpCall JSON>' <count>");
const call = parsed;

const started = performance.now();
let open = 0;
let failed = 0;
let reported = false;
const report = (force = false) => {
  if (reported || (!force && open + failed < count)) return;
  reported = true;
  const waiting = count - open - failed;
  process.stdout.write(
    `${JSON.stringify({ open, failed, waiting, ms: Math.round(performance.now() - started) })}\n`,
  );
};
setTimeout(() => report(true), waitMs);
for (let i = 0; i < count; i++) {
  let counted = false;
  holdStream(call, () => {
    counted = true;
    open++;
    report();
  }).catch(() => {
    if (!counted) failed++;
    else open--;
    report();
  });
}
setInterval(() => {}, 60_000);
