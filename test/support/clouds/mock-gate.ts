/**
 * A loopback front for the scriptable mock provider (../mock-upstream.ts) that checks what a
 * cloud checks before it answers (a key and api-version, a SigV4 signature, an OAuth token),
 * rewrites the cloud's path to the mock's, and may reshape the answer (AWS event-stream framing).
 * Rejected requests never reach the mock; `rejections` records why.
 *
 *   const gate = await startGate({ upstream: mock, check: (req) => req.headers.get("api-key") === "k" ? undefined : "bad key" });
 *   // provider base_url: gate.url
 */
import { type Server, serve } from "bun";
import type { MockUpstream } from "../mock-upstream.ts";

export interface GateRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

/** A rejection: the status and body the cloud answers with. */
export interface GateRejection {
  status: number;
  body: unknown;
}

export interface GateOptions {
  upstream: MockUpstream;
  /** Answers a request itself (a token endpoint), before the check; undefined: go on. */
  handle?(request: GateRequest): Response | undefined | Promise<Response | undefined>;
  /** Undefined: accepted; else the rejection the client gets. */
  check(request: GateRequest): GateRejection | undefined | Promise<GateRejection | undefined>;
  /** The mock's path (and query) for a cloud path; default the same. */
  rewrite?(request: GateRequest): { path: string; body?: Uint8Array };
  /** Reshapes the mock's answer (default as is). */
  respond?(answer: Response, request: GateRequest): Response | Promise<Response>;
}

export interface Gate {
  url: string;
  rejections: GateRejection[];
  /** Every request as the cloud saw it (before the rewrite). */
  seen: GateRequest[];
  stop(): Promise<void>;
}

export async function startGate(options: GateOptions): Promise<Gate> {
  const rejections: GateRejection[] = [];
  const seen: GateRequest[] = [];
  const server: Server<unknown> = serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const request: GateRequest = {
        method: req.method,
        url: new URL(req.url),
        headers: req.headers,
        body: new Uint8Array(await req.arrayBuffer()),
      };
      const handled = await options.handle?.(request);
      if (handled) return handled;
      seen.push(request);
      const rejection = await options.check(request);
      if (rejection) {
        rejections.push(rejection);
        return Response.json(rejection.body, { status: rejection.status });
      }
      const target = options.rewrite?.(request) ?? { path: request.url.pathname + request.url.search };
      const headers = new Headers(req.headers);
      headers.delete("host");
      headers.delete("content-length");
      const answer = await fetch(options.upstream.url + target.path, {
        method: req.method,
        headers,
        body: req.method === "GET" ? undefined : (target.body ?? request.body),
        signal: req.signal,
      });
      return options.respond ? options.respond(answer, request) : answer;
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    rejections,
    seen,
    stop: async () => {
      await server.stop(true);
    },
  };
}
