import { expect, test } from "bun:test";
import { startIdleCollector } from "../../src/server/idle-gc.ts";

test("collects once after start-up, twice after a burst (an interval apart), when nothing is in flight; never while busy", async () => {
  const calls: number[] = [];
  const shrinks: number[] = [];
  let dropped = 0;
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
      () => {
        dropped++;
      },
    );
    await Bun.sleep(70);
    expect(calls.length).toBe(1); // idle from the start: start-up's garbage, once
    expect(shrinks.length).toBe(1);
    counters.started = 5;
    counters.inFlight = 2;
    await Bun.sleep(70);
    expect(calls.length).toBe(1); // busy
    counters.inFlight = 0;
    await Bun.sleep(120);
    expect(calls.length).toBe(3); // the burst ended: two passes
    expect(shrinks.length).toBe(3); // the heap handed back after each
    expect(dropped).toBe(3); // and the other caches dropped
    await Bun.sleep(80);
    expect(calls.length).toBe(3); // and no more
    stop();
  } finally {
    (Bun as unknown as { gc: typeof original }).gc = original;
    (Bun as unknown as { shrink: typeof originalShrink }).shrink = originalShrink;
  }
});
