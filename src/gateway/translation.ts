import type { RequestOrigin } from "../ir/codec.ts";
import type { IRRequest } from "../ir/types.ts";
import type { ClientProtocolModule } from "../protocols/client-protocol.ts";
import type { ConversationLink } from "./responses-state.ts";

/** The request decoded into the IR once, on the first target that needs translation. */
export class Translation {
  private decoded: IRRequest | undefined;

  constructor(
    private readonly protocol: ClientProtocolModule,
    private readonly body: Record<string, unknown>,
    private readonly link: ConversationLink | undefined,
  ) {}

  get request(): IRRequest {
    // A conversation id only a Responses upstream could know: no translated target can answer.
    if (this.link?.unresolved) throw this.link.unresolved;
    this.decoded ??= this.protocol.codec.decodeRequest(this.body);
    return this.decoded;
  }

  get origin(): RequestOrigin {
    return { request: this.request, body: this.link?.echoBody ?? this.body, onAnswer: this.link?.remember };
  }
}
