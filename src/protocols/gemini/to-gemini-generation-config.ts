import type { EncodeContext } from "../../ir/codec.ts";
import { rejectField } from "../../ir/drop-policy.ts";
import { noteBudgetSent, noteEffortSent } from "../../ir/reasoning-levels.ts";
import type { IRRequest } from "../../ir/types.ts";
import type { GeminiGenerationConfig } from "./gemini-api.ts";
import { toGeminiJsonSchema } from "./to-gemini-json-schema.ts";
import { toGeminiThinkingConfig } from "./to-gemini-thinking-config.ts";

/** Sampling, length, stop, structured output and thinking → generationConfig (undefined if empty). */
export function toGeminiGenerationConfig(
  request: IRRequest,
  context: EncodeContext,
): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  if (request.stop && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  if (request.n !== undefined && request.n > 1) {
    // Gemini's candidateCount could, but IR responses carry one choice: n > 1 would silently lose answers.
    rejectField(context, "n", "only one choice per request is supported when translating");
  }

  const format = request.responseFormat;
  if (format?.type === "json_object") config.responseMimeType = "application/json";
  if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    config.responseJsonSchema = toGeminiJsonSchema(format.schema);
  }

  const thinking = toGeminiThinkingConfig(request.model, request.reasoning);
  if (thinking) config.thinkingConfig = thinking;
  // Gemini's own levels and budget limits: a level or budget other than the one asked for is named.
  noteEffortSent(context, request, thinking?.thinkingLevel);
  noteBudgetSent(context, request, thinking?.thinkingBudget);
  return Object.keys(config).length > 0 ? config : undefined;
}
