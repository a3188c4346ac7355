import { existsSync } from "node:fs";
import { withTimeout } from "../async/with-timeout.ts";
// `Bun.RedisClient` is reached where used, not imported: a value import from "bun" is hoisted to
// the top of the compiled bundle and loads Bun's Redis client at every start-up.
import { isRedisUrl } from "../config/parse-store-url.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { redactUrl } from "../log/redact-url.ts";
import { reasonOf, redactCredentials } from "../observe/store-health.ts";
import { USAGE_SCHEMA_VERSION } from "../usage/usage-migrations.ts";

/** What `check --probe` found for one store; `ok: false` makes the command exit 1. */
export interface StoreProbe {
  store: "limits" | "usage";
  target: string;
  ok: boolean;
  found: string;
}

const PROBE_TIMEOUT_MS = 3000;

/** Connects to each configured store (limits, usage) and says what it found; never throws. */
export async function probeStores(config: ResolvedConfig): Promise<StoreProbe[]> {
  return Promise.all([probeLimits(config.limits.store), probeUsage(config.usage.store)]);
}

export function formatProbes(probes: StoreProbe[]): string {
  return probes.map((p) => `${p.store} store ${p.target}: ${p.ok ? "ok" : "PROBLEM"}, ${p.found}`).join("\n");
}

async function probeLimits(store: string): Promise<StoreProbe> {
  if (!isRedisUrl(store)) {
    return {
      store: "limits",
      target: "memory",
      ok: true,
      found: "in this process (each instance counts alone)",
    };
  }
  const target = redactUrl(store);
  const client = new Bun.RedisClient(store, {
    autoReconnect: false,
    enableOfflineQueue: false,
    connectionTimeout: PROBE_TIMEOUT_MS,
  });
  try {
    const started = performance.now();
    await bounded(client.connect(), "connect");
    await bounded(client.send("PING", []), "PING");
    const pingMs = performance.now() - started;
    const info = String(await bounded(client.send("INFO", ["server"]), "INFO"));
    const version = /(?:valkey_version|redis_version):(\S+)/.exec(info);
    const server = /valkey_version/.test(info) ? "Valkey" : "Redis";
    return {
      store: "limits",
      target,
      ok: true,
      found: `${server} ${version?.[1] ?? "(version unknown)"} answered PING in ${pingMs.toFixed(1)} ms`,
    };
  } catch (error) {
    return {
      store: "limits",
      target,
      ok: false,
      found: `unreachable: ${redactCredentials(reasonOf(error))}`,
    };
  } finally {
    client.close();
  }
}

async function probeUsage(store: ResolvedConfig["usage"]["store"]): Promise<StoreProbe> {
  switch (store.kind) {
    case "off":
      return { store: "usage", target: "off", ok: true, found: "usage recording is off" };
    case "sqlite": {
      const target = `sqlite:${store.path}`;
      if (store.path !== ":memory:" && !existsSync(store.path)) {
        return { store: "usage", target, ok: true, found: "no file yet; serve creates it" };
      }
      const { Database } = await import("bun:sqlite");
      try {
        const db = new Database(store.path, { readonly: true });
        const version = sqliteVersion(db);
        db.close();
        return { store: "usage", target, ok: true, found: describeVersion(version, "serve migrates it") };
      } catch (error) {
        return { store: "usage", target, ok: false, found: `cannot be read: ${reasonOf(error)}` };
      }
    }
    case "postgres": {
      const target = redactUrl(store.url);
      const { PostgresUsageStore } = await import("../usage/postgres-store.ts");
      try {
        const version = await bounded(PostgresUsageStore.schemaVersion(store.url), "connect");
        const ok = version >= USAGE_SCHEMA_VERSION;
        return {
          store: "usage",
          target,
          ok,
          found: describeVersion(version, "run `switchboard migrate`"),
        };
      } catch (error) {
        return {
          store: "usage",
          target,
          ok: false,
          found: `unreachable: ${redactCredentials(reasonOf(error))}`,
        };
      }
    }
  }
}

function sqliteVersion(db: import("bun:sqlite").Database): number {
  const table = db.query("SELECT name FROM sqlite_master WHERE name = 'usage_schema_version'").get();
  if (!table) return 0;
  const row = db.query("SELECT MAX(version) AS v FROM usage_schema_version").get() as { v: number | null };
  return row.v ?? 0;
}

function describeVersion(version: number, whenBehind: string): string {
  if (version === 0) return `reachable, no switchboard tables yet (${whenBehind})`;
  if (version < USAGE_SCHEMA_VERSION)
    return `reachable, schema version ${version}, this build needs ${USAGE_SCHEMA_VERSION} (${whenBehind})`;
  if (version > USAGE_SCHEMA_VERSION)
    return `reachable, schema version ${version}, newer than this build's ${USAGE_SCHEMA_VERSION}`;
  return `reachable, schema version ${version} (current)`;
}

function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  return withTimeout(
    promise,
    PROBE_TIMEOUT_MS,
    () => new Error(`${what}: no answer within ${PROBE_TIMEOUT_MS} ms`),
  );
}
