#!/usr/bin/env bun
/**
 * Many idle keep-alive connections held while real requests are still served (issue 15, item 4):
 * starts the gateway (`bun src/main.ts serve`, or `--binary` for dist/switchboard) in front of a
 * loopback mock, opens N connections that each make one request and then sit idle, and while
 * they are held sends real chat requests on fresh connections; prints how many were answered,
 * their latency, the gateway's open descriptors and RSS, and whether the idle ones were closed
 * after `idle_timeout`.
 *
 *   bun bench/idle-connections.ts [--connections 10000] [--requests 200] [--binary]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    connections: { type: "string", default: "10000" },
    requests: { type: "string", default: "200" },
    binary: { type: "boolean", default: false },
    "idle-timeout": { type: "string", default: "20" },
  },
});
const connections = Number(values.connections);
const requests = Number(values.requests);
const idleTimeoutS = Number(values["idle-timeout"]);
const root = resolve(import.meta.dir, "..");

const upstream = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: () =>
    Response.json({
      id: "chatcmpl-idle",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 1 },
    }),
});

const dir = mkdtempSync(join(tmpdir(), "switchboard-idle-"));
const portProbe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
const port = Number(portProbe.port);
portProbe.stop(true);
writeFileSync(
  join(dir, "switchboard.yaml"),
  `server: { host: 127.0.0.1, port: ${port}, idle_timeout: ${idleTimeoutS}s }
providers:
  mock: { type: openai, base_url: http://127.0.0.1:${upstream.port}/v1, api_key: sk-idle, models: [m] }
usage: { store: "off" }
`,
);
const command = values.binary
  ? [join(root, "dist/switchboard"), "serve", "--config", join(dir, "switchboard.yaml")]
  : ["bun", join(root, "src/main.ts"), "serve", "--config", join(dir, "switchboard.yaml")];
const gateway = Bun.spawn(command, { stdout: "ignore", stderr: "inherit" });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  if (
    await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break;
  await Bun.sleep(50);
}

const fdsOf = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

const before = { fds: fdsOf(gateway.pid), rss: rssMiB(gateway.pid) };
let closedByGateway = 0;
let answered = 0;
const sockets: Array<{ end(): void }> = [];
const opening: Promise<void>[] = [];
const openIdle = async (): Promise<void> => {
  const socket = await Bun.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_socket, _data) {
        answered++;
      },
      close() {
        closedByGateway++;
      },
    },
  });
  socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  sockets.push(socket);
};
for (let i = 0; i < connections; i++) {
  opening.push(openIdle());
  if (opening.length >= 500) await Promise.all(opening.splice(0));
}
await Promise.all(opening);
await Bun.sleep(500);
const held = { fds: fdsOf(gateway.pid), rss: rssMiB(gateway.pid), answered };

const latencies: number[] = [];
let ok = 0;
for (let i = 0; i < requests; i += 20) {
  await Promise.all(
    Array.from({ length: Math.min(20, requests - i) }, async () => {
      const started = performance.now();
      const response = await fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", connection: "close" },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      });
      await response.text();
      if (response.status === 200) ok++;
      latencies.push(performance.now() - started);
    }),
  );
}
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;

// Bun sweeps idle sockets every few seconds.
const deadline = Date.now() + (idleTimeoutS + 15) * 1000;
while (closedByGateway < connections && Date.now() < deadline) await Bun.sleep(500);
const after = { fds: fdsOf(gateway.pid), rss: rssMiB(gateway.pid) };

const report = {
  connections,
  idle_answered_first: held.answered,
  gateway_fds: { before: before.fds, holding: held.fds, after_idle_timeout: after.fds },
  gateway_rss_mib: {
    before: Math.round(before.rss),
    holding: Math.round(held.rss),
    after_idle_timeout: Math.round(after.rss),
  },
  real_requests: {
    sent: requests,
    ok,
    p50_ms: Math.round(at(0.5) * 10) / 10,
    p99_ms: Math.round(at(0.99) * 10) / 10,
  },
  idle_closed_by_gateway: closedByGateway,
  idle_timeout_s: idleTimeoutS,
};
console.log(JSON.stringify(report, null, 2));
for (const socket of sockets) socket.end();
gateway.kill("SIGTERM");
await gateway.exited;
upstream.stop(true);
rmSync(dir, { recursive: true, force: true });
process.exit(ok === requests && closedByGateway === connections ? 0 : 1);
