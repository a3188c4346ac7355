/**
 * OpenAI Responses API wire bodies for the benchmark mock: valid, minimal where OpenAI allows,
 * with usage, shaped like OpenAI's own answers (test/fixtures/openai-responses): the `response`
 * object with its echoed settings, and the typed SSE event grammar with `event:` lines and a
 * `sequence_number` on every event.
 */

const CREATED = 1_700_000_000;
const INPUT_TOKENS = 12;
const RESPONSE_ID = "resp_bench";
const ITEM_ID = "msg_bench";

type Stringify = (value: unknown) => string;

/** The request settings OpenAI echoes in every `response` object. */
export interface ResponsesEcho {
  instructions?: unknown;
  max_output_tokens?: unknown;
  temperature?: unknown;
}

/** Only the echoed settings: part of the mock's cache key, so cached bytes match the request. */
export function readResponsesEcho(body: Record<string, unknown>): ResponsesEcho {
  return {
    instructions: body.instructions,
    max_output_tokens: body.max_output_tokens,
    temperature: body.temperature,
  };
}

function usage(outputTokens: number) {
  return {
    input_tokens: INPUT_TOKENS,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: INPUT_TOKENS + outputTokens,
  };
}

function outputText(text: string) {
  return { type: "output_text", annotations: [], logprobs: [], text };
}

function messageItem(status: "in_progress" | "completed", text: string | undefined) {
  return {
    id: ITEM_ID,
    type: "message",
    status,
    content: text === undefined ? [] : [outputText(text)],
    role: "assistant",
  };
}

/** The `response` object, key for key in OpenAI's order. */
function responseObject(
  model: string,
  echo: ResponsesEcho,
  status: "in_progress" | "completed",
  output: unknown[],
  outputTokens: number | undefined,
) {
  const done = status === "completed";
  return {
    id: RESPONSE_ID,
    object: "response",
    created_at: CREATED,
    status,
    background: false,
    completed_at: done ? CREATED + 1 : null,
    error: null,
    incomplete_details: null,
    instructions: echo.instructions ?? null,
    max_output_tokens: echo.max_output_tokens ?? null,
    max_tool_calls: null,
    model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: done ? "default" : "auto",
    store: true,
    temperature: echo.temperature ?? 1,
    text: { format: { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: [],
    top_logprobs: 0,
    top_p: 1,
    truncation: "disabled",
    usage: outputTokens === undefined ? null : usage(outputTokens),
    user: null,
    metadata: {},
  };
}

/** A finished `response`: one assistant message of `words` words, and usage. */
export function responsesObjectJson(
  model: string,
  words: number,
  echo: ResponsesEcho = {},
  stringify: Stringify = JSON.stringify,
): string {
  const text = "ok ".repeat(words).trimEnd();
  return stringify(responseObject(model, echo, "completed", [messageItem("completed", text)], words));
}

/**
 * The events of one stream, each a complete `event: <type>\ndata: <json>\n\n` frame: created,
 * in_progress, output_item.added, content_part.added, `deltas` × output_text.delta,
 * output_text.done, content_part.done, output_item.done, completed (with usage). No `[DONE]`.
 */
export function responsesStreamEvents(
  model: string,
  deltas: number,
  echo: ResponsesEcho = {},
  stringify: Stringify = JSON.stringify,
): string[] {
  let sequence = 0;
  const frame = (type: string, data: object): string =>
    `event: ${type}\ndata: ${stringify({ type, ...data, sequence_number: sequence++ })}\n\n`;
  const text = "ok ".repeat(deltas);
  const inProgress = responseObject(model, echo, "in_progress", [], undefined);
  const at = { item_id: ITEM_ID, output_index: 0, content_index: 0 };
  const events = [
    frame("response.created", { response: inProgress }),
    frame("response.in_progress", { response: inProgress }),
    frame("response.output_item.added", { item: messageItem("in_progress", undefined), output_index: 0 }),
    frame("response.content_part.added", { ...at, part: outputText("") }),
  ];
  for (let i = 0; i < deltas; i++) {
    events.push(frame("response.output_text.delta", { ...at, delta: "ok ", logprobs: [] }));
  }
  const item = messageItem("completed", text);
  events.push(
    frame("response.output_text.done", { ...at, text, logprobs: [] }),
    frame("response.content_part.done", { ...at, part: outputText(text) }),
    frame("response.output_item.done", { item, output_index: 0 }),
    frame("response.completed", { response: responseObject(model, echo, "completed", [item], deltas) }),
  );
  return events;
}
