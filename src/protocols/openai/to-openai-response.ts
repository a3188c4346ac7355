import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRReasoningPart, IRResponse } from "../../ir/types.ts";
import { toOpenAIUsage } from "./convert-usage.ts";
import { toOpenAIFinishReason } from "./map-finish-reason.ts";
import { toReasoningDetails } from "./reasoning-details.ts";

/**
 * IR → OpenAI chat.completion JSON. Text parts are joined; reasoning text goes in
 * `reasoning_content`, and every reasoning block with its signature (or redacted payload) in
 * `reasoning_details`, so the assistant message sent back restores them.
 */
export function toOpenAIResponse(response: IRResponse, requestedModel: string): Record<string, unknown> {
  const text: string[] = [];
  const reasoning: IRReasoningPart[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  for (const part of response.parts) {
    if (part.type === "text") text.push(part.text);
    else if (part.type === "reasoning") reasoning.push(part);
    else if (part.type === "tool_call")
      toolCalls.push({
        id: part.id,
        type: "function",
        function: { name: part.name, arguments: part.arguments },
      });
  }
  const message: Record<string, unknown> = {
    role: "assistant",
    content: text.length > 0 ? text.join("") : null,
    refusal: null,
  };
  const reasoningText = reasoning.filter((p) => !p.redacted && p.text.length > 0).map((p) => p.text);
  if (reasoningText.length > 0) message.reasoning_content = reasoningText.join("\n\n");
  if (reasoning.some((p) => p.signature !== undefined || p.redacted))
    message.reasoning_details = toReasoningDetails(reasoning);
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const stopReason = deriveStopReason(response.stopReason, toolCalls.length > 0);
  const out: Record<string, unknown> = {
    id: response.id,
    object: "chat.completion",
    created: response.created ?? Math.floor(Date.now() / 1000),
    model: requestedModel,
    choices: [{ index: 0, message, logprobs: null, finish_reason: toOpenAIFinishReason(stopReason) }],
    usage: toOpenAIUsage(response.usage),
  };
  if (response.systemFingerprint) out.system_fingerprint = response.systemFingerprint;
  return out;
}
