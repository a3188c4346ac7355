// The compiled executable, as an operator runs it: version, help, check, serve and graceful stop.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync, statSync, writeFileSync } from "node:fs";
import { ensureBinary } from "../../scripts/ensure-binary.ts";
import {
  freePort,
  isolatedEnv,
  minimalConfigYaml,
  readRssBytes,
  startBinary,
  writeConfigDir,
} from "../../scripts/run-binary.ts";

let binary = "";
const tempDirs: string[] = [];

function configDir(yaml: string): { dir: string; configPath: string } {
  const made = writeConfigDir(yaml);
  tempDirs.push(made.dir);
  return made;
}

function run(args: string[], cwd: string) {
  const result = Bun.spawnSync([binary, ...args], {
    cwd,
    env: isolatedEnv(),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

beforeAll(async () => {
  binary = await ensureBinary();
}, 180_000);

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("compiled binary", () => {
  test("--version prints the version embedded at build time", async () => {
    const { dir } = configDir("");
    const result = run(["--version"], dir);
    expect(result.code).toBe(0);
    const pkg = (await Bun.file(`${import.meta.dir}/../../package.json`).json()) as { version: string };
    // `<package version>` or `<package version>+<git sha>`; never the source-run fallback (`…-dev`).
    expect(result.stdout.trim()).toMatch(
      new RegExp(`^switchboard ${pkg.version.replaceAll(".", "\\.")}(\\+[0-9a-f]{4,})?$`),
    );
  });

  test("--help exits 0 and shows the commands", () => {
    const { dir } = configDir("");
    const result = run(["--help"], dir);
    expect(result.code).toBe(0);
    const text = result.stdout + result.stderr;
    expect(text).toContain("serve");
    expect(text).toContain("check");
    expect(text).toContain("--config");
  });

  test("check accepts a good config (exit 0)", () => {
    const { dir, configPath } = configDir(minimalConfigYaml(8080));
    const result = run(["check", "--config", configPath], dir);
    if (result.code !== 0) console.error(result.stdout, result.stderr);
    expect(result.code).toBe(0);
  });

  test("check rejects a bad config with every problem and its YAML path (exit 1)", () => {
    const yaml = [
      "server:",
      "  port: not-a-port",
      "providers:",
      "  local:",
      "    type: carrier-pigeon",
      "    base_url: http://127.0.0.1:9/v1",
    ].join("\n");
    const { dir, configPath } = configDir(yaml);
    const result = run(["check", "--config", configPath], dir);
    expect(result.code).toBe(1);
    const text = result.stdout + result.stderr;
    expect(text).toMatch(/server[./]port/);
    expect(text).toMatch(/providers[./]local[./]type/);
  });

  test("ignores a .env file in its working directory (built with autoload off)", () => {
    const { dir } = configDir("");
    rmSync(`${dir}/switchboard.yaml`);
    writeFileSync(`${dir}/.env`, "OPENAI_API_KEY=sk-from-dotenv-file\n");
    // Zero-config `check` lists the providers found in the environment.
    const fromDotenv = run(["check"], dir);
    expect(fromDotenv.code).toBe(0);
    expect(fromDotenv.stdout).not.toContain("api.openai.com");
    // Control: the same key in the real environment does enable OpenAI.
    const result = Bun.spawnSync([binary, "check"], {
      cwd: dir,
      env: isolatedEnv({ OPENAI_API_KEY: "sk-from-environment" }),
      stdout: "pipe",
    });
    expect(result.stdout.toString()).toContain("api.openai.com");
  });

  test("serve: /health 200, then SIGTERM exits 0; reports size, start-up time and idle RSS", async () => {
    const port = freePort();
    const { dir, configPath } = configDir(minimalConfigYaml(port));
    const running = await startBinary({ binary, args: ["serve", "--config", configPath], port, cwd: dir });
    try {
      const health = await fetch(`${running.baseUrl}/health`);
      expect(health.status).toBe(200);
      await Bun.sleep(500);
      const rss = await readRssBytes(running.proc.pid);
      const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
      console.log(
        `binary ${binary}: size ${mib(statSync(binary).size)}, start-up to /ready ${Math.round(running.readyMs)} ms, ` +
          `idle RSS ${rss === undefined ? "n/a" : mib(rss)}`,
      );
    } finally {
      const code = await running.stop("SIGTERM");
      if (code !== 0) console.error(running.output());
      expect(code).toBe(0);
    }
  });
});
