/**
 * Client-side views of a translated stream, built the way an SDK accumulates it, with the
 * protocol's well-formedness rules checked on the way (throws on a violation).
 */
import type { ParsedEvent } from "../../../ir/translate-stream.ts";

type Json = Record<string, unknown>;

export interface AnthropicMessage {
  content: Json[];
  stopReason: unknown;
  usage: Json;
}

/**
 * Anthropic: message_start first, blocks opened at the next index and closed before the next one
 * opens, deltas only to the open block and of its kind, message_delta then message_stop last.
 */
export function assembleAnthropic(events: ParsedEvent[]): AnthropicMessage {
  const fail = (why: string): never => {
    throw new Error(`malformed Anthropic stream: ${why}`);
  };
  if (events[0]?.event !== "message_start") fail("does not open with message_start");
  if (events.at(-1)?.event !== "message_stop") fail("does not end with message_stop");
  const content: Json[] = [];
  let open: Json | undefined;
  let json = "";
  let result: Omit<AnthropicMessage, "content"> | undefined;
  for (const { event, data } of events.slice(1, -1)) {
    const d = data as Json;
    if (event === "content_block_start") {
      if (open) fail(`block ${content.length} opened while another is open`);
      if (d.index !== content.length) fail(`block index ${d.index}, expected ${content.length}`);
      open = { ...(d.content_block as Json) };
      json = "";
    } else if (event === "content_block_delta") {
      if (!open || d.index !== content.length) fail(`delta to block ${d.index}, which is not open`);
      const delta = d.delta as Json;
      const o = open as Json;
      if (delta.type === "text_delta" && o.type === "text") o.text = `${o.text}${delta.text}`;
      else if (delta.type === "thinking_delta" && o.type === "thinking")
        o.thinking = `${o.thinking}${delta.thinking}`;
      else if (delta.type === "signature_delta" && o.type === "thinking")
        o.signature = `${o.signature}${delta.signature}`;
      else if (delta.type === "input_json_delta" && o.type === "tool_use") json += delta.partial_json;
      else fail(`${delta.type} in a ${o.type} block`);
    } else if (event === "content_block_stop") {
      if (!open || d.index !== content.length) fail(`stop of block ${d.index}, which is not open`);
      const o = open as Json;
      if (o.type === "tool_use") o.input = json === "" ? {} : JSON.parse(json);
      content.push(o);
      open = undefined;
    } else if (event === "message_delta") {
      if (open) fail("message_delta with a block open");
      result = { stopReason: (d.delta as Json).stop_reason, usage: d.usage as Json };
    } else if (event !== "ping") fail(`unexpected event ${event}`);
  }
  if (!result) return fail("no message_delta");
  return { content, ...result };
}

export interface ChatMessage {
  content: string;
  reasoning: string;
  toolCalls: Array<{ id: unknown; name: unknown; arguments: string }>;
  reasoningDetails: unknown;
  finishReason: unknown;
  usage: unknown;
}

/** OpenAI Chat: role first, tool calls announced with id and name before their arguments, [DONE] last. */
export function assembleChat(events: ParsedEvent[]): ChatMessage {
  const fail = (why: string): never => {
    throw new Error(`malformed chat.completion.chunk stream: ${why}`);
  };
  if (events.at(-1)?.data !== "[DONE]") fail("does not end with [DONE]");
  const message: ChatMessage = {
    content: "",
    reasoning: "",
    toolCalls: [],
    reasoningDetails: undefined,
    finishReason: undefined,
    usage: undefined,
  };
  events.slice(0, -1).forEach(({ data }, i) => {
    const chunk = data as Json;
    if (chunk.object !== "chat.completion.chunk") fail(`chunk ${i} is ${String(chunk.object)}`);
    const choice = (chunk.choices as Json[])[0];
    if (!choice) {
      message.usage = chunk.usage;
      return;
    }
    const delta = choice.delta as Json;
    if (i === 0 && delta.role !== "assistant") fail("first chunk has no assistant role");
    if (typeof delta.content === "string") message.content += delta.content;
    if (typeof delta.reasoning_content === "string") message.reasoning += delta.reasoning_content;
    if (delta.reasoning_details) message.reasoningDetails = delta.reasoning_details;
    for (const call of (delta.tool_calls as Json[] | undefined) ?? []) {
      const fn = call.function as Json;
      const index = call.index as number;
      if (index === message.toolCalls.length) {
        if (!call.id || !fn.name) fail(`tool call ${index} starts without id or name`);
        message.toolCalls.push({ id: call.id, name: fn.name, arguments: "" });
      } else if (!message.toolCalls[index]) fail(`arguments for tool call ${index} before it started`);
      message.toolCalls[index]!.arguments += (fn.arguments as string) ?? "";
    }
    if (choice.finish_reason) message.finishReason = choice.finish_reason;
  });
  return message;
}
