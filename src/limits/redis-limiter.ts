// Reached as `Bun.RedisClient` where used: a value import from "bun" is hoisted to the top of the
// compiled bundle and loads Bun's Redis client at start-up even when no store uses it.
import type { RedisClient } from "bun";
import { withTimeout } from "../async/with-timeout.ts";
import type { GatewayKey, LimitsStoreFailurePolicy } from "../config/types.ts";
import { reasonOf, StoreHealth } from "../observe/store-health.ts";
import { type RefusalReason, toRateLimitHeaders, toRefusalMessage, toRetryAfterSeconds } from "./gcra.ts";
import { hasLimits, type LimitDecision, type RateLimiter, UNLIMITED } from "./limit-decision.ts";
import { MemoryRateLimiter } from "./memory-limiter.ts";
import {
  ACQUIRE_SCRIPT,
  LEASE_SCRIPT,
  REFRESH_SCRIPT,
  RELEASE_SCRIPT,
  SETTLE_SCRIPT,
} from "./redis-scripts.ts";

export interface RedisLimiterOptions {
  /** Prefix of every Redis key this limiter touches. */
  prefix?: string;
  /** A concurrency slot held by a crashed instance is freed after this long. */
  leaseTtlMs?: number;
  /** Longest wait for Redis per check (`limits.timeout`); past it the request is decided without it. */
  commandTimeoutMs?: number;
  /** How a request is decided while Redis does not answer (`limits.on_store_failure`). */
  onStoreFailure?: LimitsStoreFailurePolicy;
  /** Failed checks in a row that open the breaker: then no request waits for Redis until a probe answers. */
  breakerFailures?: number;
  /** How often the background probe tries Redis while the breaker is open. */
  probeIntervalMs?: number;
  /** Where up/down changes and fallbacks are reported (the runtime logs and exports them). */
  health?: StoreHealth;
  /**
   * Share of each rpm/tpm taken from Redis at once and handed out locally (`limits.lease`); 0:
   * one round trip per request. Keys with max_concurrent always take the exact path.
   */
  lease?: number;
  /** How long a lease is used before what is left of it goes back to Redis. */
  leaseLifetimeMs?: number;
}

/** Requests and tokens this instance took from Redis for one key and hands out locally. */
interface KeyLease {
  requests: number;
  tokens: number;
  /** Date.now() past which nothing more is handed out from it; the rest is given back. */
  expiresAt: number;
  /** Redis's figures when it was granted, for the x-ratelimit headers. */
  reqRemaining: number;
  reqResetMs: number;
  tokRemaining: number;
  tokResetMs: number;
  /** Tokens used beyond (or below) the estimates charged, not yet told to Redis. */
  unsettled: number;
  /** A lease request in flight for this key (others wait for it once, then ask on their own). */
  fetching: Promise<void> | null;
  rpm: number;
  tpm: number;
}

/**
 * Limits shared by every instance through Redis. Each check is one Lua script (atomic), so N
 * instances admit exactly what one would. Concurrency slots are leases with an expiry that the
 * holding instance keeps extending, so a crashed instance's slots come back on their own.
 *
 * Redis down, hung or not yet connected: no request waits longer than `commandTimeoutMs`, and
 * after `breakerFailures` failures in a row none waits at all. Such requests are decided by the
 * `onStoreFailure` policy (local in-process limits, no limits, or refused) while a background
 * probe tries Redis; the first answer closes the breaker.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly health: StoreHealth;
  private readonly client: RedisClient;
  private readonly prefix: string;
  private readonly leaseTtlMs: number;
  private readonly commandTimeoutMs: number;
  private readonly policy: LimitsStoreFailurePolicy;
  private readonly breakerFailures: number;
  private readonly fallback = new MemoryRateLimiter();
  private readonly shas = new Map<string, string>();
  /** Leases this instance holds: id → concurrency set key. */
  private readonly leases = new Map<string, string>();
  private readonly refreshTimer: ReturnType<typeof setInterval>;
  private readonly probeTimer: ReturnType<typeof setInterval>;
  private readonly firstConnection: Promise<void>;
  private failuresInARow = 0;
  /** Open: Redis is not asked until a probe answers. Starts open until the first connection. */
  private breakerOpen = true;
  private probing = false;
  private leaseCounter = 0;
  private readonly instanceId = crypto.randomUUID();
  private closed = false;
  private readonly lease: number;
  private readonly leaseLifetimeMs: number;
  private readonly keyLeases = new Map<string, KeyLease>();
  private readonly settleTimer: ReturnType<typeof setInterval>;

  constructor(url: string, options: RedisLimiterOptions = {}) {
    this.prefix = options.prefix ?? "switchboard:rl:";
    this.leaseTtlMs = options.leaseTtlMs ?? 90_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 50;
    this.policy = options.onStoreFailure ?? "local";
    this.breakerFailures = options.breakerFailures ?? 3;
    this.health = options.health ?? new StoreHealth("limits", "redis", undefined, "connecting");
    this.lease = options.lease ?? 0;
    this.leaseLifetimeMs = options.leaseLifetimeMs ?? 1000;
    // No offline queue: while disconnected, commands fail at once and the policy decides.
    this.client = new Bun.RedisClient(url, {
      enableOfflineQueue: false,
      autoReconnect: true,
      connectionTimeout: 2000,
    });
    // Never awaited by a request: until it is up, requests are decided as on failure.
    this.firstConnection = this.probe();
    this.probeTimer = setInterval(() => void this.probe(), options.probeIntervalMs ?? 1000);
    this.probeTimer.unref?.();
    this.refreshTimer = setInterval(() => void this.refreshLeases(), Math.max(1000, this.leaseTtlMs / 3));
    this.refreshTimer.unref?.();
    this.settleTimer = setInterval(() => this.settleLeases(false), Math.max(50, this.leaseLifetimeMs / 4));
    this.settleTimer.unref?.();
  }

  /** Resolves once the first connection attempt is over (either way); for tests and `check`. */
  ready(): Promise<void> {
    return this.firstConnection;
  }

  async acquire(key: GatewayKey, estimatedTokens: number): Promise<LimitDecision> {
    if (!hasLimits(key)) return UNLIMITED;
    if (this.lease > 0 && !key.maxConcurrent) {
      const local = this.takeFromLease(key, estimatedTokens);
      if (local) return local;
    }
    if (this.breakerOpen || !this.client.connected) {
      if (!this.breakerOpen) this.openBreaker("connection lost");
      return this.decideWithoutStore(key, estimatedTokens);
    }
    if (this.lease > 0 && !key.maxConcurrent) return this.acquireLeased(key, estimatedTokens);
    const estimate = Math.max(0, Math.ceil(estimatedTokens));
    const leaseId = key.maxConcurrent ? `${this.instanceId}:${++this.leaseCounter}` : "";
    const keys = this.keysFor(key.name);
    let reply: unknown;
    try {
      reply = await this.run(ACQUIRE_SCRIPT, keys, [
        String(key.rpm ?? 0),
        String(key.tpm ?? 0),
        String(key.maxConcurrent ?? 0),
        String(estimate),
        leaseId,
        String(this.leaseTtlMs),
      ]);
      this.failuresInARow = 0;
    } catch (error) {
      if (++this.failuresInARow >= this.breakerFailures) this.openBreaker(reasonOf(error));
      return this.decideWithoutStore(key, estimatedTokens);
    }
    const [allowed, reason, retryMs, reqRemaining, reqReset, tokRemaining, tokReset] = toStrings(reply);
    const headers = toRateLimitHeaders({
      rpm: key.rpm
        ? { limit: key.rpm, remaining: Number(reqRemaining), resetMs: Number(reqReset) }
        : undefined,
      tpm: key.tpm
        ? { limit: key.tpm, remaining: Number(tokRemaining), resetMs: Number(tokReset) }
        : undefined,
    });
    if (allowed !== "1") {
      const refusal = (reason || "rpm") as RefusalReason;
      const limit = refusal === "rpm" ? key.rpm : refusal === "tpm" ? key.tpm : key.maxConcurrent;
      const retryAfterSeconds = toRetryAfterSeconds(Number(retryMs));
      headers["retry-after"] = String(retryAfterSeconds);
      return {
        allowed: false,
        retryAfterSeconds,
        headers,
        message: toRefusalMessage(key.name, refusal, limit ?? 0, retryAfterSeconds),
      };
    }
    if (leaseId) this.leases.set(leaseId, keys[1]);
    const charged = key.tpm ? Math.min(estimate, key.tpm) : 0;
    let released = false;
    return {
      allowed: true,
      headers,
      release: (actualTokens: number) => {
        if (released) return;
        released = true;
        if (leaseId) this.leases.delete(leaseId);
        const actual = Number.isFinite(actualTokens) ? Math.max(0, Math.ceil(actualTokens)) : charged;
        const delta = key.tpm ? actual - charged : 0;
        if (!leaseId && delta === 0) return;
        // After the response: never awaited by the request; a lost release only ages out.
        this.run(RELEASE_SCRIPT, keys, [String(key.tpm ?? 0), String(delta), leaseId]).catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // What this instance still holds goes back, so the others may use it.
    await Promise.all(this.settleLeases(true));
    this.closed = true;
    clearInterval(this.refreshTimer);
    clearInterval(this.probeTimer);
    clearInterval(this.settleTimer);
    await this.fallback.close();
    this.client.close();
  }

  /** A request decided from this instance's lease of the key, with no round trip; null when it does not fit. */
  private takeFromLease(key: GatewayKey, estimatedTokens: number): LimitDecision | null {
    const lease = this.keyLeases.get(key.name);
    if (!lease || lease.rpm !== (key.rpm ?? 0) || lease.tpm !== (key.tpm ?? 0)) return null;
    if (Date.now() >= lease.expiresAt) return null;
    const cost = key.tpm ? Math.min(Math.max(0, Math.ceil(estimatedTokens)), key.tpm) : 0;
    if ((key.rpm && lease.requests < 1) || (key.tpm && lease.tokens < cost)) return null;
    if (key.rpm) lease.requests--;
    if (key.tpm) lease.tokens -= cost;
    return this.allowedFromLease(key, lease, cost);
  }

  private allowedFromLease(key: GatewayKey, lease: Readonly<KeyLease>, cost: number): LimitDecision {
    const headers = leaseHeaders(key, lease);
    if (!key.tpm) return { allowed: true, headers, release: noop };
    let released = false;
    return {
      allowed: true,
      headers,
      release: (actualTokens: number) => {
        if (released) return;
        released = true;
        const actual = Number.isFinite(actualTokens) ? Math.max(0, Math.ceil(actualTokens)) : cost;
        // Settled with Redis in the background, with the key's current lease.
        this.leaseOf(key).unsettled += actual - cost;
      },
    };
  }

  /**
   * Takes a new lease for the key (its first request's cost must fit, as on the exact path) and
   * decides this request from it. One lease request per key at a time: others wait for it once.
   */
  private async acquireLeased(key: GatewayKey, estimatedTokens: number): Promise<LimitDecision> {
    const lease = this.leaseOf(key);
    const cost = key.tpm ? Math.min(Math.max(0, Math.ceil(estimatedTokens)), key.tpm) : 0;
    const wantRequests = key.rpm ? Math.max(1, Math.floor(key.rpm * this.lease)) : 0;
    const wantTokens = key.tpm ? Math.max(cost, Math.floor(key.tpm * this.lease)) : 0;
    // A lease of more than this request needs is shared: wait for the one being fetched (a few
    // times at most) rather than fetch another. A lease of one request each is fetched in parallel.
    const shared = wantRequests > 1 || wantTokens > cost;
    for (let waits = 0; lease.fetching && waits < (shared ? 8 : 1); waits++) {
      await lease.fetching;
      const local = this.takeFromLease(key, estimatedTokens);
      if (local) return local;
    }
    let done: () => void = noop;
    const fetching = new Promise<void>((resolve) => (done = resolve));
    if (!lease.fetching) lease.fetching = fetching;
    let reply: string[];
    try {
      reply = toStrings(
        await this.run(
          LEASE_SCRIPT,
          [this.keysFor(key.name)[0]],
          [
            String(key.rpm ?? 0),
            String(key.tpm ?? 0),
            String(wantRequests),
            String(wantTokens),
            String(cost),
          ],
        ),
      );
      this.failuresInARow = 0;
    } catch (error) {
      if (++this.failuresInARow >= this.breakerFailures) this.openBreaker(reasonOf(error));
      return this.decideWithoutStore(key, estimatedTokens);
    } finally {
      if (lease.fetching === fetching) lease.fetching = null;
      done();
    }
    const [allowed, reason, retryMs, gotR, gotT, reqRemaining, reqReset, tokRemaining, tokReset] = reply;
    lease.reqRemaining = Number(reqRemaining);
    lease.reqResetMs = Number(reqReset);
    lease.tokRemaining = Number(tokRemaining);
    lease.tokResetMs = Number(tokReset);
    if (allowed !== "1") {
      // Another request of this instance may have just leased what this one needs.
      const local = this.takeFromLease(key, estimatedTokens);
      if (local) return local;
      const refusal = (reason || "rpm") as RefusalReason;
      const limit = refusal === "rpm" ? key.rpm : key.tpm;
      const retryAfterSeconds = toRetryAfterSeconds(Number(retryMs));
      const headers = leaseHeaders(key, lease);
      headers["retry-after"] = String(retryAfterSeconds);
      return {
        allowed: false,
        retryAfterSeconds,
        headers,
        message: toRefusalMessage(key.name, refusal, limit ?? 0, retryAfterSeconds),
      };
    }
    // This request's share first (synchronously, before any waiter resumes), the rest for later.
    lease.requests += Number(gotR) - (key.rpm ? 1 : 0);
    lease.tokens += Number(gotT) - cost;
    lease.expiresAt = Date.now() + this.leaseLifetimeMs;
    return this.allowedFromLease(key, lease, cost);
  }

  private leaseOf(key: GatewayKey): KeyLease {
    let lease = this.keyLeases.get(key.name);
    if (!lease || lease.rpm !== (key.rpm ?? 0) || lease.tpm !== (key.tpm ?? 0)) {
      // A key whose limits changed (config reload): what the old lease holds goes back.
      if (lease) this.settle(key.name, lease);
      lease = {
        requests: 0,
        tokens: 0,
        expiresAt: 0,
        reqRemaining: 0,
        reqResetMs: 0,
        tokRemaining: 0,
        tokResetMs: 0,
        unsettled: 0,
        fetching: null,
        rpm: key.rpm ?? 0,
        tpm: key.tpm ?? 0,
      };
      this.keyLeases.set(key.name, lease);
    }
    return lease;
  }

  /** Gives back expired leases' leftovers and reports token usage beyond the estimates. */
  private settleLeases(all: boolean): Array<Promise<void>> {
    const sent: Array<Promise<void>> = [];
    if (this.closed) return sent;
    const now = Date.now();
    for (const [name, lease] of this.keyLeases) {
      if (all || now >= lease.expiresAt) {
        sent.push(this.settle(name, lease));
        if (!lease.fetching) this.keyLeases.delete(name);
      } else if (lease.unsettled !== 0) {
        const delta = lease.unsettled;
        lease.unsettled = 0;
        sent.push(this.sendSettle(name, lease, 0, delta));
      }
    }
    return sent;
  }

  private settle(name: string, lease: KeyLease): Promise<void> {
    const backRequests = lease.requests;
    const tokenDelta = lease.unsettled - lease.tokens;
    lease.requests = 0;
    lease.tokens = 0;
    lease.unsettled = 0;
    lease.expiresAt = 0;
    if (backRequests <= 0 && tokenDelta === 0) return Promise.resolve();
    return this.sendSettle(name, lease, backRequests, tokenDelta);
  }

  private async sendSettle(
    name: string,
    lease: KeyLease,
    backRequests: number,
    tokenDelta: number,
  ): Promise<void> {
    if (this.breakerOpen || !this.client.connected) return;
    // Not awaited by any request; a lost settle only ages out of the bucket.
    await this.run(
      SETTLE_SCRIPT,
      [this.keysFor(name)[0]],
      [String(lease.rpm), String(lease.tpm), String(backRequests), String(tokenDelta)],
    ).catch(() => {});
  }

  /** A request Redis could not judge, decided by `on_store_failure`. */
  private decideWithoutStore(key: GatewayKey, estimatedTokens: number): LimitDecision {
    this.health.countFallback();
    switch (this.policy) {
      case "local":
        return this.fallback.acquireNow(key, estimatedTokens);
      case "open":
        return UNLIMITED;
      case "closed":
        return {
          allowed: false,
          status: 503,
          retryAfterSeconds: 1,
          headers: { "retry-after": "1" },
          message: `The rate limits of key '${key.name}' cannot be checked: the limits store is unavailable. Please retry shortly.`,
        };
      default: {
        const unknown: never = this.policy;
        throw new Error(`unknown on_store_failure ${String(unknown)}`);
      }
    }
  }

  private openBreaker(reason: string): void {
    this.breakerOpen = true;
    this.health.markDown(reason);
  }

  /** Background: (re)connects and PINGs while the breaker is open; an answer closes it. */
  private async probe(): Promise<void> {
    if (this.closed || this.probing || !this.breakerOpen) return;
    this.probing = true;
    // A probe may wait longer than a request would: it holds nobody up.
    const wait = Math.max(this.commandTimeoutMs, 1000);
    try {
      if (!this.client.connected)
        await withTimeout(
          this.client.connect(),
          wait,
          () => new Error(`redis connect timed out after ${wait} ms`),
        );
      await withTimeout(
        this.client.send("PING", []),
        wait,
        () => new Error(`redis PING timed out after ${wait} ms`),
      );
      this.failuresInARow = 0;
      this.breakerOpen = false;
      this.health.markUp();
    } catch (error) {
      this.health.markDown(reasonOf(error));
    } finally {
      this.probing = false;
    }
  }

  private keysFor(keyName: string): [string, string] {
    // Hash tag {…} keeps a key's two entries on one Redis Cluster slot (scripts need that).
    const tag = `{${encodeURIComponent(keyName)}}`;
    return [`${this.prefix}${tag}:state`, `${this.prefix}${tag}:conc`];
  }

  /** EVALSHA, loading the script on NOSCRIPT; bounded by the command timeout. */
  private run(script: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.shas.get(script);
    if (!sha) {
      sha = new Bun.CryptoHasher("sha1").update(script).digest("hex");
      this.shas.set(script, sha);
    }
    const call = async (): Promise<unknown> => {
      try {
        return await this.client.send("EVALSHA", [sha, String(keys.length), ...keys, ...args]);
      } catch (error) {
        if (!String((error as Error)?.message ?? error).includes("NOSCRIPT")) throw error;
        return await this.client.send("EVAL", [script, String(keys.length), ...keys, ...args]);
      }
    };
    return withTimeout(
      call(),
      this.commandTimeoutMs,
      () => new Error(`redis limits check timed out after ${this.commandTimeoutMs} ms`),
    );
  }

  private async refreshLeases(): Promise<void> {
    if (this.leases.size === 0 || this.breakerOpen || !this.client.connected) return;
    const bySet = new Map<string, string[]>();
    for (const [id, set] of this.leases) bySet.set(set, [...(bySet.get(set) ?? []), id]);
    for (const [set, ids] of bySet) {
      await this.run(REFRESH_SCRIPT, [set], [String(this.leaseTtlMs), ...ids]).catch(() => {});
    }
  }
}

const noop = (): void => {};

function toStrings(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.map((v) => String(v)) : [];
}

/** The rate-limit headers of a key answered from its lease: Redis's remaining plus what is leased. */
function leaseHeaders(key: GatewayKey, lease: Readonly<KeyLease>): Record<string, string> {
  return toRateLimitHeaders({
    rpm: key.rpm
      ? { limit: key.rpm, remaining: lease.reqRemaining + lease.requests, resetMs: lease.reqResetMs }
      : undefined,
    tpm: key.tpm
      ? { limit: key.tpm, remaining: lease.tokRemaining + lease.tokens, resetMs: lease.tokResetMs }
      : undefined,
  });
}
