// `switchboard check --probe` connects to each configured store and says what it found (exit 1
// on a problem); `switchboard migrate` is the only command that changes the usage schema.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const dir = mkdtempSync(join(tmpdir(), "switchboard-probe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pgUrl = process.env.SWITCHBOARD_TEST_POSTGRES_URL;
const redisUrl = process.env.SWITCHBOARD_TEST_REDIS_URL;

function run(args: string[], yaml: string): { code: number; out: string; err: string } {
  const path = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    `providers:\n  local:\n    type: openai\n    base_url: http://127.0.0.1:9/v1\n    models: [m]\n${yaml}`,
  );
  const result = Bun.spawnSync(["bun", MAIN, ...args, "--config", path], { env: { PATH: process.env.PATH } });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}

test("check --probe: a redis:// that nothing listens on is a problem, with the reason, exit 1", () => {
  const { code, out } = run(
    ["check", "--probe"],
    'limits:\n  store: redis://:s3cret-pw@127.0.0.1:1\nusage:\n  store: "off"\n',
  );
  expect(code).toBe(1);
  expect(out).toContain("limits store redis://");
  expect(out).toContain("PROBLEM, unreachable");
  expect(out).toContain("usage store off: ok");
  expect(out).not.toContain("s3cret-pw");
});

test("check --probe: memory limits and a SQLite file not created yet are fine", () => {
  const { code, out } = run(["check", "--probe"], `usage:\n  store: sqlite:${join(dir, "none.db")}\n`);
  expect(code).toBe(0);
  expect(out).toContain("limits store memory: ok");
  expect(out).toContain("no file yet; serve creates it");
});

test("migrate on SQLite creates the tables; check --probe then reports the current version", () => {
  const store = `usage:\n  store: sqlite:${join(dir, "m.db")}\n`;
  const first = run(["migrate"], store);
  expect(first.code).toBe(0);
  expect(first.out).toMatch(/migrated from schema version 0 to \d+/);
  expect(run(["migrate"], store).out).toContain("nothing to do");
  expect(run(["check", "--probe"], store).out).toMatch(
    /usage store sqlite:.*: ok, reachable, schema version \d+ \(current\)/,
  );
});

describe.skipIf(!pgUrl || !redisUrl)("with the test PostgreSQL and Redis", () => {
  test("check --probe names Redis's version and the PostgreSQL schema version", () => {
    const { code, out } = run(
      ["check", "--probe"],
      `limits:\n  store: ${redisUrl}\nusage:\n  store: ${pgUrl}\n`,
    );
    expect(out).toMatch(/limits store redis:\/\/127\.0\.0\.1:\d+: ok, (Redis|Valkey) \S+ answered PING/);
    expect(out).toMatch(
      /usage store postgres:\/\/switchboard:\*\*\*@127\.0\.0\.1:\d+\/\S+: ok, reachable, schema version/,
    );
    expect(out).not.toContain(":switchboard@");
    expect(code).toBe(0);
  });

  test("serve against a database without the tables exits 1 and names `switchboard migrate`", async () => {
    const dbName = `switchboard_test_serve_${process.pid}`;
    const admin = new SQL(pgUrl!);
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    try {
      const u = new URL(pgUrl!);
      u.pathname = `/${dbName}`;
      const yaml = `server:\n  port: 0\nusage:\n  store: ${u}\n`;
      const probe = run(["check", "--probe"], yaml);
      expect(probe.code).toBe(1);
      expect(probe.out).toContain("no switchboard tables yet (run `switchboard migrate`)");
      const serve = run(["serve"], yaml);
      expect(serve.code).toBe(1);
      expect(serve.err).toContain("run `switchboard migrate`");
      expect(run(["migrate"], yaml).code).toBe(0);
      expect(run(["check", "--probe"], yaml).code).toBe(0);
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.close();
    }
  });
});
