import { RedisClient } from "bun";
import type { GatewayKey } from "../config/types.ts";
import { type RefusalReason, toRateLimitHeaders, toRefusalMessage, toRetryAfterSeconds } from "./gcra.ts";
import { hasLimits, type LimitDecision, type RateLimiter, UNLIMITED } from "./limit-decision.ts";
import { MemoryRateLimiter } from "./memory-limiter.ts";
import { ACQUIRE_SCRIPT, REFRESH_SCRIPT, RELEASE_SCRIPT } from "./redis-scripts.ts";

export interface RedisLimiterOptions {
  /** Prefix of every Redis key this limiter touches. */
  prefix?: string;
  /** A concurrency slot held by a crashed instance is freed after this long. */
  leaseTtlMs?: number;
  /** Longest wait for Redis before the request is judged by the local fallback instead. */
  commandTimeoutMs?: number;
}

/**
 * Limits shared by every instance through Redis. Each check is one Lua script (atomic), so N
 * instances admit exactly what one would. Concurrency slots are leases with an expiry that the
 * holding instance keeps extending, so a crashed instance's slots come back on their own.
 *
 * Redis down or slow: the request is judged by an in-process MemoryRateLimiter (per-instance
 * limits) rather than refused or held up; Redis is reconnected in the background.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly client: RedisClient;
  private readonly prefix: string;
  private readonly leaseTtlMs: number;
  private readonly commandTimeoutMs: number;
  private readonly fallback = new MemoryRateLimiter();
  private readonly shas = new Map<string, string>();
  /** Leases this instance holds: id → concurrency set key. */
  private readonly leases = new Map<string, string>();
  private readonly refreshTimer: ReturnType<typeof setInterval>;
  private connecting: Promise<void> | null;
  private lastConnectAttempt = 0;
  private leaseCounter = 0;
  private readonly instanceId = crypto.randomUUID();
  private closed = false;

  constructor(url: string, options: RedisLimiterOptions = {}) {
    this.prefix = options.prefix ?? "switchboard:rl:";
    this.leaseTtlMs = options.leaseTtlMs ?? 90_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1000;
    // No offline queue: while disconnected, commands fail at once and the fallback answers.
    this.client = new RedisClient(url, {
      enableOfflineQueue: false,
      autoReconnect: true,
      connectionTimeout: 2000,
    });
    this.connecting = this.connect();
    this.refreshTimer = setInterval(() => void this.refreshLeases(), Math.max(1000, this.leaseTtlMs / 3));
    this.refreshTimer.unref?.();
  }

  async acquire(key: GatewayKey, estimatedTokens: number): Promise<LimitDecision> {
    if (!hasLimits(key)) return UNLIMITED;
    if (this.connecting) await this.connecting;
    if (!this.client.connected) {
      this.reconnectSoon();
      return this.fallback.acquireNow(key, estimatedTokens);
    }
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
    } catch {
      return this.fallback.acquireNow(key, estimatedTokens);
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
    this.closed = true;
    clearInterval(this.refreshTimer);
    await this.fallback.close();
    this.client.close();
  }

  private keysFor(keyName: string): [string, string] {
    // Hash tag {…} keeps a key's two entries on one Redis Cluster slot (scripts need that).
    const tag = `{${encodeURIComponent(keyName)}}`;
    return [`${this.prefix}${tag}:state`, `${this.prefix}${tag}:conc`];
  }

  /** EVALSHA, loading the script on NOSCRIPT; bounded by the command timeout. */
  private async run(script: string, keys: string[], args: string[]): Promise<unknown> {
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("redis timeout")), this.commandTimeoutMs);
    });
    return Promise.race([call(), timeout]).finally(() => clearTimeout(timer));
  }

  private connect(): Promise<void> {
    this.lastConnectAttempt = Date.now();
    const attempt = this.client.connect().catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bounded = Promise.race([
      attempt,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.commandTimeoutMs * 2);
      }),
    ]).finally(() => {
      clearTimeout(timer);
      this.connecting = null;
    });
    return bounded;
  }

  private reconnectSoon(): void {
    if (this.closed || this.connecting || Date.now() - this.lastConnectAttempt < 1000) return;
    // Background only: the request that noticed is already being answered by the fallback.
    void this.connect();
  }

  private async refreshLeases(): Promise<void> {
    if (this.leases.size === 0 || !this.client.connected) return;
    const bySet = new Map<string, string[]>();
    for (const [id, set] of this.leases) bySet.set(set, [...(bySet.get(set) ?? []), id]);
    for (const [set, ids] of bySet) {
      await this.run(REFRESH_SCRIPT, [set], [String(this.leaseTtlMs), ...ids]).catch(() => {});
    }
  }
}

function toStrings(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.map((v) => String(v)) : [];
}
