/**
 * The soak's upstream: the test suite's scriptable mock (test/support/mock-upstream.ts), every
 * answer drawn from a seeded mix of normal answers and faults: 5xx, 429 with Retry-After,
 * connection resets before and after the first byte, stalls after the first byte, answers that
 * never start, slow answers, a client error now and then.
 *
 * It counts what it saw: every request, and the soak request ids (`[soak-N]` in the prompt) that
 * reached it, so the run can check each one got a usage row.
 */
import { type MockReply, type MockUpstream, startMockUpstream } from "../../test/support/mock-upstream.ts";
import type { Random } from "./random.ts";

export type Fault =
  | "normal"
  | "slow"
  | "status_5xx"
  | "status_429"
  | "status_400"
  | "reset_before_headers"
  | "reset_mid_body"
  | "stall_mid_body"
  | "never_answers";

/** Share of upstream calls per answer kind; the rest of the soak's numbers follow from these. */
const FAULT_MIX: ReadonlyArray<readonly [Fault, number]> = [
  ["normal", 0.7],
  ["slow", 0.04],
  ["status_5xx", 0.05],
  ["status_429", 0.05],
  ["status_400", 0.02],
  ["reset_before_headers", 0.04],
  ["reset_mid_body", 0.04],
  ["stall_mid_body", 0.04],
  ["never_answers", 0.02],
];

export interface FaultyUpstream {
  mock: MockUpstream;
  /** Requests that reached the upstream, all endpoints. */
  seen: number;
  faults: Record<Fault, number>;
  /** Soak request ids whose prompt reached the upstream. */
  soakIds: Set<string>;
  /** Makes every answer a slow, long stream (the final burst before SIGTERM). */
  slowEverything(on: boolean): void;
  stop(): Promise<void>;
}

/** Idle upstream connections are closed after this (seconds); the soak waits past it before its end sample. */
export const UPSTREAM_IDLE_SECONDS = 30;

const SOAK_ID = /\[(soak[a-z]*-\d+)\]/;

export async function startFaultyUpstream(random: Random): Promise<FaultyUpstream> {
  const mock = await startMockUpstream({
    models: ["gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash"],
    // Idle upstream connections close, as a provider's do, so the gateway's fds can come back down.
    // Bun cuts a response still being written after this too: longer than any soak reply.
    idleTimeoutSeconds: UPSTREAM_IDLE_SECONDS,
  });
  const faults = Object.fromEntries(FAULT_MIX.map(([fault]) => [fault, 0])) as Record<Fault, number>;
  const soakIds = new Set<string>();
  let slow = false;
  const upstream: FaultyUpstream = {
    mock,
    seen: 0,
    faults,
    soakIds,
    slowEverything(on) {
      slow = on;
    },
    stop: () => mock.stop(),
  };

  mock.setDefault((request) => {
    upstream.seen++;
    const id = SOAK_ID.exec(request.bodyText)?.[1];
    if (id) soakIds.add(id);
    // The mock keeps every request; the soak needs only the counts above.
    if (mock.requests.length > 2000) mock.requests.splice(0, 1000);
    if (slow) return { echo: true, chunkDelayMs: 1500 };
    const fault = random.pick(FAULT_MIX);
    faults[fault]++;
    return replyFor(fault, request.path, random);
  });
  return upstream;
}

function replyFor(fault: Fault, path: string, random: Random): MockReply {
  const anthropic = path.endsWith("/messages") || path.endsWith("/count_tokens");
  switch (fault) {
    case "normal":
      return { echo: true, chunkDelayMs: random.int(0, 15) };
    case "slow":
      return { echo: true, delayMs: random.int(200, 900), chunkDelayMs: random.int(20, 120) };
    case "status_5xx":
      return { error: { status: random.oneOf([500, 502, 503, anthropic ? 529 : 500]) } };
    case "status_429":
      return {
        error: {
          status: 429,
          headers: random.chance(0.5) ? { "retry-after": "1" } : { "retry-after-ms": "300" },
        },
      };
    case "status_400":
      return { error: { status: 400, message: "mock upstream: this request is invalid" } };
    case "reset_before_headers":
      return random.chance(0.5) ? { networkError: true } : { echo: true, dropAfterChunks: 0 };
    case "reset_mid_body":
      return { echo: true, chunkDelayMs: 5, dropAfterChunks: random.int(1, 3) };
    case "stall_mid_body":
      return { echo: true, hangAfterChunks: random.int(1, 2) };
    case "never_answers":
      return { hang: true };
  }
}

/** The prompt text that carries a soak request id to the upstream (and back in the echo). */
export function soakPrompt(id: string): string {
  return `[${id}] tell me about foxes at dawn, in a few words`;
}
