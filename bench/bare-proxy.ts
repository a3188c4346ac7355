#!/usr/bin/env bun
/**
 * The floor: the least a Bun gateway can do on the same-protocol path (read the body, one
 * `fetch` upstream, pipe the answer back), with no routing, logging, metrics or validation.
 * What it costs on a machine is what no Bun gateway there can beat. Any POST path is forwarded
 * as is (`/v1/chat/completions`, `/v1/messages`, `/v1/responses`).
 *
 *   bun bench/bare-proxy.ts --upstream http://127.0.0.1:PORT [--port N]   prints {"port":N}
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { upstream: { type: "string" }, port: { type: "string", default: "0" } },
});
const upstream = values.upstream;
if (!upstream) throw new Error("--upstream is required");

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(values.port),
  idleTimeout: 0,
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/health") return new Response("ok");
    const answer = await fetch(`${upstream}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: await request.arrayBuffer(),
      signal: request.signal,
    });
    return new Response(answer.body, {
      status: answer.status,
      headers: { "content-type": answer.headers.get("content-type") ?? "application/json" },
    });
  },
});

process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
