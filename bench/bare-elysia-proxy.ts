#!/usr/bin/env bun
/**
 * The Elysia floor: bench/bare-proxy.ts's pass-through (read the body, one `fetch` upstream, hand
 * the answer's body back) as an Elysia route, with the gateway's own route options (`parse:
 * "none"`: the handler reads the raw request). What it costs over the bare Bun proxy is the cost
 * of Elysia itself; what the gateway costs over it is the gateway's own work.
 *
 *   bun bench/bare-elysia-proxy.ts --upstream http://127.0.0.1:PORT [--port N]   prints {"port":N}
 */
import { parseArgs } from "node:util";
import { Elysia } from "elysia";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { upstream: { type: "string" }, port: { type: "string", default: "0" } },
});
const upstream = values.upstream;
if (!upstream) throw new Error("--upstream is required");

const app = new Elysia()
  .get("/health", () => "ok")
  .post(
    "/*",
    async ({ request }) => {
      const path = new URL(request.url).pathname;
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
    { parse: "none" },
  )
  .listen({ hostname: "127.0.0.1", port: Number(values.port), idleTimeout: 0 });

process.stdout.write(`${JSON.stringify({ port: app.server?.port })}\n`);
