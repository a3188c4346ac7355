import type { Caller } from "../auth/authenticate.ts";
import type { IRResponse } from "../ir/types.ts";
import type { NativeBodyPlan } from "../protocols/client-protocol.ts";
import type { WireRoute } from "../providers/transport.ts";
import type { RoutingControls } from "../routing/resolve-targets.ts";
import type { UpstreamCall, UpstreamResponse } from "./call-upstream.ts";
import type { DebugRequest } from "./debug-view.ts";
import type { ChunkReader } from "./relay-stream.ts";
import type { RequestControls } from "./request-controls.ts";

/** The values the generation pipeline's steps hand each other (handle-generation.ts). */

/** A request that passed auth, body checks, the allow-list and the key's limits. */
export interface Admission {
  caller: Caller;
  /** The client's body as it came: forwarded untouched on the same-protocol path when possible. */
  text: string;
  /** Validated, gateway fields removed. */
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  /** `x-switchboard-strictness: strict`. */
  strict: boolean;
  /** `x-switchboard-debug: upstream`, `debug`, `echo_upstream_request`: what the answer shows. */
  debug: DebugRequest | undefined;
  controls: RoutingControls;
  /** The other gateway controls (docs/request-controls.md). */
  requested: RequestControls;
  /** Gateway fields were removed, so `text` no longer equals `body`. */
  bodyChanged: boolean;
  rateHeaders?: Record<string, string>;
}

/** One upstream call, ready to send, and how its answer must be read. */
export interface PlannedCall {
  call: UpstreamCall;
  /** Where the transport placed it: its deframer reads the answer's stream. */
  route: WireRoute;
  /** The provider speaks the client's protocol: zero-copy answer. */
  native: boolean;
  nativePlan: NativeBodyPlan;
  dropped: string[];
  adjusted: string[];
}

export interface AnswerBase {
  upstream: UpstreamResponse;
  planned: PlannedCall;
  debug?: Record<string, unknown>;
}

/** A finished upstream attempt, ready to become the client's response. */
export type Answer =
  | (AnswerBase & {
      kind: "json";
      bytes: ArrayBuffer;
      /** Translated answers: read while another target could still be tried. */
      parsed?: { json: Record<string, unknown>; decoded: IRResponse };
    })
  | (AnswerBase & {
      kind: "stream";
      reader: ChunkReader;
      /** Read before committing to this target: until a byte reaches the client, failover is possible. */
      firstChunk: Uint8Array;
    });
