/**
 * Builders for typical provider responses, shaped like the recorded fixtures, for tests that need
 * specific content (tool calls, thinking, usage) rather than a byte-exact recording.
 *
 *   openAICompletion(o)  -> chat.completion object         openAIChunks(o)   -> SSE chunks ("data: …\n\n", [DONE])
 *   anthropicMessage(o)  -> message object                 anthropicEvents(o)-> SSE events ("event: …\ndata: …\n\n")
 *   geminiResponse(o)    -> GenerateContentResponse        geminiChunks(o)   -> SSE chunks ("data: …\r\n\r\n")
 *   responsesObject(o)   -> Responses `response` object    responsesEvents(o)-> SSE events ("event: …\ndata: …\n\n")
 *
 * Stream builders return one string per event so a mock reply can stall or drop between them.
 */

// ---------- OpenAI ----------

export interface OpenAIToolCallSpec {
  id: string;
  name: string;
  /** JSON text of the arguments; streamed in `argumentPieces` (default: two halves). */
  arguments: string;
  argumentPieces?: string[];
}

export interface OpenAIUsageSpec {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
}

export interface OpenAIResponseSpec {
  id?: string;
  model?: string;
  created?: number;
  /** Content; an array gives the stream's content deltas (joined for the non-stream form). */
  text?: string | string[] | null;
  /** Non-standard but common (DeepSeek, OpenRouter, vLLM): `reasoning_content` deltas. */
  reasoning?: string | string[];
  toolCalls?: OpenAIToolCallSpec[];
  /** Defaults to `tool_calls` when toolCalls are given, else `stop`. */
  finishReason?: string;
  /** Streams: the usage-only final chunk (as with stream_options.include_usage); null = none. */
  usage?: OpenAIUsageSpec | null;
  systemFingerprint?: string;
  /** Streams: end with `data: [DONE]` (default true). */
  done?: boolean;
}

function toPieces(value: string | string[] | null | undefined): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function splitHalves(s: string): string[] {
  if (s.length < 2) return [s];
  const mid = Math.ceil(s.length / 2);
  return [s.slice(0, mid), s.slice(mid)];
}

function openAIUsage(u: OpenAIUsageSpec): Record<string, unknown> {
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning_tokens ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const DEFAULT_OPENAI_USAGE: OpenAIUsageSpec = { prompt_tokens: 10, completion_tokens: 5 };

export function openAICompletion(spec: OpenAIResponseSpec = {}): Record<string, unknown> {
  const pieces = toPieces(spec.text === undefined ? "Hello!" : spec.text);
  const message: Record<string, unknown> = {
    role: "assistant",
    content: spec.text === null ? null : pieces.join(""),
    refusal: null,
    annotations: [],
  };
  const reasoning = toPieces(spec.reasoning);
  if (reasoning.length) message.reasoning_content = reasoning.join("");
  if (spec.toolCalls?.length) {
    message.tool_calls = spec.toolCalls.map((c) => ({
      id: c.id,
      type: "function",
      function: { name: c.name, arguments: c.arguments },
    }));
  }
  return {
    id: spec.id ?? "chatcmpl-mock",
    object: "chat.completion",
    created: spec.created ?? 1700000000,
    model: spec.model ?? "gpt-4o-mini",
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: spec.finishReason ?? (spec.toolCalls?.length ? "tool_calls" : "stop"),
      },
    ],
    usage: openAIUsage(spec.usage ?? DEFAULT_OPENAI_USAGE),
    service_tier: "default",
    system_fingerprint: spec.systemFingerprint ?? "fp_mock",
  };
}

/** SSE chunks of a chat completion stream: role chunk, deltas, finish chunk, usage chunk, [DONE]. */
export function openAIChunks(spec: OpenAIResponseSpec = {}): string[] {
  const base = {
    id: spec.id ?? "chatcmpl-mock",
    object: "chat.completion.chunk",
    created: spec.created ?? 1700000000,
    model: spec.model ?? "gpt-4o-mini",
    service_tier: "default",
    system_fingerprint: spec.systemFingerprint ?? "fp_mock",
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  const out: string[] = [chunk({ role: "assistant", content: "", refusal: null })];
  for (const r of toPieces(spec.reasoning)) out.push(chunk({ reasoning_content: r }));
  for (const t of toPieces(spec.text === undefined ? "Hello!" : spec.text)) out.push(chunk({ content: t }));
  spec.toolCalls?.forEach((call, index) => {
    const pieces = call.argumentPieces ?? splitHalves(call.arguments);
    out.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
      }),
    );
    for (const p of pieces) out.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }));
  });
  out.push(chunk({}, spec.finishReason ?? (spec.toolCalls?.length ? "tool_calls" : "stop")));
  if (spec.usage)
    out.push(`data: ${JSON.stringify({ ...base, choices: [], usage: openAIUsage(spec.usage) })}\n\n`);
  if (spec.done !== false) out.push("data: [DONE]\n\n");
  return out;
}

// ---------- Anthropic ----------

export type AnthropicBlockSpec =
  | { type: "text"; text: string | string[] }
  | { type: "thinking"; thinking: string | string[]; signature: string }
  | { type: "redacted_thinking"; data: string }
  | { type: "tool_use"; id: string; name: string; input: unknown; partialJson?: string[] };

export interface AnthropicUsageSpec {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface AnthropicResponseSpec {
  id?: string;
  model?: string;
  /** A string is one text block. */
  content?: string | AnthropicBlockSpec[];
  /** Defaults to `tool_use` when a tool_use block is present, else `end_turn`. */
  stopReason?: string;
  stopSequence?: string | null;
  usage?: AnthropicUsageSpec;
  /** Streams: a `ping` after the first content_block_start, as the real API sends (default true). */
  ping?: boolean;
}

const DEFAULT_ANTHROPIC_USAGE: AnthropicUsageSpec = { input_tokens: 10, output_tokens: 5 };

function anthropicBlocks(spec: AnthropicResponseSpec): AnthropicBlockSpec[] {
  const c = spec.content ?? "Hello!";
  return typeof c === "string" ? [{ type: "text", text: c }] : c;
}

function anthropicStopReason(spec: AnthropicResponseSpec, blocks: AnthropicBlockSpec[]): string {
  return spec.stopReason ?? (blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
}

function fullBlock(b: AnthropicBlockSpec): Record<string, unknown> {
  switch (b.type) {
    case "text":
      return { type: "text", text: toPieces(b.text).join("") };
    case "thinking":
      return { type: "thinking", thinking: toPieces(b.thinking).join(""), signature: b.signature };
    case "redacted_thinking":
      return { type: "redacted_thinking", data: b.data };
    case "tool_use":
      return { type: "tool_use", id: b.id, name: b.name, input: b.input };
  }
}

function anthropicUsage(u: AnthropicUsageSpec): Record<string, unknown> {
  return {
    input_tokens: u.input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    output_tokens: u.output_tokens,
    service_tier: "standard",
  };
}

export function anthropicMessage(spec: AnthropicResponseSpec = {}): Record<string, unknown> {
  const blocks = anthropicBlocks(spec);
  return {
    id: spec.id ?? "msg_mock",
    type: "message",
    role: "assistant",
    model: spec.model ?? "claude-sonnet-4-5",
    content: blocks.map(fullBlock),
    stop_reason: anthropicStopReason(spec, blocks),
    stop_sequence: spec.stopSequence ?? null,
    usage: anthropicUsage(spec.usage ?? DEFAULT_ANTHROPIC_USAGE),
  };
}

const anthropicEvent = (data: Record<string, unknown>): string =>
  `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;

/** The full Messages event sequence: message_start … message_stop. */
export function anthropicEvents(spec: AnthropicResponseSpec = {}): string[] {
  const blocks = anthropicBlocks(spec);
  const usage = spec.usage ?? DEFAULT_ANTHROPIC_USAGE;
  const out: string[] = [
    anthropicEvent({
      type: "message_start",
      message: {
        id: spec.id ?? "msg_mock",
        type: "message",
        role: "assistant",
        model: spec.model ?? "claude-sonnet-4-5",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: anthropicUsage({ ...usage, output_tokens: 1 }),
      },
    }),
  ];
  blocks.forEach((b, index) => {
    const delta = (d: Record<string, unknown>) =>
      out.push(anthropicEvent({ type: "content_block_delta", index, delta: d }));
    switch (b.type) {
      case "text":
        out.push(
          anthropicEvent({ type: "content_block_start", index, content_block: { type: "text", text: "" } }),
        );
        break;
      case "thinking":
        out.push(
          anthropicEvent({
            type: "content_block_start",
            index,
            content_block: { type: "thinking", thinking: "", signature: "" },
          }),
        );
        break;
      case "redacted_thinking":
        out.push(anthropicEvent({ type: "content_block_start", index, content_block: fullBlock(b) }));
        break;
      case "tool_use":
        out.push(
          anthropicEvent({
            type: "content_block_start",
            index,
            content_block: { type: "tool_use", id: b.id, name: b.name, input: {} },
          }),
        );
        break;
    }
    if (index === 0 && spec.ping !== false) out.push(anthropicEvent({ type: "ping" }));
    if (b.type === "text") for (const t of toPieces(b.text)) delta({ type: "text_delta", text: t });
    if (b.type === "thinking") {
      for (const t of toPieces(b.thinking)) delta({ type: "thinking_delta", thinking: t });
      delta({ type: "signature_delta", signature: b.signature });
    }
    if (b.type === "tool_use") {
      for (const p of b.partialJson ?? splitHalves(JSON.stringify(b.input)))
        delta({ type: "input_json_delta", partial_json: p });
    }
    out.push(anthropicEvent({ type: "content_block_stop", index }));
  });
  out.push(
    anthropicEvent({
      type: "message_delta",
      delta: { stop_reason: anthropicStopReason(spec, blocks), stop_sequence: spec.stopSequence ?? null },
      usage: { output_tokens: usage.output_tokens },
    }),
  );
  out.push(anthropicEvent({ type: "message_stop" }));
  return out;
}

// ---------- Gemini ----------

export interface GeminiUsageSpec {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
}

export type GeminiPartSpec = Record<string, unknown>;

export interface GeminiResponseSpec {
  model?: string;
  responseId?: string;
  /** Text pieces (one per stream chunk), or explicit parts for the non-stream form / last chunk. */
  text?: string | string[];
  parts?: GeminiPartSpec[];
  finishReason?: string;
  usage?: GeminiUsageSpec;
}

const DEFAULT_GEMINI_USAGE: GeminiUsageSpec = { promptTokenCount: 10, candidatesTokenCount: 5 };

function geminiUsage(u: GeminiUsageSpec): Record<string, unknown> {
  const total = u.promptTokenCount + u.candidatesTokenCount + (u.thoughtsTokenCount ?? 0);
  return { ...u, totalTokenCount: total };
}

export function geminiResponse(spec: GeminiResponseSpec = {}): Record<string, unknown> {
  const parts = spec.parts ?? [{ text: toPieces(spec.text ?? "Hello!").join("") }];
  return {
    candidates: [{ content: { parts, role: "model" }, finishReason: spec.finishReason ?? "STOP", index: 0 }],
    usageMetadata: geminiUsage(spec.usage ?? DEFAULT_GEMINI_USAGE),
    modelVersion: spec.model ?? "gemini-2.5-flash",
    responseId: spec.responseId ?? "mock-response-id",
  };
}

/** `alt=sse` chunks: one per text piece (then one for `parts`), finishReason and usage on the last. */
export function geminiChunks(spec: GeminiResponseSpec = {}): string[] {
  const partsPerChunk: GeminiPartSpec[][] = toPieces(spec.text ?? (spec.parts ? [] : "Hello!")).map((t) => [
    { text: t },
  ]);
  if (spec.parts) partsPerChunk.push(spec.parts);
  const usage = geminiUsage(spec.usage ?? DEFAULT_GEMINI_USAGE);
  return partsPerChunk.map((parts, i) => {
    const last = i === partsPerChunk.length - 1;
    const candidate: Record<string, unknown> = { content: { parts, role: "model" }, index: 0 };
    if (last) candidate.finishReason = spec.finishReason ?? "STOP";
    const body = {
      candidates: [candidate],
      usageMetadata: last ? usage : { promptTokenCount: usage.promptTokenCount },
      modelVersion: spec.model ?? "gemini-2.5-flash",
      responseId: spec.responseId ?? "mock-response-id",
    };
    return `data: ${JSON.stringify(body)}\r\n\r\n`;
  });
}

// ---------- OpenAI Responses ----------

/** One output item; strings given as arrays are the stream's deltas (joined in the JSON form). */
export type ResponsesItemSpec =
  | { type: "message"; id?: string; text: string | string[] }
  | {
      type: "reasoning";
      id?: string;
      /** Summary parts, each one string or its deltas. */
      summary?: Array<string | string[]>;
      encryptedContent?: string;
    }
  | { type: "function_call"; id?: string; callId: string; name: string; arguments: string | string[] }
  | { type: "custom_tool_call"; id?: string; callId: string; name: string; input: string | string[] };

export interface ResponsesUsageSpec {
  input_tokens: number;
  output_tokens: number;
  cached_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
}

export interface ResponsesSpec {
  id?: string;
  model?: string;
  /** One message item with this text (when `output` is not given). */
  text?: string;
  output?: ResponsesItemSpec[];
  /** `incomplete` cuts the last item short (status incomplete) with `incompleteReason`. */
  status?: "completed" | "incomplete";
  incompleteReason?: string;
  usage?: ResponsesUsageSpec;
}

function responsesUsage(usage: ResponsesUsageSpec | undefined) {
  const u = usage ?? { input_tokens: 5, output_tokens: 3 };
  const inputDetails: Record<string, number> = { cached_tokens: u.cached_tokens ?? 0 };
  if (u.cache_write_tokens !== undefined) inputDetails.cache_write_tokens = u.cache_write_tokens;
  return {
    input_tokens: u.input_tokens,
    input_tokens_details: inputDetails,
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
    total_tokens: u.input_tokens + u.output_tokens,
  };
}

const joined = (value: string | string[]): string => (Array.isArray(value) ? value.join("") : value);

function responsesItems(spec: ResponsesSpec, responseId: string): Array<ResponsesItemSpec & { id: string }> {
  const items = spec.output ?? [{ type: "message", text: spec.text ?? "Hello" }];
  const prefix: Record<ResponsesItemSpec["type"], string> = {
    message: "msg",
    reasoning: "rs",
    function_call: "fc",
    custom_tool_call: "ctc",
  };
  // The first message keeps the id `msg_<response id>` the echo replies have always used.
  return items.map((item, i) => ({
    ...item,
    id: item.id ?? `${prefix[item.type]}_${responseId}${item.type === "message" && i === 0 ? "" : `_${i}`}`,
  }));
}

/** An output item as it stands in `output_item.added` (`in_progress`) or done / the response (final). */
function responsesItem(
  item: ResponsesItemSpec & { id: string },
  status: "in_progress" | "completed" | "incomplete",
): Record<string, unknown> {
  const open = status === "in_progress";
  switch (item.type) {
    case "message":
      return {
        id: item.id,
        type: "message",
        status,
        role: "assistant",
        content: open
          ? []
          : [{ type: "output_text", text: joined(item.text), annotations: [], logprobs: [] }],
      };
    case "reasoning": {
      const out: Record<string, unknown> = { id: item.id, type: "reasoning" };
      if (item.encryptedContent !== undefined) out.encrypted_content = item.encryptedContent;
      out.summary = open ? [] : (item.summary ?? []).map((s) => ({ type: "summary_text", text: joined(s) }));
      return out;
    }
    case "function_call":
      return {
        id: item.id,
        type: "function_call",
        status,
        arguments: open ? "" : joined(item.arguments),
        call_id: item.callId,
        name: item.name,
      };
    case "custom_tool_call":
      return {
        id: item.id,
        type: "custom_tool_call",
        status,
        call_id: item.callId,
        input: open ? "" : joined(item.input),
        name: item.name,
      };
  }
}

/** A finished Responses API `response` object (one assistant message unless `output` says otherwise). */
export function responsesObject(spec: ResponsesSpec = {}): Record<string, unknown> {
  const id = spec.id ?? "resp_mock";
  const incomplete = spec.status === "incomplete";
  const items = responsesItems(spec, id);
  return {
    id,
    object: "response",
    created_at: 1700000000,
    status: spec.status ?? "completed",
    error: null,
    incomplete_details: incomplete ? { reason: spec.incompleteReason ?? "max_output_tokens" } : null,
    model: spec.model ?? "gpt-5.4-pro",
    output: items.map((item, i) =>
      responsesItem(item, incomplete && i === items.length - 1 ? "incomplete" : "completed"),
    ),
    parallel_tool_calls: true,
    tool_choice: "auto",
    tools: [],
    usage: responsesUsage(spec.usage),
  };
}

/**
 * The typed SSE events of a Responses stream, in the grammar of the recordings (EVENTS.md):
 * created, in_progress, then each item added → its deltas → done, then the terminal event.
 * `pieces` is a shorthand for one message streamed in those deltas.
 */
export function responsesEvents(spec: ResponsesSpec & { pieces?: string[] } = {}): string[] {
  const full: ResponsesSpec = spec.pieces
    ? { ...spec, output: [{ type: "message", text: spec.pieces }] }
    : spec;
  const done = responsesObject(full);
  const id = done.id as string;
  const items = responsesItems(full, id);
  const finals = done.output as Array<Record<string, unknown>>;
  const inProgress = { ...done, status: "in_progress", incomplete_details: null, output: [], usage: null };
  let sequence = 0;
  const event = (type: string, body: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...body })}\n\n`;
  const pieces = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
  const out = [
    event("response.created", { response: inProgress }),
    event("response.in_progress", { response: inProgress }),
  ];
  items.forEach((item, output_index) => {
    const at = { item_id: item.id, output_index };
    out.push(event("response.output_item.added", { output_index, item: responsesItem(item, "in_progress") }));
    switch (item.type) {
      case "message": {
        const part = { type: "output_text", text: "", annotations: [], logprobs: [] };
        const text = joined(item.text);
        out.push(event("response.content_part.added", { ...at, content_index: 0, part }));
        for (const delta of pieces(item.text))
          out.push(event("response.output_text.delta", { ...at, content_index: 0, delta, logprobs: [] }));
        out.push(event("response.output_text.done", { ...at, content_index: 0, text, logprobs: [] }));
        out.push(event("response.content_part.done", { ...at, content_index: 0, part: { ...part, text } }));
        break;
      }
      case "reasoning":
        (item.summary ?? []).forEach((summary, summary_index) => {
          const text = joined(summary);
          out.push(
            event("response.reasoning_summary_part.added", {
              ...at,
              summary_index,
              part: { type: "summary_text", text: "" },
            }),
          );
          for (const delta of pieces(summary))
            out.push(event("response.reasoning_summary_text.delta", { ...at, summary_index, delta }));
          out.push(event("response.reasoning_summary_text.done", { ...at, summary_index, text }));
          out.push(
            event("response.reasoning_summary_part.done", {
              ...at,
              summary_index,
              part: { type: "summary_text", text },
            }),
          );
        });
        break;
      case "function_call":
        for (const delta of pieces(item.arguments))
          out.push(event("response.function_call_arguments.delta", { ...at, delta }));
        out.push(
          event("response.function_call_arguments.done", { ...at, arguments: joined(item.arguments) }),
        );
        break;
      case "custom_tool_call":
        for (const delta of pieces(item.input))
          out.push(event("response.custom_tool_call_input.delta", { ...at, delta }));
        out.push(event("response.custom_tool_call_input.done", { ...at, input: joined(item.input) }));
        break;
    }
    out.push(event("response.output_item.done", { output_index, item: finals[output_index] }));
  });
  const terminal = done.status === "incomplete" ? "response.incomplete" : "response.completed";
  out.push(event(terminal, { response: done }));
  return out;
}
