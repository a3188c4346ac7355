import type { EncodeContext } from "../../ir/codec.ts";
import { dropField, dropUnknownFields } from "../../ir/drop-policy.ts";
import type { IRRequest } from "../../ir/types.ts";
import type { GeminiRequest } from "./gemini-api.ts";
import { toGeminiContents } from "./to-gemini-contents.ts";
import { toGeminiGenerationConfig } from "./to-gemini-generation-config.ts";
import { toGeminiToolConfig, toGeminiTools } from "./to-gemini-tools.ts";

/** Client fields with no Gemini equivalent whose loss cannot change the answer. */
function noteDroppedFields(request: IRRequest, context: EncodeContext): void {
  if (request.parallelToolCalls === false) dropField(context, "parallel_tool_calls");
  if (request.user !== undefined) dropField(context, "user");
  if (request.metadata !== undefined) dropField(context, "metadata");
  if (request.promptCacheKey !== undefined) dropField(context, "prompt_cache_key");
  if (request.promptCacheRetention !== undefined) dropField(context, "prompt_cache_retention");
  if (request.serviceTier !== undefined) dropField(context, "service_tier");
  // Client-protocol fields with no IR meaning: answer-changing ones are a 400, the rest dropped.
  dropUnknownFields(request.unknown, context);
}

/** IR request → Gemini generateContent body (the model goes in the path, not the body). */
export function toGeminiRequest(request: IRRequest, context: EncodeContext): GeminiRequest {
  noteDroppedFields(request, context);
  const body: GeminiRequest = { contents: toGeminiContents(request.messages, request.model, context) };
  if (request.system.length > 0) {
    if (request.system.some((p) => p.cacheControl)) dropField(context, "cache_control");
    body.systemInstruction = { parts: request.system.map((p) => ({ text: p.text })) };
  }
  const tools = toGeminiTools(request.tools ?? [], context);
  if (tools) body.tools = tools;
  const toolConfig = toGeminiToolConfig(request.toolChoice);
  if (toolConfig) body.toolConfig = toolConfig;
  const generationConfig = toGeminiGenerationConfig(request, context);
  if (generationConfig) body.generationConfig = generationConfig;
  return body;
}
