import { GatewayError } from "../../errors/gateway-error.ts";
import { asArray, asNumber, asRecord, asString, isRecord } from "../../ir/guards.ts";
import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRPart, IRResponse } from "../../ir/types.ts";
import { findOpenAIUsage, fromOpenAIUsage } from "./convert-usage.ts";
import { fromOpenAIFinishReason, readMatchedStop } from "./map-finish-reason.ts";
import { fromReasoningDetails } from "./reasoning-details.ts";

/**
 * OpenAI chat.completion JSON → IR (first choice). Reasoning from `reasoning_content`
 * (DeepSeek, xAI, Kimi, vLLM) or `reasoning` (OpenRouter, Groq); `reasoning_details`, when
 * present, is preferred because it keeps signatures. A refusal becomes text with stop reason
 * refusal.
 */
export function fromOpenAIResponse(json: unknown): IRResponse {
  const body = asRecord(json);
  const choice = asRecord(asArray(body?.choices)[0]);
  if (!body || !choice) throw upstreamShapeError("OpenAI response has no choices");
  const message = asRecord(choice.message) ?? {};
  const parts: IRPart[] = [];
  const stashed = fromReasoningDetails(message);
  if (stashed && stashed.length > 0) parts.push(...stashed);
  else {
    const reasoning = asString(message.reasoning_content) ?? asString(message.reasoning);
    if (reasoning) parts.push({ type: "reasoning", text: reasoning });
  }
  const content = message.content;
  if (typeof content === "string" && content.length > 0) parts.push({ type: "text", text: content });
  else if (Array.isArray(content))
    for (const part of content)
      if (isRecord(part) && typeof part.text === "string") parts.push({ type: "text", text: part.text });
  const refusal = asString(message.refusal);
  if (refusal) parts.push({ type: "text", text: refusal });
  let toolCalls = 0;
  for (const call of asArray(message.tool_calls)) {
    if (!isRecord(call)) continue;
    const fn = asRecord(call.function) ?? {};
    const args = asString(fn.arguments) ?? (isRecord(fn.arguments) ? JSON.stringify(fn.arguments) : "");
    parts.push({
      type: "tool_call",
      id: asString(call.id) || generateId("call_"),
      name: asString(fn.name) ?? "",
      arguments: args.trim() === "" ? "{}" : args,
    });
    toolCalls++;
  }
  const matchedStop = readMatchedStop(choice);
  const reported = refusal
    ? "refusal"
    : matchedStop
      ? "stop_sequence"
      : fromOpenAIFinishReason(choice.finish_reason);
  const response: IRResponse = {
    id: asString(body.id) || generateId("chatcmpl-"),
    model: asString(body.model) ?? "",
    parts,
    stopReason: deriveStopReason(reported, toolCalls > 0),
    usage: fromOpenAIUsage(findOpenAIUsage(body)) ?? { inputTokens: 0, outputTokens: 0 },
  };
  if (matchedStop && response.stopReason === "stop_sequence") response.stopSequence = matchedStop;
  const created = asNumber(body.created);
  if (created !== undefined) response.created = created;
  const fingerprint = asString(body.system_fingerprint);
  if (fingerprint) response.systemFingerprint = fingerprint;
  const tier = asString(body.service_tier);
  if (tier) response.serviceTier = tier;
  if (refusal) response.refusal = refusal;
  return response;
}

export function upstreamShapeError(message: string): GatewayError {
  return new GatewayError({
    kind: "api_error",
    status: 502,
    message: `Upstream response not understood: ${message}`,
  });
}
