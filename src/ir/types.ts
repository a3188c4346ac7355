/**
 * The internal representation every cross-protocol call goes through:
 * client request → IRRequest → provider request; provider response → IRResponse → client response;
 * provider stream → IRStreamEvent[] → client stream. No converter goes from one wire format
 * straight to another.
 *
 * Things a target cannot represent but must get back on the next turn (thinking signatures,
 * Gemini thoughtSignature) travel in `IRReasoningPart.signature` / `IRToolCallPart.signature`.
 */

export type IRRole = "user" | "assistant";

export interface IRCacheControl {
  type: "ephemeral";
  ttl?: string;
}

export interface IRTextPart {
  type: "text";
  text: string;
  cacheControl?: IRCacheControl;
  /** Anthropic citations etc., carried only when the target is the same protocol. */
  extra?: Record<string, unknown>;
  /** Sources this text cites (answers only), as the provider gave them. */
  citations?: IRCitation[];
}

/**
 * One cited source of an answer's text, in Anthropic's shape (`type` web_search_result_location
 * with `url`/`title`, char_location, page_location, content_block_location, search_result_location,
 * with `cited_text`): the richest form any provider reports; client encoders map it to their own.
 */
export type IRCitation = Record<string, unknown>;

export type IRMediaSource =
  | { kind: "url"; url: string }
  | { kind: "base64"; mediaType: string; data: string }
  | { kind: "file_id"; fileId: string };

export interface IRImagePart {
  type: "image";
  source: IRMediaSource;
  /** OpenAI `detail` (auto/low/high). */
  detail?: string;
  cacheControl?: IRCacheControl;
}

export interface IRDocumentPart {
  type: "document";
  source: IRMediaSource | { kind: "text"; text: string; mediaType: string };
  title?: string;
  filename?: string;
  cacheControl?: IRCacheControl;
}

/** Model reasoning. `redacted` parts carry opaque `data` instead of text. */
export interface IRReasoningPart {
  type: "reasoning";
  text: string;
  /** Anthropic thinking signature, or Gemini thoughtSignature. */
  signature?: string;
  redacted?: boolean;
  /** Opaque payload of a redacted_thinking block. */
  data?: string;
}

export interface IRToolCallPart {
  type: "tool_call";
  id: string;
  name: string;
  /** Arguments as a JSON text, exactly as produced (never re-serialised when unchanged). */
  arguments: string;
  /** Gemini thoughtSignature attached to a functionCall part. */
  signature?: string;
  cacheControl?: IRCacheControl;
}

export interface IRToolResultPart {
  type: "tool_result";
  toolCallId: string;
  /** Name of the tool (Gemini functionResponse needs it; filled from the matching call). */
  name?: string;
  content: Array<IRTextPart | IRImagePart | IRDocumentPart>;
  isError?: boolean;
  cacheControl?: IRCacheControl;
}

export type IRPart =
  | IRTextPart
  | IRImagePart
  | IRDocumentPart
  | IRReasoningPart
  | IRToolCallPart
  | IRToolResultPart;

export interface IRMessage {
  role: IRRole;
  parts: IRPart[];
  /** OpenAI `name` on a message. */
  name?: string;
}

export interface IRTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: IRCacheControl;
  /** Responses `custom` (freeform) tool: a function of one string `input` upstream, custom_tool_call back. */
  custom?: { format?: Record<string, unknown> };
}

export type IRToolChoice =
  | { type: "auto" }
  | { type: "none" }
  | { type: "required" }
  | { type: "tool"; name: string };

export type IRReasoningEffort = "none" | "minimal" | "low" | "medium" | "high" | "xhigh" | "max";

export interface IRReasoningConfig {
  /** Effort level asked for (OpenAI reasoning_effort, Anthropic output_config.effort). */
  effort?: IRReasoningEffort;
  /** Explicit thinking budget in tokens (Anthropic budget_tokens, Gemini thinkingBudget). */
  budgetTokens?: number;
  /** Anthropic `adaptive` thinking. */
  adaptive?: boolean;
  /** Thinking explicitly disabled. */
  disabled?: boolean;
  /** Whether thought text should be returned (Gemini includeThoughts; Anthropic display). */
  includeThoughts?: boolean;
}

export type IRResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      name?: string;
      schema: Record<string, unknown>;
      strict?: boolean;
      description?: string;
    };

export interface IRRequest {
  /** Upstream model id (already resolved by routing). */
  model: string;
  /** System prompt parts, in order (OpenAI system/developer messages, Anthropic `system`). */
  system: IRTextPart[];
  messages: IRMessage[];
  tools?: IRTool[];
  toolChoice?: IRToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  n?: number;
  reasoning?: IRReasoningConfig;
  responseFormat?: IRResponseFormat;
  stream: boolean;
  /** OpenAI stream_options.include_usage as the client asked. */
  includeUsage?: boolean;
  user?: string;
  metadata?: Record<string, unknown>;
  promptCacheKey?: string;
  promptCacheRetention?: string;
  serviceTier?: string;
  /**
   * Client fields with no IR meaning, keyed by wire name. Encoders of the same protocol family
   * may forward them; others list them as dropped.
   */
  unknown: Record<string, unknown>;
  /** Client protocol the request was decoded from: tells encoders whose wire names `unknown` holds. */
  sourceProtocol?: "openai" | "anthropic" | "responses";
}

export type IRStopReason =
  | "end_turn"
  | "max_tokens"
  | "tool_use"
  | "stop_sequence"
  | "refusal"
  | "pause_turn"
  | "error";

/**
 * Token counts, Anthropic's convention (what cost.ts and the limiter assume):
 * `inputTokens` EXCLUDES cache reads and cache writes; the total prompt is
 * inputTokens + cacheReadTokens + cacheWriteTokens (OpenAI prompt_tokens = that total;
 * decoders of "inclusive" protocols such as OpenAI and Gemini subtract the cached part).
 * `outputTokens` INCLUDES reasoning tokens. In stream `usage` events every present field is the
 * cumulative value so far (latest wins per field).
 */
export interface IRUsage {
  /** Uncached input tokens (total prompt minus cache reads minus cache writes). */
  inputTokens: number;
  /** All generated tokens, reasoning included. */
  outputTokens: number;
  /** Tokens read from the prompt cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens). */
  cacheReadTokens?: number;
  /** Tokens written to the prompt cache (Anthropic cache_creation_input_tokens). */
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

export interface IRResponse {
  id: string;
  model: string;
  /** Output parts in order: reasoning, text and tool calls. */
  parts: IRPart[];
  stopReason: IRStopReason;
  /** The stop sequence that matched, when stopReason is stop_sequence. */
  stopSequence?: string;
  usage: IRUsage;
  /** Unix seconds. */
  created?: number;
  systemFingerprint?: string;
  serviceTier?: string;
  /** Refusal text (OpenAI message.refusal). */
  refusal?: string;
  /**
   * The provider ends a natural turn and a matched stop sequence with the same reason and does not
   * say which (Gemini's STOP): a client encoder that knows the request's stop sequences decides.
   */
  stopSequenceUnknown?: boolean;
}

/**
 * Stream events, protocol-neutral and flat: decoders emit semantic deltas; encoders allocate
 * block indices (Anthropic) or tool-call indices (OpenAI). `toolIndex` identifies a tool call
 * within the response across its start and delta events.
 */
export type IRStreamEvent =
  | { type: "message_start"; id: string; model: string; usage?: Partial<IRUsage>; created?: number }
  | {
      type: "text_delta";
      text: string;
      /** Sources cited by the last `length` characters of text (a whole cited block, sent at its end). */
      citations?: { sources: IRCitation[]; length: number };
    }
  | { type: "reasoning_delta"; text: string }
  | { type: "reasoning_signature"; signature: string }
  | { type: "redacted_reasoning"; data: string }
  | { type: "tool_call_start"; toolIndex: number; id: string; name: string; signature?: string }
  | { type: "tool_call_delta"; toolIndex: number; argumentsDelta: string }
  | { type: "usage"; usage: Partial<IRUsage> }
  | {
      type: "finish";
      reason: IRStopReason;
      stopSequence?: string;
      /** The reason the output was refused, when no answer text carries it (Gemini's finishMessage). */
      refusal?: string;
      /** As IRResponse.stopSequenceUnknown. */
      stopSequenceUnknown?: boolean;
    }
  | { type: "error"; errorType: string; message: string };
