/** Anthropic Messages wire bodies for the benchmark mock: valid, minimal, with usage. */

const INPUT_TOKENS = 12;

type Stringify = (value: unknown) => string;

export function anthropicMessageJson(
  model: string,
  words: number,
  stringify: Stringify = JSON.stringify,
): string {
  return stringify({
    id: "msg_bench",
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text: "ok ".repeat(words).trimEnd() }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: INPUT_TOKENS, output_tokens: words },
  });
}

/** The events of one stream, `message_start` … `message_stop`, each a complete frame. */
export function anthropicStreamEvents(
  model: string,
  deltas: number,
  stringify: Stringify = JSON.stringify,
): string[] {
  const frame = (type: string, data: object): string =>
    `event: ${type}\ndata: ${stringify({ type, ...data })}\n\n`;
  const message = {
    id: "msg_bench",
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: INPUT_TOKENS, output_tokens: 1 },
  };
  const events = [
    frame("message_start", { message }),
    frame("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  ];
  for (let i = 0; i < deltas; i++) {
    events.push(frame("content_block_delta", { index: 0, delta: { type: "text_delta", text: "ok " } }));
  }
  events.push(
    frame("content_block_stop", { index: 0 }),
    frame("message_delta", {
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: deltas },
    }),
    frame("message_stop", {}),
  );
  return events;
}
