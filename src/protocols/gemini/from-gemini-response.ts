import { GatewayError } from "../../errors/gateway-error.ts";
import { generateId } from "../../ir/ids.ts";
import type { IRResponse } from "../../ir/types.ts";
import { convertGeminiUsage } from "./convert-usage.ts";
import { fromGeminiParts, generateToolCallId } from "./from-gemini-parts.ts";
import type { GeminiResponse } from "./gemini-api.ts";
import { mapGeminiFinishReason } from "./map-finish-reason.ts";
import { readGeminiError, readGeminiResponse } from "./read-gemini-json.ts";

function badUpstream(message: string): GatewayError {
  return new GatewayError({ kind: "api_error", status: 502, message });
}

/** Why Gemini withheld output, as the refusal text clients see. */
export function describeGeminiBlock(response: GeminiResponse): string | undefined {
  const feedback = response.promptFeedback;
  if (feedback?.blockReason) {
    return feedback.blockReasonMessage ?? `The prompt was blocked by Gemini (${feedback.blockReason}).`;
  }
  const candidate = response.candidates?.[0];
  if (candidate?.finishReason) {
    return candidate.finishMessage ?? `The response was stopped by Gemini (${candidate.finishReason}).`;
  }
  return undefined;
}

export function parseCreateTime(createTime: string | undefined): number {
  const ms = createTime ? Date.parse(createTime) : Number.NaN;
  return Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000);
}

/** Gemini generateContent JSON → IR response (first candidate only: IR carries one choice). */
export function fromGeminiResponse(json: unknown, nextId: () => string = generateToolCallId): IRResponse {
  const error = readGeminiError(json);
  if (error)
    throw badUpstream(`Gemini error${error.status ? ` ${error.status}` : ""}: ${error.message ?? "unknown"}`);
  const response = readGeminiResponse(json);
  if (!response) throw badUpstream("Gemini returned a body that is not a JSON object");

  const candidate = response.candidates?.[0];
  const parts = fromGeminiParts(candidate?.content?.parts ?? [], nextId);
  const hasToolCalls = parts.some((p) => p.type === "tool_call");
  const blocked = !candidate && response.promptFeedback?.blockReason !== undefined;
  const stopReason = blocked ? "refusal" : mapGeminiFinishReason(candidate?.finishReason, hasToolCalls);

  const result: IRResponse = {
    id: response.responseId ?? generateId("gen-"),
    model: response.modelVersion ?? "",
    parts,
    stopReason,
    usage: convertGeminiUsage(response.usageMetadata),
    created: parseCreateTime(response.createTime),
  };
  if (stopReason === "refusal" && !parts.some((p) => p.type === "text")) {
    const refusal = describeGeminiBlock(response);
    if (refusal) result.refusal = refusal;
  }
  if (stopReason === "end_turn" && candidate?.finishReason === "STOP") result.stopSequenceUnknown = true;
  return result;
}
