import type { ProviderKey, ResolvedConfig, ResolvedProvider } from "../config/types.ts";
import { type BreakerState, CircuitBreaker } from "./circuit-breaker.ts";
import { pickWeightedIndex } from "./pick-weighted.ts";

export interface RoutingStateOptions {
  /** Source of randomness in [0, 1): weighted picks and backoff jitter. */
  random?: () => number;
  /** Clock in epoch milliseconds: breakers and cooldowns. */
  now?: () => number;
}

export interface KeySnapshot {
  label: string;
  state: BreakerState;
  consecutiveFailures: number;
  /** Epoch ms until which the key is avoided (rejected credentials or rate limited). */
  cooldownUntil?: number;
}

export interface ProviderSnapshot {
  name: string;
  state: BreakerState;
  consecutiveFailures: number;
  keys: KeySnapshot[];
}

export interface RoutingSnapshot {
  providers: ProviderSnapshot[];
}

/** Anything naming a provider: a Target, or the provider itself wrapped. */
interface ProviderRef {
  provider: ResolvedProvider;
}

interface KeyHealth {
  breaker: CircuitBreaker;
  cooldownUntil: number;
}

/**
 * The routing memory shared by all requests of one gateway process: round-robin counters, the
 * random source, a circuit breaker per provider and per provider key, and key cooldowns.
 * Keyed by names, so it survives a config reload (`updateConfig`).
 */
export class RoutingState {
  private config: ResolvedConfig;
  readonly random: () => number;
  readonly now: () => number;
  private readonly roundRobin = new Map<string, number>();
  private readonly providerBreakers = new Map<string, CircuitBreaker>();
  private readonly keyHealth = new Map<string, KeyHealth>();

  constructor(config: ResolvedConfig, options: RoutingStateOptions = {}) {
    this.config = config;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** Takes a reloaded config; counters and breaker states of names still present carry over. */
  updateConfig(config: ResolvedConfig): void {
    this.config = config;
  }

  pickWeighted(weights: readonly number[]): number {
    return pickWeightedIndex(weights, this.random);
  }

  /** The next index of a round-robin group, 0…count-1 in turn. */
  nextRoundRobin(group: string, count: number): number {
    const turn = this.roundRobin.get(group) ?? 0;
    this.roundRobin.set(group, turn + 1);
    return turn % count;
  }

  /** May a call go to this provider now? Claims the probe when its breaker is half-open. */
  acquireProvider(provider: ResolvedProvider): boolean {
    return this.providerBreaker(provider.name).tryAcquire(this.now());
  }

  isProviderOpen(provider: ResolvedProvider): boolean {
    return this.providerBreaker(provider.name).stateAt(this.now()) === "open";
  }

  /** Epoch ms when an open provider breaker next lets a probe through. */
  providerReopensAt(provider: ResolvedProvider): number | undefined {
    return this.providerBreakers.get(provider.name)?.reopensAt();
  }

  /**
   * Picks a key by weight among the healthy ones (no cooldown, breaker not open) not in `exclude`.
   * With none healthy, the excluded-free key whose cooldown ends first still gets a try: a
   * degraded key beats a certain failure. Undefined when the provider is keyless or all excluded.
   */
  pickKey(provider: ResolvedProvider, exclude: ReadonlySet<string> = NO_LABELS): ProviderKey | undefined {
    if (provider.keys.length === 1 && exclude.size === 0) {
      // The common case: one key, nothing excluded: it is the choice, healthy or not.
      const only = provider.keys[0];
      this.health(provider.name, only.label).breaker.tryAcquire(this.now());
      return only;
    }
    const candidates = provider.keys.filter((key) => !exclude.has(key.label));
    if (candidates.length === 0) return undefined;
    const now = this.now();
    const healthy = candidates.filter((key) => {
      const health = this.health(provider.name, key.label);
      return health.cooldownUntil <= now && health.breaker.isAvailable(now);
    });
    const chosen =
      healthy.length > 0
        ? healthy[this.pickWeighted(healthy.map((key) => key.weight))]
        : candidates.reduce((best, key) =>
            this.health(provider.name, key.label).cooldownUntil <
            this.health(provider.name, best.label).cooldownUntil
              ? key
              : best,
          );
    this.health(provider.name, chosen.label).breaker.tryAcquire(now);
    return chosen;
  }

  /** Keeps a key out of rotation for `ms` (rejected credentials, rate limited). */
  coolDownKey(provider: ResolvedProvider, key: ProviderKey, ms: number): void {
    const health = this.health(provider.name, key.label);
    health.cooldownUntil = Math.max(health.cooldownUntil, this.now() + ms);
  }

  /** A call to the target succeeded (also called by the pipeline for a stream that completed). */
  recordSuccess(target: ProviderRef, key: ProviderKey | undefined): void {
    this.providerBreaker(target.provider.name).recordSuccess();
    if (key) {
      const health = this.health(target.provider.name, key.label);
      health.breaker.recordSuccess();
    }
  }

  /** A call to the target failed in a retryable way (also: a stream that broke after its first byte). */
  recordFailure(target: ProviderRef, key: ProviderKey | undefined): void {
    const now = this.now();
    this.providerBreaker(target.provider.name).recordFailure(now);
    if (key) this.health(target.provider.name, key.label).breaker.recordFailure(now);
  }

  snapshot(): RoutingSnapshot {
    const now = this.now();
    return {
      providers: this.config.providers.map((provider) => {
        const breaker = this.providerBreakers.get(provider.name);
        return {
          name: provider.name,
          state: breaker?.stateAt(now) ?? "closed",
          consecutiveFailures: breaker?.consecutiveFailures ?? 0,
          keys: provider.keys.map((key) => {
            const health = this.keyHealth.get(healthId(provider.name, key.label));
            const snapshot: KeySnapshot = {
              label: key.label,
              state: health?.breaker.stateAt(now) ?? "closed",
              consecutiveFailures: health?.breaker.consecutiveFailures ?? 0,
            };
            if (health && health.cooldownUntil > now) snapshot.cooldownUntil = health.cooldownUntil;
            return snapshot;
          }),
        };
      }),
    };
  }

  private providerBreaker(name: string): CircuitBreaker {
    let breaker = this.providerBreakers.get(name);
    if (!breaker) {
      breaker = new CircuitBreaker(() => this.config.routing.circuitBreaker);
      this.providerBreakers.set(name, breaker);
    }
    return breaker;
  }

  private health(providerName: string, label: string): KeyHealth {
    const id = healthId(providerName, label);
    let health = this.keyHealth.get(id);
    if (!health) {
      health = { breaker: new CircuitBreaker(() => this.config.routing.circuitBreaker), cooldownUntil: 0 };
      this.keyHealth.set(id, health);
    }
    return health;
  }
}

const NO_LABELS: ReadonlySet<string> = new Set();

function healthId(providerName: string, label: string): string {
  return `${providerName}\u0000${label}`;
}
