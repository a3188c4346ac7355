import { expect, test } from "bun:test";
import { startIdleCollector } from "../../src/server/idle-gc.ts";

test("collects once after a burst, when nothing is in flight; never while busy", async () => {
  const calls: number[] = [];
  const shrinks: number[] = [];
  const original = Bun.gc;
  const originalShrink = Bun.shrink;
  (Bun as unknown as { gc: (full?: boolean) => number }).gc = () => {
    calls.push(Date.now());
    return 0;
  };
  (Bun as unknown as { shrink: () => void }).shrink = () => {
    shrinks.push(Date.now());
  };
  try {
    const counters = { inFlight: 0, started: 0 };
    const stop = startIdleCollector(
      {
        get inFlight() {
          return counters.inFlight;
        },
        handled: () => counters.started,
      },
      20,
    );
    await Bun.sleep(70);
    expect(calls.length).toBe(0); // idle from the start: nothing to give back
    counters.started = 5;
    counters.inFlight = 2;
    await Bun.sleep(70);
    expect(calls.length).toBe(0); // busy
    counters.inFlight = 0;
    await Bun.sleep(90);
    expect(calls.length).toBe(1); // the burst ended: one collection
    expect(shrinks.length).toBe(1); // and the heap handed back after it
    await Bun.sleep(70);
    expect(calls.length).toBe(1); // and only one
    stop();
  } finally {
    (Bun as unknown as { gc: typeof original }).gc = original;
    (Bun as unknown as { shrink: typeof originalShrink }).shrink = originalShrink;
  }
});
