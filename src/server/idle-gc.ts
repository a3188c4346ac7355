/**
 * After a burst of load, give memory back: once the gateway has been idle (no request in flight)
 * for a whole interval after handling some, run a full collection and shrink the heap, so RSS
 * returns near its idle level instead of keeping the burst's high-water mark (docs/reliability.md,
 * "Memory"). Costs nothing while busy (no collection runs with requests in flight) or while idle
 * for long (one collection per burst).
 */
export function startIdleCollector(
  counters: { inFlight: number; handled: () => number },
  intervalMs = 10_000,
): () => void {
  let lastHandled = counters.handled();
  let collected = true;
  const timer = setInterval(() => {
    const handled = counters.handled();
    if (handled !== lastHandled) {
      lastHandled = handled;
      collected = false;
      return;
    }
    if (!collected && counters.inFlight === 0) {
      collected = true;
      Bun.gc(true);
      // Then hand the freed heap and the burst's JIT code back to the OS: without this RSS stays
      // ~20 MB higher after a c=128 burst (docs/performance.md, "Footprint"); hot code re-JITs on
      // the next requests.
      Bun.shrink();
    }
  }, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
