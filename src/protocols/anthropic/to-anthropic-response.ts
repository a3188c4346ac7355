import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRResponse } from "../../ir/types.ts";
import { toAnthropicUsage } from "./convert-usage.ts";
import { toAnthropicStopReason } from "./map-stop-reason.ts";
import { parseToolInput } from "./to-anthropic-request.ts";
import { toAnthropicToolUseId } from "./tool-use-id.ts";

/** IR → Anthropic message JSON. Reasoning becomes thinking / redacted_thinking blocks. */
export function toAnthropicResponse(response: IRResponse, requestedModel: string): Record<string, unknown> {
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
  const stopReason = deriveStopReason(response.stopReason, toolCalls > 0);
  return {
    id: response.id.startsWith("msg_") ? response.id : `msg_${response.id || generateId("")}`,
    type: "message",
    role: "assistant",
    model: requestedModel,
    content,
    stop_reason: toAnthropicStopReason(stopReason),
    stop_sequence: stopReason === "stop_sequence" ? (response.stopSequence ?? null) : null,
    usage: toAnthropicUsage(response.usage),
  };
}
