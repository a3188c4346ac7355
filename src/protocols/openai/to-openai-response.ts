import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRReasoningPart, IRResponse } from "../../ir/types.ts";
import { toOpenAIUsage } from "./convert-usage.ts";
import { toOpenAIFinishReason, toOpenAINativeFinishReason } from "./map-finish-reason.ts";
import { toReasoningDetails } from "./reasoning-details.ts";
import { toOpenAIAnnotations } from "./to-openai-annotations.ts";
import { toToolCallExtraContent } from "./tool-call-signature.ts";

/**
 * IR → OpenAI chat.completion JSON. Text parts are joined, their citations become
 * `annotations`; reasoning text goes in `reasoning_content`, and every reasoning block with its
 * signature (or redacted payload) in `reasoning_details`, so the assistant message sent back
 * restores them. A Gemini call's thought signature also rides on the tool call
 * (`extra_content.google.thought_signature`). A refusal with no answer text is `message.refusal`.
 */
export function toOpenAIResponse(response: IRResponse, requestedModel: string): Record<string, unknown> {
  const text: string[] = [];
  let length = 0;
  const annotations: Record<string, unknown>[] = [];
  const reasoning: IRReasoningPart[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  for (const part of response.parts) {
    if (part.type === "text") {
      if (part.citations?.length)
        annotations.push(...toOpenAIAnnotations(part.citations, length, length + part.text.length));
      text.push(part.text);
      length += part.text.length;
    } else if (part.type === "reasoning") reasoning.push(part);
    else if (part.type === "tool_call") {
      const call: Record<string, unknown> = {
        id: part.id,
        type: "function",
        function: { name: part.name, arguments: part.arguments },
      };
      const extra = toToolCallExtraContent(part.signature);
      if (extra) call.extra_content = extra;
      toolCalls.push(call);
    }
  }
  const content = text.length > 0 ? text.join("") : null;
  const message: Record<string, unknown> = {
    role: "assistant",
    content,
    refusal: response.refusal && !content ? response.refusal : null,
  };
  if (annotations.length > 0) message.annotations = annotations;
  const reasoningText = reasoning.filter((p) => !p.redacted && p.text.length > 0).map((p) => p.text);
  if (reasoningText.length > 0) message.reasoning_content = reasoningText.join("\n\n");
  if (reasoning.some((p) => p.signature !== undefined || p.redacted))
    message.reasoning_details = toReasoningDetails(reasoning);
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const stopReason = deriveStopReason(response.stopReason, toolCalls.length > 0);
  const choice: Record<string, unknown> = {
    index: 0,
    message,
    logprobs: null,
    finish_reason: toOpenAIFinishReason(stopReason),
  };
  const native = toOpenAINativeFinishReason(stopReason);
  if (native) choice.native_finish_reason = native;
  const out: Record<string, unknown> = {
    id: response.id,
    object: "chat.completion",
    created: response.created ?? Math.floor(Date.now() / 1000),
    model: requestedModel,
    choices: [choice],
    usage: toOpenAIUsage(response.usage),
  };
  if (response.systemFingerprint) out.system_fingerprint = response.systemFingerprint;
  return out;
}
