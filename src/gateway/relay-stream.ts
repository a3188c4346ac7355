import type { StreamTransform } from "../ir/stream-transform.ts";
import { describeNetworkError, type UpstreamResponse } from "./call-upstream.ts";

export type { StreamTransform };

/** The part of a stream reader the relay uses (Bun's and the DOM lib's reader types differ). */
export interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
}

/** `upstream_error` is the provider's fault (counts toward its breaker); `gateway_error` is ours. */
export type StreamEnd = "complete" | "upstream_error" | "gateway_error" | "client_gone";

export interface RelayOptions {
  upstream: UpstreamResponse;
  reader: ChunkReader;
  /** Read before committing to this upstream (failover is possible until the first byte). */
  firstChunk: Uint8Array;
  /** Sent before the first event (the `x-switchboard-debug` SSE comment). */
  prefix?: string;
  /** Sent after the last event, the error event included (debug trace, meta: SSE comments). */
  suffix?: () => string;
  transform: StreamTransform;
  idleTimeoutMs: number;
  onEnd: (end: StreamEnd, detail?: string) => void;
}

class StreamIdle extends Error {}
const textEncoder = new TextEncoder();

const toBytes = (out: Uint8Array | string): Uint8Array =>
  typeof out === "string" ? textEncoder.encode(out) : out;

/**
 * The client-facing body of a stream. Pull-based, so a slow client stalls the upstream read
 * (backpressure); a client that leaves cancels the upstream fetch; an upstream that fails or
 * stalls mid-stream ends the stream with the protocol's error event instead of a reset.
 */
export function relayStream(options: RelayOptions): ReadableStream<Uint8Array> {
  const { upstream, reader, transform, onEnd } = options;
  let ended = false;
  const finish = (end: StreamEnd, detail?: string) => {
    if (ended) return;
    ended = true;
    clearTimeout(idleTimer);
    onEnd(end, detail);
  };
  const idleTimer = setTimeout(() => upstream.abort(new StreamIdle()), options.idleTimeoutMs);

  // A transform that throws is the gateway's own fault: the stream ends with the protocol's error
  // event, the upstream is closed, and nothing counts against the provider.
  const failLocally = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
    upstream.abort(new Error("gateway error"));
    const reason = error instanceof Error ? error.name : "error";
    try {
      controller.enqueue(
        textEncoder.encode(
          transform.fail(`The gateway could not relay the stream (${reason}).`, "api_error"),
        ),
      );
    } catch {}
    finish("gateway_error", reason);
    try {
      controller.close();
    } catch {}
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (options.prefix) controller.enqueue(textEncoder.encode(options.prefix));
        try {
          const out = transform.chunk(options.firstChunk);
          if (out && out.length > 0) controller.enqueue(toBytes(out));
        } catch (error) {
          failLocally(controller, error);
        }
      },
      async pull(controller) {
        if (ended) return;
        // Loop until something is enqueued, so one pull always makes progress for the reader.
        for (;;) {
          let read: { done: boolean; value?: Uint8Array };
          try {
            read = await reader.read();
          } catch (error) {
            failUpstream(controller, error);
            return;
          }
          idleTimer.refresh();
          try {
            if (read.done || !read.value) {
              const tail = transform.end() + (options.suffix?.() ?? "");
              if (tail) controller.enqueue(textEncoder.encode(tail));
              // The row first (journaled at once), then the end the client waits for.
              finish("complete");
              controller.close();
              return;
            }
            const out = transform.chunk(read.value);
            if (out && out.length > 0) {
              controller.enqueue(toBytes(out));
              return;
            }
          } catch (error) {
            failLocally(controller, error);
            return;
          }
        }
      },
      cancel(reason) {
        upstream.abort(reason);
        finish("client_gone");
      },
    },
    { highWaterMark: 0 },
  );

  function failUpstream(controller: ReadableStreamDefaultController<Uint8Array>, error: unknown): void {
    if (ended) return;
    const stalled = upstream.signal.reason instanceof StreamIdle;
    if (upstream.signal.aborted && !stalled) {
      // The client left (or the server is shutting down): nothing more to say.
      finish("client_gone");
      try {
        controller.close();
      } catch {}
      return;
    }
    const message = stalled
      ? `The provider stopped sending data for ${options.idleTimeoutMs} ms; the stream was ended.`
      : `The connection to the provider failed mid-stream: ${describeNetworkError(error)}`;
    let tail = transform.fail(message, "api_error");
    try {
      tail += options.suffix?.() ?? "";
    } catch {}
    controller.enqueue(textEncoder.encode(tail));
    finish("upstream_error", stalled ? "stalled" : "network");
    controller.close();
  }
}
