/**
 * The floors' whole job (bench/bare-proxy.ts, bench/bare-elysia-proxy.ts): their arguments, and
 * one POST forwarded upstream with its body, the answer's body handed back as it is.
 */
import { parseArgs } from "node:util";

/** `--upstream URL [--port N]`; throws without `--upstream`. */
export function readProxyArgs(): { upstream: string; port: number } {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { upstream: { type: "string" }, port: { type: "string", default: "0" } },
  });
  if (!values.upstream) throw new Error("--upstream is required");
  return { upstream: values.upstream, port: Number(values.port) };
}

export async function passThrough(request: Request, upstream: string): Promise<Response> {
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
}
