#!/usr/bin/env bun
/**
 * The Elysia floor: bench/bare-proxy.ts's pass-through (read the body, one `fetch` upstream, hand
 * the answer's body back) as an Elysia route, with the gateway's own route options (`parse:
 * "none"`: the handler reads the raw request). What it costs over the bare Bun proxy is the cost
 * of Elysia itself; what the gateway costs over it is the gateway's own work.
 *
 *   bun bench/bare-elysia-proxy.ts --upstream http://127.0.0.1:PORT [--port N]   prints {"port":N}
 */
import { Elysia } from "elysia";
import { passThrough, readProxyArgs } from "./lib/pass-through.ts";

const { upstream, port } = readProxyArgs();

const app = new Elysia()
  .get("/health", () => "ok")
  .post("/*", ({ request }) => passThrough(request, upstream), { parse: "none" })
  .listen({ hostname: "127.0.0.1", port, idleTimeout: 0 });

process.stdout.write(`${JSON.stringify({ port: app.server?.port })}\n`);
