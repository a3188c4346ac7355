import type { IRUsage } from "../ir/types.ts";

/** One upstream attempt of a request: which target and key, and how it went. */
export interface AttemptRecord {
  provider: string;
  model: string;
  /** Label of the provider key used (never the secret). */
  keyLabel: string | null;
  /** Upstream HTTP status; 0 for network errors/timeouts before a response; -1 skipped (breaker open). */
  status: number;
  /** "ok" | "http" | "timeout" | "network" | "breaker_open" | "stream_error" */
  outcome: string;
  latencyMs: number;
}

/** Everything known about a finished request: input to logs, metrics, usage records and limits. */
export interface RequestOutcome {
  requestId: string;
  /** Epoch milliseconds when the gateway received the request. */
  startedAt: number;
  keyName: string | null;
  /** Route path family: "chat_completions" | "messages" | "count_tokens" | "models". */
  endpoint: string;
  modelRequested: string | null;
  /** Configured provider name and upstream model that answered (or were last tried). */
  provider: string | null;
  upstreamModel: string | null;
  attempts: AttemptRecord[];
  status: number;
  stream: boolean;
  /** Total time until the response was complete (stream end included). */
  latencyMs: number;
  /** Time to first token/byte sent to the client, streams only. */
  ttftMs: number | null;
  /** Time the upstream took to send headers on the answering attempt. */
  upstreamLatencyMs: number | null;
  usage: IRUsage | null;
  /** Translated between protocols? */
  translated: boolean;
  errorType?: string;
  /** Client fields the translation dropped (x-switchboard-dropped), for the console. */
  dropped?: string[];
  /** Logged bodies (usage.log_bodies), kept only while the console's Live page watches. */
  bodies?: Array<Record<string, unknown>>;
  /** Request and response body bytes (the provider pass-through). */
  bytesUp?: number;
  bytesDown?: number;
}
