import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Bun's fetch holds 256 concurrent outbound requests unless BUN_CONFIG_MAX_HTTP_REQUESTS is set
// when the process starts; `serve` re-executes itself with it set. 400 calls must all reach the
// upstream at once.
const WANTED = 400;
let inFlight = 0;
let maxInFlight = 0;
let release: () => void = () => {};
const allArrived = new Promise<void>((resolve) => {
  release = resolve;
});
const upstream = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch() {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (inFlight >= WANTED) release();
    await Promise.race([allArrived, Bun.sleep(4000)]);
    inFlight--;
    return Response.json({
      id: "c",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
  },
});
afterAll(() => upstream.stop(true));

test("serve lifts Bun's 256 outbound-request cap: 400 concurrent upstream calls are all in flight", async () => {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-concurrency-"));
  const port = 20000 + Math.floor(Math.random() * 20000);
  writeFileSync(
    join(dir, "switchboard.yaml"),
    `server: { host: 127.0.0.1, port: ${port} }\nproviders:\n  up: { type: openai, base_url: "http://127.0.0.1:${upstream.port}/v1", api_key: sk-x }\nusage: { store: "off" }\n`,
  );
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const proc = Bun.spawn(
    ["bun", join(import.meta.dir, "../../src/main.ts"), "serve", "--config", join(dir, "switchboard.yaml")],
    {
      env,
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  try {
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      await Bun.sleep(50);
    }
    // The client is its own process, started with the variable set: this test's own fetch is capped too.
    const client = Bun.spawn(
      [
        "bun",
        "-e",
        `const calls = Array.from({ length: ${WANTED} }, () => fetch("http://127.0.0.1:${port}/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "up/m", messages: [{ role: "user", content: "x" }] }) }).then((r) => r.status)); console.log(JSON.stringify(await Promise.all(calls)));`,
      ],
      { env: { ...env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" }, stdout: "pipe", stderr: "inherit" },
    );
    const statuses = JSON.parse(await new Response(client.stdout).text()) as number[];
    expect(statuses.length).toBe(WANTED);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(maxInFlight).toBe(WANTED);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
}, 20_000);
