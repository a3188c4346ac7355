import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { jsonOf } from "../support/gateway.ts";
import { type MockUpstream, startMockUpstream } from "../support/mock-upstream.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
let mock: MockUpstream;
let dir: string;

beforeAll(async () => {
  mock = await startMockUpstream();
  dir = mkdtempSync(join(tmpdir(), "switchboard-signals-"));
});
afterAll(() => mock.stop());

const configText = (alias: string) => `server:
  host: 127.0.0.1
  port: 0
  drain_timeout: 5s
providers:
  up:
    type: openai
    base_url: ${mock.baseUrls.openai}
    api_key: sk-up
models:
  ${alias}: up/gpt-4o-mini
usage:
  store: off
`;

interface Running {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  lines: Array<Record<string, unknown>>;
  waitForLine: (
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ) => Promise<Record<string, unknown>>;
}

async function startProcess(configPath: string): Promise<Running> {
  const proc = Bun.spawn(["bun", MAIN, "serve", "--config", configPath], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NODE_ENV: "production" },
  });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of proc.stdout) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          lines.push(JSON.parse(line));
        } catch {
          lines.push({ raw: line });
        }
        for (const wake of waiters.splice(0)) wake();
        newline = buffer.indexOf("\n");
      }
    }
  })();
  const waitForLine = async (predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching log line; got ${JSON.stringify(lines)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  const started = await waitForLine((line) => line.msg === "started", 10_000);
  return { proc, url: String(started.url), lines, waitForLine };
}

const chat = (url: string, model: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });

describe("process lifecycle", () => {
  test("logs are JSON lines: start with a config summary and no secrets, one line per request", async () => {
    const path = join(dir, "logs.yaml");
    writeFileSync(path, configText("fast"));
    const running = await startProcess(path);
    const res = await chat(running.url, "fast");
    expect(res.status).toBe(200);
    const requestLine = await running.waitForLine((line) => line.msg === "request");
    expect(requestLine).toMatchObject({ status: 200, model: "fast", provider: "up" });
    expect(requestLine.request_id).toBe(res.headers.get("x-request-id"));
    expect(typeof requestLine.latency_ms).toBe("number");
    expect(JSON.stringify(running.lines)).not.toContain("sk-up");
    running.proc.kill("SIGTERM");
    expect(await running.proc.exited).toBe(0);
  });

  test("SIGTERM drains: a slow in-flight request completes, then the process exits 0", async () => {
    const path = join(dir, "drain.yaml");
    writeFileSync(path, configText("fast"));
    const running = await startProcess(path);
    mock.reset();
    mock.enqueue({ echo: true, delayMs: 800 });
    const inFlight = chat(running.url, "fast");
    await mock.waitFor((requests) => requests.length === 1, 3000);
    running.proc.kill("SIGTERM");
    await running.waitForLine((line) => line.msg === "draining");
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).choices[0].message.content).toBe("echo: hi");
    expect(await running.proc.exited).toBe(0);
    expect(running.lines.some((line) => line.msg === "stopped")).toBe(true);
  });

  test("SIGHUP reloads a good config and keeps the old one when the new one is invalid", async () => {
    const path = join(dir, "reload.yaml");
    writeFileSync(path, configText("before"));
    const running = await startProcess(path);
    expect((await chat(running.url, "before")).status).toBe(200);

    writeFileSync(path, configText("after"));
    running.proc.kill("SIGHUP");
    await running.waitForLine((line) => line.msg === "config reloaded");
    expect((await chat(running.url, "after")).status).toBe(200);
    expect((await chat(running.url, "before")).status).toBe(404);

    writeFileSync(path, `${configText("broken")}\nrouting:\n  retries: lots\n`);
    running.proc.kill("SIGHUP");
    const rejected = await running.waitForLine((line) =>
      String(line.msg).startsWith("config reload rejected"),
    );
    expect(JSON.stringify(rejected)).toContain("routing.retries");
    expect((await chat(running.url, "after")).status).toBe(200);
    // The console's Config page shows the rejected reload (an open gateway: no key needed).
    const admin = (await (await fetch(`${running.url}/admin/config`)).json()) as {
      last_reload: { ok: boolean; problems: string[] };
    };
    expect(admin.last_reload.ok).toBe(false);
    expect(admin.last_reload.problems.join("\n")).toContain("routing.retries");

    running.proc.kill("SIGINT");
    expect(await running.proc.exited).toBe(0);
  });
});

describe("CLI", () => {
  const run = (...args: string[]) =>
    Bun.spawnSync(["bun", MAIN, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    });

  test("--version and --help exit 0", () => {
    const version = run("--version");
    expect(version.exitCode).toBe(0);
    expect(version.stdout.toString()).toMatch(/^switchboard \S+/);
    const help = run("--help");
    expect(help.exitCode).toBe(0);
    expect(help.stdout.toString()).toContain("check");
  });

  test("check: exit 0 and the resolved routes for a good config; exit 1 with every problem for a bad one", () => {
    const good = join(dir, "good.yaml");
    writeFileSync(good, configText("fast"));
    const ok = run("check", "--config", good);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout.toString()).toContain("fast");
    expect(ok.stdout.toString()).not.toContain("sk-up");

    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "server:\n  port: nope\nproviders:\n  x:\n    type: martian\n");
    const failed = run("check", "--config", bad);
    expect(failed.exitCode).toBe(1);
    const stderr = failed.stderr.toString();
    expect(stderr).toContain("server.port");
    expect(stderr).toContain("providers.x.type");
    expect(stderr).toMatch(/line \d+/);
  });

  test("an unknown flag is a usage error", () => {
    expect(run("--bogus").exitCode).not.toBe(0);
  });
});
