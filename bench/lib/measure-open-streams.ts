/** RSS of a gateway holding many open streams, opened by bench/open-streams.ts in its own process. */
import { join } from "node:path";
import { readMemory } from "./proc-stats.ts";
import { pinned } from "./services.ts";
import type { HttpCall } from "./wrk.ts";

export interface OpenStreamsSample {
  streams: number;
  open: number;
  failed: number;
  /** Streams with no first event when the wait ended (queued somewhere). */
  waiting: number;
  openMs: number;
  rssBeforeMb: number;
  rssOpenMb: number;
}

interface OpenedLine {
  open: number;
  failed: number;
  waiting: number;
  ms: number;
}

function isOpenedLine(value: unknown): value is OpenedLine {
  if (typeof value !== "object" || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.open === "number" &&
    typeof line.failed === "number" &&
    typeof line.waiting === "number" &&
    typeof line.ms === "number"
  );
}

async function readLine(stream: ReadableStream<Uint8Array>, timeoutMs: number): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Bun.sleep(timeoutMs).then(() => undefined);
  while (!text.includes("\n")) {
    const chunk = await Promise.race([reader.read(), deadline]);
    if (!chunk || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  reader.releaseLock();
  return text.split("\n", 1)[0] ?? "";
}

export async function measureOpenStreams(
  call: HttpCall,
  count: number,
  gatewayPid: number,
  cores: string | undefined,
  waitMs = 15_000,
): Promise<OpenStreamsSample> {
  const rssBeforeMb = readMemory(gatewayPid).rssMb;
  const proc = Bun.spawn(
    pinned(
      [
        "bun",
        join(import.meta.dir, "..", "open-streams.ts"),
        JSON.stringify(call),
        String(count),
        String(waitMs),
      ],
      cores,
    ),
    {
      stdout: "pipe",
      stderr: "inherit",
      env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: String(count * 2) },
    },
  );
  try {
    const line = await readLine(proc.stdout, waitMs + 15_000);
    const parsed: unknown = line ? JSON.parse(line) : undefined;
    if (!isOpenedLine(parsed)) throw new Error(`open-streams printed no result: ${line}`);
    // Hold them a little: buffers fill as the dripped events flow.
    let rssOpenMb = readMemory(gatewayPid).rssMb;
    for (let i = 0; i < 20; i++) {
      await Bun.sleep(100);
      rssOpenMb = Math.max(rssOpenMb, readMemory(gatewayPid).rssMb);
    }
    return {
      streams: count,
      open: parsed.open,
      failed: parsed.failed,
      waiting: parsed.waiting,
      openMs: parsed.ms,
      rssBeforeMb,
      rssOpenMb,
    };
  } finally {
    proc.kill("SIGKILL");
    await proc.exited;
  }
}
