#!/usr/bin/env bun
/**
 * The floor: the least a Bun gateway can do on the same-protocol path (read the body, one
 * `fetch` upstream, pipe the answer back), with no routing, logging, metrics or validation.
 * What it costs on a machine is what no Bun gateway there can beat. Any POST path is forwarded
 * as is (`/v1/chat/completions`, `/v1/messages`, `/v1/responses`).
 *
 *   bun bench/bare-proxy.ts --upstream http://127.0.0.1:PORT [--port N]   prints {"port":N}
 */
import { passThrough, readProxyArgs } from "./lib/pass-through.ts";

const { upstream, port } = readProxyArgs();

const server = Bun.serve({
  hostname: "127.0.0.1",
  port,
  idleTimeout: 0,
  fetch(request) {
    if (new URL(request.url).pathname === "/health") return new Response("ok");
    return passThrough(request, upstream);
  },
});

process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
