import type { RequestOrigin } from "../../ir/codec.ts";
import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRResponse } from "../../ir/types.ts";
import { toAnthropicUsage } from "./convert-usage.ts";
import { resolveStopSequence, toAnthropicStopReason } from "./map-stop-reason.ts";
import { parseToolInput } from "./to-anthropic-request.ts";
import { toAnthropicToolUseId } from "./tool-use-id.ts";

/**
 * IR → Anthropic message JSON. Reasoning becomes thinking / redacted_thinking blocks; a refusal
 * reason with no answer text (Gemini's finishMessage) becomes the text of the refusal.
 */
export function toAnthropicResponse(
  response: IRResponse,
  requestedModel: string,
  origin?: RequestOrigin,
): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  let toolCalls = 0;
  for (const part of response.parts) {
    if (part.type === "text") {
      if (part.text.length > 0) content.push({ type: "text", text: part.text });
    } else if (part.type === "reasoning") {
      if (part.redacted) content.push({ type: "redacted_thinking", data: part.data ?? "" });
      else content.push({ type: "thinking", thinking: part.text, signature: part.signature ?? "" });
    } else if (part.type === "tool_call") {
      toolCalls++;
      content.push({
        type: "tool_use",
        id: toAnthropicToolUseId(part.id),
        name: part.name,
        input: parseToolInput(part.arguments),
      });
    }
  }
  if (response.refusal && !content.some((block) => block.type === "text"))
    content.push({ type: "text", text: response.refusal });
  const stop = resolveStopSequence(
    deriveStopReason(response.stopReason, toolCalls > 0),
    response.stopSequence,
    response.stopSequenceUnknown === true,
    origin?.request.stop,
  );
  return {
    id: response.id.startsWith("msg_") ? response.id : `msg_${response.id || generateId("")}`,
    type: "message",
    role: "assistant",
    model: requestedModel,
    content,
    stop_reason: toAnthropicStopReason(stop.reason),
    stop_sequence: stop.sequence,
    usage: toAnthropicUsage(response.usage),
  };
}
