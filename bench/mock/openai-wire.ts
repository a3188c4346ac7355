/** OpenAI Chat Completions wire bodies for the benchmark mock: valid, minimal, with usage. */

const CREATED = 1_700_000_000;
const PROMPT_TOKENS = 12;

type Stringify = (value: unknown) => string;

export function openaiCompletionJson(
  model: string,
  words: number,
  stringify: Stringify = JSON.stringify,
): string {
  return stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "ok ".repeat(words).trimEnd(), refusal: null },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: words, total_tokens: PROMPT_TOKENS + words },
  });
}

function chunk(model: string, delta: object, finishReason: string | null, stringify: Stringify): string {
  const body = {
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  return `data: ${stringify(body)}\n\n`;
}

/** The events of one stream, each a complete `data: …\n\n` frame, ending with `[DONE]`. */
export function openaiStreamEvents(
  model: string,
  deltas: number,
  includeUsage: boolean,
  stringify: Stringify = JSON.stringify,
): string[] {
  const events = [chunk(model, { role: "assistant", content: "" }, null, stringify)];
  for (let i = 0; i < deltas; i++) events.push(chunk(model, { content: "ok " }, null, stringify));
  events.push(chunk(model, {}, "stop", stringify));
  if (includeUsage) {
    const usage = {
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: deltas,
      total_tokens: PROMPT_TOKENS + deltas,
    };
    const body = {
      id: "chatcmpl-bench",
      object: "chat.completion.chunk",
      created: CREATED,
      model,
      choices: [],
      usage,
    };
    events.push(`data: ${stringify(body)}\n\n`);
  }
  events.push("data: [DONE]\n\n");
  return events;
}
