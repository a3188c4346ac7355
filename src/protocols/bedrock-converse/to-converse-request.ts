import { invalidRequest } from "../../errors/gateway-error.ts";
import type { EncodeContext } from "../../ir/codec.ts";
import { adjustField, dropField, dropUnknownFields } from "../../ir/drop-policy.ts";
import { isRecord } from "../../ir/guards.ts";
import { clientFieldOf, noteBudgetSent, noteEffortSent } from "../../ir/reasoning-levels.ts";
import type { IRMediaSource, IRMessage, IRPart, IRRequest } from "../../ir/types.ts";
import { toolLoopLacksThinking } from "../anthropic/to-anthropic-request.ts";
import type {
  ConverseContentBlock,
  ConverseMessage,
  ConverseRequest,
  ConverseToolResultContent,
} from "./converse-api.ts";
import {
  type ConverseReasoning,
  converseReasoningFamilyOf,
  toConverseReasoning,
} from "./to-converse-reasoning.ts";

/** Fields with no Converse equivalent whose loss cannot change the answer. */
function noteDroppedFields(request: IRRequest, context: EncodeContext): void {
  if (request.parallelToolCalls === false) dropField(context, "parallel_tool_calls");
  if (request.user !== undefined) dropField(context, "user");
  if (request.metadata !== undefined) dropField(context, "metadata");
  if (request.seed !== undefined) dropField(context, "seed");
  if (request.frequencyPenalty !== undefined) dropField(context, "frequency_penalty");
  if (request.presencePenalty !== undefined) dropField(context, "presence_penalty");
  if (request.promptCacheKey !== undefined) dropField(context, "prompt_cache_key");
  if (request.serviceTier !== undefined) dropField(context, "service_tier");
  if (request.responseFormat && request.responseFormat.type !== "text") dropField(context, "response_format");
  if (request.n !== undefined && request.n > 1) dropField(context, "n");
  dropUnknownFields(request.unknown, context);
}

/**
 * The reasoning setting in the form the model's family reads (to-converse-reasoning.ts); a family
 * the gateway does not know drops it. The adjustments made to fit it are named.
 */
function planReasoning(request: IRRequest, context: EncodeContext): ConverseReasoning | undefined {
  if (!request.reasoning || request.reasoning.disabled) return undefined;
  const family = converseReasoningFamilyOf(request.model);
  if (!family) {
    dropField(context, "reasoning");
    return undefined;
  }
  const plan = toConverseReasoning(family, request.model, request.reasoning, request.maxTokens);
  if (!plan) return undefined;
  // Claude refuses thinking with a forced tool choice, and in a tool loop whose last assistant turn
  // does not start with signed thinking: dropped and named, as the Anthropic encoder does.
  const forcedTool =
    Boolean(request.tools?.length) &&
    (request.toolChoice?.type === "required" || request.toolChoice?.type === "tool");
  if (family === "claude" && (forcedTool || toolLoopLacksThinking(request.messages))) {
    dropField(context, "reasoning");
    return undefined;
  }
  noteEffortSent(context, request, plan.effort);
  noteBudgetSent(context, request, plan.budget);
  if (plan.maxTokens !== undefined && request.maxTokens !== undefined && plan.maxTokens !== request.maxTokens)
    adjustField(context, clientFieldOf(request, "maxTokens"), request.maxTokens, plan.maxTokens);
  return plan;
}

/** `image/png` → `png`; Converse names formats, not media types. */
const formatOf = (mediaType: string): string => mediaType.replace(/^[^/]+\//, "").replace(/^jpg$/, "jpeg");

function base64Of(source: IRMediaSource, param: string): { format: string; bytes: string } {
  if (source.kind !== "base64")
    throw invalidRequest(
      "Bedrock Converse takes images and documents as base64 data only, not URLs or file ids",
      param,
    );
  return { format: formatOf(source.mediaType), bytes: source.data };
}

function parseInput(text: string, id: string, param: string): unknown {
  if (text.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw invalidRequest(`tool call '${id}' arguments must be a JSON object`, param);
}

function toBlock(part: IRPart, param: string, context: EncodeContext): ConverseContentBlock | undefined {
  switch (part.type) {
    case "text":
      return part.text === "" ? undefined : { text: part.text };
    case "image": {
      const { format, bytes } = base64Of(part.source, param);
      return { image: { format, source: { bytes } } };
    }
    case "document": {
      if (part.source.kind === "text")
        return {
          document: { format: "txt", name: part.title ?? "document", source: { text: part.source.text } },
        };
      const { format, bytes } = base64Of(part.source, param);
      return { document: { format, name: part.title ?? part.filename ?? "document", source: { bytes } } };
    }
    case "reasoning":
      if (part.redacted && part.data) return { reasoningContent: { redactedContent: part.data } };
      if (!part.signature) {
        dropField(context, "reasoning");
        return undefined;
      }
      return { reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } };
    case "tool_call":
      return {
        toolUse: { toolUseId: part.id, name: part.name, input: parseInput(part.arguments, part.id, param) },
      };
    case "tool_result": {
      const content = part.content.flatMap((inner): ConverseToolResultContent[] => {
        if (inner.type === "text") return [{ text: inner.text }];
        if (inner.type === "image") {
          const { format, bytes } = base64Of(inner.source, param);
          return [{ image: { format, source: { bytes } } }];
        }
        dropField(context, "tool_result.document");
        return [];
      });
      return {
        toolResult: {
          toolUseId: part.toolCallId,
          content: content.length > 0 ? content : [{ text: "" }],
          ...(part.isError ? { status: "error" as const } : {}),
        },
      };
    }
    default: {
      const unknownPart: never = part;
      throw new Error(`no Converse block for ${String(unknownPart)}`);
    }
  }
}

function toMessages(messages: IRMessage[], context: EncodeContext): ConverseMessage[] {
  const out: ConverseMessage[] = [];
  messages.forEach((message, i) => {
    const content = message.parts.flatMap((part) => {
      if ("cacheControl" in part && part.cacheControl) dropField(context, "cache_control");
      const block = toBlock(part, `messages[${i}]`, context);
      return block ? [block] : [];
    });
    if (content.length === 0) return;
    // Converse wants alternating roles: consecutive turns of one role are merged.
    const last = out.at(-1);
    if (last?.role === message.role) last.content.push(...content);
    else out.push({ role: message.role, content });
  });
  return out;
}

/** IR request → Converse body (the model goes in the path). */
export function toConverseRequest(request: IRRequest, context: EncodeContext): ConverseRequest {
  noteDroppedFields(request, context);
  const reasoning = planReasoning(request, context);
  // Claude's thinking takes only temperature 1, top_p ≥ 0.95 and no top_k (as on Anthropic's API).
  const thinking = reasoning?.fields.thinking !== undefined;
  const body: ConverseRequest = { messages: toMessages(request.messages, context) };
  if (request.system.length > 0) body.system = request.system.map((part) => ({ text: part.text }));
  const inference: NonNullable<ConverseRequest["inferenceConfig"]> = {};
  const maxTokens = reasoning?.maxTokens ?? request.maxTokens;
  if (maxTokens !== undefined) inference.maxTokens = maxTokens;
  if (request.temperature !== undefined) {
    if (thinking && request.temperature !== 1) dropField(context, "temperature");
    else inference.temperature = request.temperature;
  }
  if (request.topP !== undefined) {
    if (thinking && request.topP < 0.95) dropField(context, "top_p");
    else inference.topP = request.topP;
  }
  if (request.stop?.length) inference.stopSequences = request.stop;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  const additional: Record<string, unknown> = {};
  if (request.topK !== undefined) {
    if (thinking) dropField(context, "top_k");
    else additional.top_k = request.topK;
  }
  Object.assign(additional, reasoning?.fields);
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional;
  const tools = (request.tools ?? []).map((tool) => ({
    toolSpec: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: { json: tool.parameters },
    },
  }));
  if (tools.length > 0 && request.toolChoice?.type !== "none") {
    body.toolConfig = { tools };
    if (request.toolChoice?.type === "required") body.toolConfig.toolChoice = { any: {} };
    else if (request.toolChoice?.type === "tool")
      body.toolConfig.toolChoice = { tool: { name: request.toolChoice.name } };
  }
  return body;
}
