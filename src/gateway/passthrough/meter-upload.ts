import { GatewayError } from "../../errors/gateway-error.ts";
import { tooLarge } from "../read-body.ts";

/** The client's body on its way up, counted: over `limit` bytes → 413; silent for `idleMs` → 408. */
export interface MeteredUpload {
  stream: ReadableStream<Uint8Array>;
  bytes(): number;
  /** Why the upload was cut, if the gateway cut it. */
  failure(): GatewayError | undefined;
}

export function meterUpload(body: ReadableStream<Uint8Array>, limit: number, idleMs: number): MeteredUpload {
  const reader = body.getReader();
  let count = 0;
  let failure: GatewayError | undefined;
  const cut = (controller: ReadableStreamDefaultController<Uint8Array>, error: GatewayError) => {
    failure = error;
    controller.error(error);
    reader.cancel(error).catch(() => {});
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const idle = new Promise<"idle">((resolve) => {
          timer = setTimeout(() => resolve("idle"), idleMs);
        });
        try {
          const read = await Promise.race([reader.read(), idle]);
          if (read === "idle") return cut(controller, uploadStalled(idleMs));
          if (read.done) return controller.close();
          count += read.value.byteLength;
          if (count > limit) return cut(controller, tooLarge(limit));
          controller.enqueue(read.value);
        } catch (error) {
          controller.error(error);
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(reason) {
        reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, bytes: () => count, failure: () => failure };
}

const uploadStalled = (ms: number): GatewayError =>
  new GatewayError({
    kind: "invalid_request",
    status: 408,
    message: `The request body stopped arriving for ${ms} ms.`,
    code: "request_timeout",
  });
