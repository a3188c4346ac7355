import { waitAtMost } from "../async/with-timeout.ts";
import type { ResolvedConfig } from "../config/types.ts";
import {
  applyConfig,
  closeRuntime,
  createRuntime,
  type GatewayRuntime,
  type RuntimeOptions,
} from "../gateway/runtime.ts";
import { createApp } from "./app.ts";
import { closeEveryConnectionFromNow } from "./close-while-draining.ts";
import { startIdleCollector } from "./idle-gc.ts";

export interface RunningGateway {
  runtime: GatewayRuntime;
  /** The port actually bound (useful with port 0). */
  port: number;
  url: string;
  /** Handles one request in-process, without a socket. */
  handle: (request: Request) => Promise<Response>;
  reload: (config: ResolvedConfig) => void;
  /**
   * Graceful stop: /ready turns 503 (answers carry `Connection: close` for `drain_delay`), the
   * listener closes, in-flight requests and streams finish (up to the drain timeout, then they
   * are cut), buffered usage records are flushed.
   */
  stop: () => Promise<void>;
}

export interface StartOptions extends RuntimeOptions {
  host?: string;
  port?: number;
}

export async function startGateway(config: ResolvedConfig, options: StartOptions): Promise<RunningGateway> {
  const runtime = await createRuntime(config, options);
  // Before listening, give a shared limits store a moment to connect, so the first requests are
  // judged by it; past the bound the gateway serves anyway (decided by limits.on_store_failure).
  await waitAtMost(runtime.limiter.ready?.(), LIMITS_CONNECT_WAIT_MS);
  const app = createApp(runtime);
  const host = options.host ?? config.server.host;
  app.listen({
    hostname: host,
    port: options.port ?? config.server.port,
    // The exact limit is checked per request with a protocol envelope; this is the backstop.
    maxRequestBodySize: config.server.bodyLimit * 2 + 1024 * 1024,
    // Idle keep-alive connections and half-sent requests are closed after this; a generation
    // request, which may be silent for minutes (long thinking), lifts it once its body is in
    // (runtime.holdOpen), and upstream timeouts bound it instead.
    idleTimeout: Math.round(config.server.idleTimeoutMs / 1000),
  });
  const server = app.server;
  if (!server) throw new Error("server did not start");
  runtime.holdOpen = (request) => server.timeout(request, 0);
  // Bun applies a socket timeout only while the response is being written: restored by the
  // request's end (before a JSON answer is returned, in a stream's last pull).
  runtime.releaseHold = (request) =>
    server.timeout(request, Math.round(runtime.config.server.idleTimeoutMs / 1000));
  // Request validators are compiled on a protocol's first request, not here: compiled, the four
  // hold ~9 MB that a gateway serving one protocol never needs (docs/performance.md, "Footprint").
  const stopIdleCollector = startIdleCollector(
    {
      get inFlight() {
        return runtime.inFlight;
      },
      handled: () => runtime.requestsStarted,
    },
    undefined,
    () => runtime.usageStore?.releaseMemory?.(),
  );
  const port = server.port as number;
  const displayHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  let stopping: Promise<void> | null = null;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      runtime.draining = true;
      closeEveryConnectionFromNow(server, app.fetch);
      stopIdleCollector();
      // The drain delay: still serving, every answer with `Connection: close` and /ready 503, so
      // a load balancer moves its traffic away before the listener and idle connections close.
      const delayMs = runtime.config.server.drainDelayMs;
      if (delayMs > 0) await Bun.sleep(delayMs);
      const drained = server.stop(false);
      const timedOut = new Promise<"timeout">((resolve) => {
        const timer = setTimeout(() => resolve("timeout"), runtime.config.server.drainTimeoutMs);
        timer.unref?.();
      });
      if ((await Promise.race([drained.then(() => "drained" as const), timedOut])) === "timeout") {
        // Record what is still running before cutting it: every accepted request gets its row.
        const remaining = [...runtime.active];
        for (const ctx of remaining) ctx.finishAtDrainDeadline();
        runtime.logger.warn("drain timeout reached; closing remaining connections", {
          in_flight: remaining.length,
          recorded: remaining.length,
        });
        await server.stop(true);
      }
      await closeRuntime(runtime);
    })();
    return stopping;
  };

  return {
    runtime,
    port,
    url: `http://${displayHost.includes(":") ? `[${displayHost}]` : displayHost}:${port}`,
    handle: (request) => app.handle(request),
    reload: (next) => {
      applyConfig(runtime, next);
      runtime.lastReload = { at: Date.now(), ok: true };
    },
    stop,
  };
}

const LIMITS_CONNECT_WAIT_MS = 1000;
