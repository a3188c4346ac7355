export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerSettings {
  /** Consecutive retryable failures that open the breaker; 0 or less disables it. */
  failures: number;
  cooldownMs: number;
}

/**
 * A consecutive-failure circuit breaker. Open → half-open after the cooldown, where exactly one
 * probe may go through; its success closes the breaker, its failure re-opens it.
 */
export class CircuitBreaker {
  private current: BreakerState = "closed";
  private failures = 0;
  private openedAt = 0;
  private probeStartedAt: number | null = null;

  constructor(private readonly settings: () => BreakerSettings) {}

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** The state as an observer sees it now: an open breaker whose cooldown is over reads half-open. */
  stateAt(now: number): BreakerState {
    if (this.current === "open" && now - this.openedAt >= this.settings().cooldownMs) return "half_open";
    return this.current;
  }

  /** True when a call may go through now, without claiming the half-open probe. */
  isAvailable(now: number): boolean {
    const state = this.stateAt(now);
    if (state === "closed") return true;
    if (state === "open") return false;
    return !this.probeInFlight(now);
  }

  /** Asks to send a call now; in half-open this claims the single probe slot. */
  tryAcquire(now: number): boolean {
    if (!this.isAvailable(now)) return false;
    if (this.stateAt(now) === "half_open") {
      this.current = "half_open";
      this.probeStartedAt = now;
    }
    return true;
  }

  recordSuccess(): void {
    this.current = "closed";
    this.failures = 0;
    this.probeStartedAt = null;
  }

  recordFailure(now: number): void {
    this.failures += 1;
    const { failures } = this.settings();
    if (this.current === "half_open" || (failures > 0 && this.failures >= failures)) {
      this.current = "open";
      this.openedAt = now;
      this.probeStartedAt = null;
    }
  }

  /** When an open breaker lets its next probe through; undefined unless open. */
  reopensAt(): number | undefined {
    return this.current === "open" ? this.openedAt + this.settings().cooldownMs : undefined;
  }

  // A probe whose outcome was never reported (a caller that crashed) frees its slot after a cooldown.
  private probeInFlight(now: number): boolean {
    return this.probeStartedAt !== null && now - this.probeStartedAt < this.settings().cooldownMs;
  }
}
