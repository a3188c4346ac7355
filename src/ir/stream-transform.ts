import type { IRStopReason, IRStreamEvent, IRUsage } from "./types.ts";

/** How one stream's bytes are turned into what the client receives. */
export interface StreamTransform {
  /** One upstream chunk → bytes or text for the client (null or "" when nothing to send yet). */
  chunk(bytes: Uint8Array): Uint8Array | string | null;
  /** The upstream ended: trailing text (an error event if the stream was cut short). */
  end(): string;
  /** The upstream failed mid-stream: the protocol's own error event. */
  fail(message: string, errorType: "api_error" | "overloaded_error"): string;
}

/** What the gateway learns from a stream while relaying it. */
export class StreamObservation {
  usage: Partial<IRUsage> | null = null;
  stopReason: IRStopReason | null = null;
  /** The upstream sent its own error event in the stream. */
  upstreamError: string | null = null;

  observe(event: IRStreamEvent): void {
    if (event.type === "usage" || (event.type === "message_start" && event.usage)) {
      const usage = event.usage as Partial<IRUsage>;
      this.usage = this.usage ? { ...this.usage, ...usage } : { ...usage };
    } else if (event.type === "finish") {
      this.stopReason = event.reason;
    } else if (event.type === "error") {
      this.upstreamError = event.message;
    }
  }
}
