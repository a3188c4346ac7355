/**
 * Three instances of the compiled gateway behind nginx, sharing Redis (limits) and PostgreSQL
 * (usage), each store reached through a proxy the test can hang or cut. The database is a fresh
 * one per run, migrated by `switchboard migrate` as its owner; the instances connect as a role
 * with only the grants docs/operations.md lists.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL, type Subprocess } from "bun";
import { freePort, isolatedEnv, type RunningBinary, startBinary } from "../../scripts/run-binary.ts";
import type { MockUpstream } from "../support/mock-upstream.ts";
import { type PausableProxy, startPausableProxy } from "../support/pausable-proxy.ts";

/**
 * `limits.timeout` of every instance. Redis is reached through a proxy in the test process, which
 * is also sending the load: on a busy 2-core machine a check through it took over 50 ms, was
 * decided locally (as documented) and the shared rpm admitted up to three times its limit.
 */
export const LIMITS_TIMEOUT_MS = 500;

export const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((path) => existsSync(path));

export interface ClusterOptions {
  binary: string;
  mock: MockUpstream;
  ownerUrl: string;
  appUrl: string;
  redisUrl: string;
  /** The `auth:` section's keys (YAML lines under `keys:`). */
  keysYaml: string;
}

export interface Cluster {
  /** nginx's address: what clients call. */
  url: string;
  instances: Array<RunningBinary | null>;
  pg: PausableProxy;
  redis: PausableProxy;
  /** The owner's connection to this run's database, for counting rows. */
  db: SQL;
  dbUrl: string;
  dir: string;
  start(index: number): Promise<RunningBinary>;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-cluster-"));
  chmodSync(dir, 0o777);
  // A fresh database, migrated by its owner; the instances get the documented grants only.
  const dbName = `switchboard_cluster_${process.pid}_${Date.now()}`;
  const admin = new SQL(options.ownerUrl);
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  await admin.close();
  const ownerDb = withDatabase(options.ownerUrl, dbName);
  const migrate = Bun.spawnSync([options.binary, "migrate", "--config", writeMigrateConfig(dir, ownerDb)], {
    env: isolatedEnv(),
  });
  if (migrate.exitCode !== 0) throw new Error(`migrate failed: ${migrate.stderr.toString()}`);
  const db = new SQL(ownerDb);
  const app = new URL(options.appUrl).username;
  await db.unsafe(`GRANT SELECT ON usage_schema_version TO ${app}`);
  await db.unsafe(`GRANT SELECT, INSERT ON usage_records TO ${app}`);
  await db.unsafe(`GRANT SELECT, INSERT, DELETE ON response_states, response_state_items TO ${app}`);

  const pgPort = Number(new URL(options.ownerUrl).port || 5432);
  const pg = await startPausableProxy(pgPort);
  const redis = await startPausableProxy(Number(new URL(options.redisUrl).port || 6379));
  const appUrl = new URL(withDatabase(options.appUrl, dbName));
  appUrl.port = String(pg.port);

  const ports = [freePort(), freePort(), freePort()];
  const instances: Array<RunningBinary | null> = [null, null, null];
  const configOf = (index: number): { path: string; cwd: string } => {
    const cwd = join(dir, `instance-${index}`);
    mkdirSync(cwd, { recursive: true });
    const path = join(cwd, "switchboard.yaml");
    writeFileSync(
      path,
      `server:
  host: 127.0.0.1
  port: ${ports[index]}
  drain_timeout: 3s
  drain_delay: 1s
providers:
  mock:
    type: openai
    base_url: ${options.mock.baseUrls.openai}
    api_key: sk-mock
    models: [gpt-4o-mini]
auth:
  master_key: sk-cluster-master
  keys:
${options.keysYaml}
limits:
  store: redis://127.0.0.1:${redis.port}
  timeout: ${LIMITS_TIMEOUT_MS}ms
usage:
  store: ${appUrl}
  write_timeout: 1s
`,
    );
    return { path, cwd };
  };
  const start = async (index: number): Promise<RunningBinary> => {
    const { path, cwd } = configOf(index);
    const running = await startBinary({
      binary: options.binary,
      args: ["serve", "--config", path],
      port: ports[index]!,
      cwd,
      timeoutMs: 20_000,
    });
    instances[index] = running;
    // Until an instance's first connection to Redis, its limits are decided locally (by design:
    // docs/operations.md), so a test that counts admissions across the three would see up to three
    // times the limit on a busy machine. Started means: serving, and the limits store up.
    await waitFor(
      async () => (await limitsStateOf(running.baseUrl)) === "up",
      10_000,
      `instance ${index}: limits store up`,
    );
    return running;
  };
  for (let i = 0; i < 3; i++) await start(i);

  const nginxPort = freePort();
  const nginx = startNginx(dir, nginxPort, ports);
  const url = `http://127.0.0.1:${nginxPort}`;
  await waitFor(
    () =>
      fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      ),
    10_000,
    "nginx",
  );

  return {
    url,
    instances,
    pg,
    redis,
    db,
    dbUrl: ownerDb,
    dir,
    start,
    async stop() {
      // Each step on its own: one failing must not leave processes, a database or files behind.
      const steps: Array<() => unknown> = [
        () => nginx.kill("SIGTERM"),
        () => nginx.exited,
        ...instances.map((instance) => () => instance?.stop("SIGKILL")),
        () => pg.stop(),
        () => redis.stop(),
        () => db.close(),
        async () => {
          const cleanup = new SQL(options.ownerUrl);
          await cleanup.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
          await cleanup.close();
        },
        // KEEP_CLUSTER_DIR=1 keeps the folder (nginx-error.log, the spools) to look at after a failure.
        () => process.env.KEEP_CLUSTER_DIR || rmSync(dir, { recursive: true, force: true }),
      ];
      for (const step of steps)
        await Promise.resolve()
          .then(step)
          .catch(() => {});
    },
  };
}

/** nginx in the foreground, its files in `dir`; a refused connection goes to the next instance. */
function startNginx(dir: string, port: number, upstreams: number[]): Subprocess {
  const temp = join(dir, "nginx-temp");
  mkdirSync(temp, { recursive: true });
  chmodSync(temp, 0o777);
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes 1;
error_log ${join(dir, "nginx-error.log")} warn;
pid ${join(dir, "nginx.pid")};
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
${nginxUpstreamBlock(upstreams)}
  server {
    listen 127.0.0.1:${port};
${nginxLocationBlock()}
  }
}
`,
  );
  return Bun.spawn([NGINX!, "-p", dir, "-c", conf, "-g", "daemon off;"], {
    stdout: "ignore",
    stderr: "pipe",
  });
}

/** The same upstream and location as deploy/nginx/switchboard.conf, on test ports. */
export function nginxUpstreamBlock(ports: number[]): string {
  return `  upstream switchboard {
${ports.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join("\n")}
    keepalive 32;
  }`;
}

export function nginxLocationBlock(): string {
  return `    location / {
      proxy_pass http://switchboard;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 600s;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
    }`;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function writeMigrateConfig(dir: string, dbUrl: string): string {
  const path = join(dir, "migrate.yaml");
  writeFileSync(path, `usage:\n  store: ${dbUrl}\n`);
  return path;
}

/** The limits store's state an instance reports on /ready ("up", "down", …); undefined when it does not answer. */
export async function limitsStateOf(baseUrl: string): Promise<string | undefined> {
  const body = (await fetch(`${baseUrl}/ready`)
    .then((r) => r.json())
    .catch(() => undefined)) as { stores?: { limits?: { state?: string } } } | undefined;
  return body?.stores?.limits?.state;
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms`);
    await Bun.sleep(25);
  }
}
