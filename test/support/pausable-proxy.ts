/**
 * A TCP proxy in front of a real server (Redis, PostgreSQL) that a test can hang (bytes held,
 * like SIGSTOP of the server), resume, or cut (connections closed and refused, like a kill).
 *
 *   const proxy = await startPausableProxy(6379);
 *   proxy.hang(); … proxy.resume(); proxy.cut(); … proxy.resume(); proxy.stop();
 */
import type { Socket, TCPSocketListener } from "bun";

interface Pair {
  client: Socket<Pair>;
  upstream: Socket<Pair> | null;
  /** Bytes from the client while the upstream connection is opening or while hung. */
  toUpstream: Uint8Array[];
  toClient: Uint8Array[];
}

export interface PausableProxy {
  port: number;
  url(scheme: string, path?: string): string;
  hang(): void;
  resume(): void;
  cut(): void;
  stop(): void;
}

export async function startPausableProxy(
  targetPort: number,
  targetHost = "127.0.0.1",
  /** Sees every chunk a client sends (to count commands). */
  tap?: (chunk: Uint8Array) => void,
): Promise<PausableProxy> {
  let mode: "pass" | "hang" | "cut" = "pass";
  const pairs = new Set<Pair>();

  const flush = (pair: Pair) => {
    if (mode !== "pass") return;
    if (pair.upstream) for (const chunk of pair.toUpstream.splice(0)) pair.upstream.write(chunk);
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  };

  const listener: TCPSocketListener<Pair> = Bun.listen<Pair>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        if (mode === "cut") {
          client.end();
          return;
        }
        const pair: Pair = { client, upstream: null, toUpstream: [], toClient: [] };
        client.data = pair;
        pairs.add(pair);
        Bun.connect<Pair>({
          hostname: targetHost,
          port: targetPort,
          data: pair,
          socket: {
            open(upstream) {
              pair.upstream = upstream;
              flush(pair);
            },
            data(_upstream, chunk) {
              pair.toClient.push(new Uint8Array(chunk));
              flush(pair);
            },
            close() {
              pair.client.end();
              pairs.delete(pair);
            },
            error() {
              pair.client.end();
            },
          },
        }).catch(() => client.end());
      },
      data(client, chunk) {
        const pair = client.data;
        if (!pair) return;
        const bytes = new Uint8Array(chunk);
        tap?.(bytes);
        pair.toUpstream.push(bytes);
        flush(pair);
      },
      close(client) {
        client.data?.upstream?.end();
        if (client.data) pairs.delete(client.data);
      },
    },
  });

  return {
    port: listener.port,
    url: (scheme, path = "") => `${scheme}://127.0.0.1:${listener.port}${path}`,
    hang: () => {
      mode = "hang";
    },
    resume: () => {
      mode = "pass";
      for (const pair of pairs) flush(pair);
    },
    cut: () => {
      mode = "cut";
      for (const pair of [...pairs]) {
        pair.client.end();
        pair.upstream?.end();
        pairs.delete(pair);
      }
    },
    stop: () => {
      for (const pair of pairs) {
        pair.client.end();
        pair.upstream?.end();
      }
      listener.stop(true);
    },
  };
}
