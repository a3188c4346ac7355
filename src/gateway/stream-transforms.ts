import type { ProviderCodec, StreamEncoder } from "../ir/codec.ts";
import type { StreamDeframer } from "../ir/stream-deframer.ts";
import type { StreamObservation, StreamTransform } from "../ir/stream-transform.ts";
import type { IRStreamEvent } from "../ir/types.ts";

/** Any client ← a provider of the other protocol: deframer (SSE, AWS event-stream) → provider decoder → IR → client encoder. */
export class TranslatingTransform implements StreamTransform {
  private readonly decoder;
  private sawFinish = false;
  private failed = false;

  constructor(
    codec: ProviderCodec,
    private readonly encoder: StreamEncoder,
    readonly observation: StreamObservation,
    private readonly parser: StreamDeframer,
  ) {
    this.decoder = codec.createStreamDecoder();
  }

  chunk(bytes: Uint8Array): string {
    let out = "";
    for (const event of this.parser.push(bytes)) {
      for (const ir of this.decoder.push(event)) out += this.emit(ir);
    }
    return out;
  }

  private emit(event: IRStreamEvent): string {
    if (this.failed) return "";
    this.observation.observe(event);
    if (event.type === "finish") this.sawFinish = true;
    if (event.type === "error") this.failed = true;
    return this.encoder.push(event);
  }

  end(): string {
    let out = "";
    for (const event of this.parser.end()) {
      for (const ir of this.decoder.push(event)) out += this.emit(ir);
    }
    for (const ir of this.decoder.end()) out += this.emit(ir);
    if (this.failed) return out;
    if (!this.sawFinish) {
      return (
        out +
        this.emit({
          type: "error",
          errorType: "api_error",
          message: "The provider's stream ended before it finished.",
        })
      );
    }
    return out + this.encoder.end();
  }

  fail(message: string, errorType: string): string {
    if (this.failed) return "";
    return this.emit({ type: "error", errorType, message });
  }
}
