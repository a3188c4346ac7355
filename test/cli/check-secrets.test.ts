// `switchboard check` and `serve` start-up errors, as an operator sees them on the terminal:
// the file, line and field of each problem, never a secret or a value from the environment.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MAIN = join(import.meta.dir, "../../src/main.ts");

const ENV = {
  PG_URL: "postgres://switchboard:pg-pass-7f3a9c@db.internal:5432/usage",
  REDIS_URL: "redis://:redis-pass-41d2e8@cache:6379",
  OPENAI_KEY: "sk-env-openai-5b8e1d",
  MASTER: "sk-env-master-77aa01",
  HEADER_TOKEN: "env-header-token-3c3c",
  AZURE_CLIENT_SECRET: "env-entra-secret-e4f0",
};
const SECRETS = [
  "pg-pass-7f3a9c",
  "redis-pass-41d2e8",
  "5b8e1d",
  "77aa01",
  "3c3c",
  "file-key-8d1",
  "file-master-2c7",
  "file-store-pass-0b5",
  "file-header-6a4",
  "env-entra-secret-e4f0",
  "file-entra-secret-5d9",
];

// Loading stops after the schema check when it fails, so the problems come in two files: those
// the schema finds, then those found while resolving. Many sit in fields that carry secrets or
// come from ${VAR}s.
const SCHEMA_INVALID = `server:
  port: \${OPENAI_KEY}
  drain_timeout: \${PG_URL}
auth:
  master_key: [file-master-2c7]
  keys:
    - { name: ci, key: file-key-8d1, rpm: '\${MASTER}' }
providers:
  openai:
    api_key: \${OPENAI_KEY}
    timeout: \${HEADER_TOKEN}
    headers: { X-Token: 5 }
`;
const SCHEMA_PROBLEMS = [
  ["server.port", 2],
  ["server.drain_timeout", 3],
  ["auth.master_key", 5],
  ["auth.keys[0].rpm", 7],
  ["providers.openai.timeout", 11],
  ["providers.openai.headers.X-Token", 12],
] as const;

const RESOLVE_INVALID = `auth:
  keys:
    - { name: '\${MASTER}', key: file-key-8d1 }
    - { name: '\${MASTER}', key: file-key-8d1-b }
providers:
  custom:
    type: openai
    base_url: 'ftp://user:file-store-pass-0b5@host/v1'
  other:
    preset: \${HEADER_TOKEN}
models:
  m: \${OPENAI_KEY}/x/
usage:
  store: \${REDIS_URL}
limits:
  store: 'redis:/u:file-store-pass-0b5@h'
`;
const RESOLVE_PROBLEMS = [
  ["auth.keys[1].name", 4],
  ["providers.custom.base_url", 8],
  ["providers.other.preset", 10],
  ["models.m", 12],
  ["usage.store", 14],
  ["limits.store", 16],
] as const;

// Valid, with secrets everywhere `check` could be tempted to print them.
const VALID = `auth:
  master_key: \${MASTER}
  keys:
    - { name: ci, key: file-key-8d1 }
providers:
  openai:
    api_key: \${OPENAI_KEY}
    headers: { X-Token: '\${HEADER_TOKEN}', X-Other: file-header-6a4 }
  custom:
    type: openai
    base_url: https://user:file-store-pass-0b5@llm.internal/v1
    keys: [file-key-8d1-b]
  azure:
    base_url: https://r.openai.azure.com
    tenant_id: tenant-1
    client_id: client-1
    client_secret: \${AZURE_CLIENT_SECRET}
  azure-file:
    type: azure
    base_url: https://r.openai.azure.com
    tenant_id: tenant-1
    client_id: client-1
    client_secret: file-entra-secret-5d9
usage:
  store: \${PG_URL}
limits:
  store: \${REDIS_URL}
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "switchboard-check-secrets-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  args: string[],
  configText: string,
): Promise<{ code: number; output: string; path: string }> {
  const path = join(dir, `switchboard-${crypto.randomUUID()}.yaml`);
  writeFileSync(path, configText);
  const proc = Bun.spawn(["bun", MAIN, ...args, "--config", path], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...ENV },
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, output: stdout + stderr, path };
}

function expectNoSecret(output: string): void {
  for (const secret of SECRETS) expect(output).not.toContain(secret);
}

describe("an invalid config", () => {
  for (const [stage, text, problems] of [
    ["schema", SCHEMA_INVALID, SCHEMA_PROBLEMS],
    ["resolution", RESOLVE_INVALID, RESOLVE_PROBLEMS],
  ] as const) {
    for (const command of ["check", "serve"]) {
      test(`${command}, ${stage} problems: each by file, line and field; no secret, no value from the environment`, async () => {
        const { code, output, path } = await run(
          command === "serve" ? ["serve", "--port", "0"] : ["check"],
          text,
        );
        expect(code).toBe(1);
        expect(output).toContain(`${problems.length} config problems in ${path}`);
        for (const [field, line] of problems) expect(output).toContain(`${field} (line ${line}): `);
        expectNoSecret(output);
      });
    }
  }
});

test("check on a valid config prints no secret and no credential", async () => {
  const { code, output } = await run(["check"], VALID);
  expect(code).toBe(0);
  expect(output).toContain("Usage: store postgres://switchboard:***@db.internal:5432/usage");
  expect(output).toContain("Limits: store redis://:***@cache:6379");
  expect(output).toContain("extra headers: X-Token, X-Other");
  expect(output).toContain("auth: Entra ID client credentials (tenant tenant-1, client client-1;");
  expectNoSecret(output);
});
