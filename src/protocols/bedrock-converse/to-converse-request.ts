import { invalidRequest } from "../../errors/gateway-error.ts";
import type { EncodeContext } from "../../ir/codec.ts";
import { dropField, dropUnknownFields } from "../../ir/drop-policy.ts";
import { isRecord } from "../../ir/guards.ts";
import type { IRMediaSource, IRMessage, IRPart, IRRequest } from "../../ir/types.ts";
import type {
  ConverseContentBlock,
  ConverseMessage,
  ConverseRequest,
  ConverseToolResultContent,
} from "./converse-api.ts";

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
  if (request.reasoning && !request.reasoning.disabled) dropField(context, "reasoning");
  if (request.n !== undefined && request.n > 1) dropField(context, "n");
  dropUnknownFields(request.unknown, context);
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
  const body: ConverseRequest = { messages: toMessages(request.messages, context) };
  if (request.system.length > 0) body.system = request.system.map((part) => ({ text: part.text }));
  const inference: NonNullable<ConverseRequest["inferenceConfig"]> = {};
  if (request.maxTokens !== undefined) inference.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) inference.temperature = request.temperature;
  if (request.topP !== undefined) inference.topP = request.topP;
  if (request.stop?.length) inference.stopSequences = request.stop;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  if (request.topK !== undefined) body.additionalModelRequestFields = { top_k: request.topK };
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
