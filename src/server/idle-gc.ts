import { releaseDeepStack } from "./release-stack.ts";

/**
 * After a burst of load, give memory back: once the gateway has been idle (no request in flight)
 * for a whole interval after handling some, run a full collection and shrink the heap, so RSS
 * returns near its idle level instead of keeping the burst's high-water mark (docs/performance.md,
 * "Footprint"; docs/reliability.md, "Soak"). Costs nothing while busy (no collection runs with requests in flight) or while idle
 * for long (one collection per burst).
 */
export function startIdleCollector(
  counters: { inFlight: number; handled: () => number },
  intervalMs = 10_000,
  /** Other caches to drop at the same moment (the usage store's page cache). */
  onCollect: () => void = () => {},
): () => void {
  let lastHandled = counters.handled();
  // Passes still to run for the last burst: a second one an interval later returns what the
  // first pass's finalizers and the allocator's delayed purge freed. Start-up counts as a burst
  // of one pass: what building the app left (route compilation, config parsing) is ~1 MB that an
  // idle gateway would otherwise keep for its whole life (docs/performance.md, "Chunks").
  let passesLeft = 1;
  const timer = setInterval(() => {
    const handled = counters.handled();
    if (handled !== lastHandled) {
      lastHandled = handled;
      passesLeft = 2;
      return;
    }
    if (passesLeft > 0 && counters.inFlight === 0) {
      passesLeft -= 1;
      onCollect();
      Bun.gc(true);
      // Then hand the freed heap and the burst's JIT code back to the OS: without this RSS stays
      // ~20 MB higher after a c=128 burst (docs/performance.md, "Footprint"); hot code re-JITs on
      // the next requests.
      Bun.shrink();
      // And the stack pages a deeply nested body made JSON.parse touch (up to 5 MB, once).
      releaseDeepStack();
    }
  }, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
