import type { EncodeContext } from "../../ir/codec.ts";
import { toDataUrl } from "../../ir/data-url.ts";
import { dropField, dropUnknownFields, rejectField } from "../../ir/drop-policy.ts";
import { effortFromBudget } from "../../ir/reasoning-budget.ts";
import { noteEffortSent } from "../../ir/reasoning-levels.ts";
import type {
  IRDocumentPart,
  IRImagePart,
  IRMessage,
  IRPart,
  IRReasoningConfig,
  IRRequest,
  IRToolChoice,
  IRToolResultPart,
} from "../../ir/types.ts";

type Json = Record<string, unknown>;

/** IR → OpenAI Chat Completions request body (provider side). */
export function toOpenAIRequest(request: IRRequest, context: EncodeContext): Json {
  const body: Json = { model: request.model, messages: toOpenAIMessages(request, context) };
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      if (tool.cacheControl) dropField(context, "cache_control");
      const fn: Json = { name: tool.name };
      if (tool.description !== undefined) fn.description = tool.description;
      fn.parameters = tool.parameters;
      if (tool.strict !== undefined) fn.strict = tool.strict;
      return { type: "function", function: fn };
    });
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.toolChoice) body.tool_choice = toOpenAIToolChoice(request.toolChoice);
  if (request.maxTokens !== undefined) body[context.maxTokensField ?? "max_tokens"] = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  // OpenAI has no top_k (OpenAI itself rejects the parameter): dropped and listed.
  if (request.topK !== undefined) dropField(context, "top_k");
  if (request.stop && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.n !== undefined) body.n = request.n;
  const effort = toOpenAIReasoningEffort(request.reasoning);
  if (effort) body.reasoning_effort = effort;
  noteEffortSent(context, request, effort);
  if (request.responseFormat) {
    const format = request.responseFormat;
    if (format.type === "json_schema") {
      const spec: Json = { name: format.name ?? "response", schema: format.schema };
      if (format.description) spec.description = format.description;
      // Anthropic structured outputs are always enforced, so strict unless the client said otherwise.
      spec.strict = format.strict ?? true;
      body.response_format = { type: "json_schema", json_schema: spec };
    } else {
      body.response_format = { type: format.type };
    }
  }
  if (request.stream) {
    body.stream = true;
    // Always asked for: the Anthropic client needs output tokens in message_delta.
    body.stream_options = { include_usage: true };
  }
  if (request.user !== undefined) body.user = request.user;
  if (request.promptCacheKey !== undefined) body.prompt_cache_key = request.promptCacheKey;
  if (request.promptCacheRetention !== undefined) body.prompt_cache_retention = request.promptCacheRetention;
  if (request.serviceTier !== undefined) {
    // Anthropic's "auto" means the same on OpenAI; "standard_only" has no OpenAI equivalent.
    if (request.serviceTier === "auto") body.service_tier = "auto";
    else dropField(context, "service_tier");
  }
  if (request.metadata && request.sourceProtocol !== "openai") {
    // Anthropic metadata.user_id is OpenAI's `user`; OpenAI metadata needs store=true, so nothing else goes.
    const userId = request.metadata.user_id;
    if (typeof userId === "string" && body.user === undefined) body.user = userId;
    if (Object.keys(request.metadata).some((k) => k !== "user_id")) dropField(context, "metadata");
  } else if (request.metadata) {
    body.metadata = request.metadata;
  }
  if (request.sourceProtocol === "openai") Object.assign(body, request.unknown);
  else dropUnknownFields(request.unknown, context);
  return body;
}

/**
 * IR reasoning → reasoning_effort: an effort is passed as is (Anthropic's `max` becomes `xhigh`);
 * a budget maps through effortFromBudget; adaptive or disabled thinking sends nothing (the
 * model's default).
 */
export function toOpenAIReasoningEffort(reasoning: IRReasoningConfig | undefined): string | undefined {
  if (!reasoning || reasoning.disabled) return undefined;
  if (reasoning.effort && reasoning.effort !== "none")
    return reasoning.effort === "max" ? "xhigh" : reasoning.effort;
  if (reasoning.budgetTokens !== undefined && !reasoning.adaptive)
    return effortFromBudget(reasoning.budgetTokens);
  return undefined;
}

export function toOpenAIToolChoice(choice: IRToolChoice): unknown {
  switch (choice.type) {
    case "tool":
      return { type: "function", function: { name: choice.name } };
    default:
      return choice.type;
  }
}

function toOpenAIMessages(request: IRRequest, context: EncodeContext): Json[] {
  const out: Json[] = [];
  if (request.system.length > 0) {
    if (request.system.some((p) => p.cacheControl)) dropField(context, "cache_control");
    // One system message: several are not accepted by every OpenAI-compatible server's template.
    out.push({ role: "system", content: request.system.map((p) => p.text).join("\n\n") });
  }
  for (const message of request.messages) {
    if (message.role === "assistant") out.push(toAssistantMessage(message, context));
    else out.push(...toUserMessages(message, context));
  }
  return out;
}

function toAssistantMessage(message: IRMessage, context: EncodeContext): Json {
  const text: string[] = [];
  const toolCalls: Json[] = [];
  for (const part of message.parts) {
    if (part.type === "text") {
      if (part.cacheControl) dropField(context, "cache_control");
      text.push(part.text);
    } else if (part.type === "tool_call") {
      toolCalls.push({
        id: part.id,
        type: "function",
        function: { name: part.name, arguments: part.arguments },
      });
    }
    // Reasoning parts: Chat Completions has no input field for earlier reasoning; OpenAI models
    // do not take it back, so it is left out by design (documented), not listed as dropped.
  }
  // null content is only valid next to tool_calls.
  const content = text.length > 0 ? text.join("") : toolCalls.length > 0 ? null : "";
  const out: Json = { role: "assistant", content };
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  if (message.name) out.name = message.name;
  return out;
}

/**
 * A user turn: tool results first, each its own `tool` message (they must directly follow the
 * assistant's tool_calls), then the rest of the content as one user message. Images inside a
 * tool result, which a tool message cannot hold, follow in a user message that names the call.
 */
function toUserMessages(message: IRMessage, context: EncodeContext): Json[] {
  const out: Json[] = [];
  const toolImages: Json[] = [];
  const rest: IRPart[] = [];
  for (const part of message.parts) {
    if (part.type === "tool_result") {
      const { content, images } = toToolContent(part, context);
      out.push({ role: "tool", tool_call_id: part.toolCallId, content });
      if (images.length > 0) {
        toolImages.push(
          { type: "text", text: `Images returned by tool call ${part.toolCallId}:` },
          ...images,
        );
      }
    } else {
      rest.push(part);
    }
  }
  const parts = [...toolImages, ...rest.flatMap((p) => toUserPart(p, context))];
  if (parts.length > 0) {
    const onlyText = parts.length === 1 && parts[0]?.type === "text";
    const userMessage: Json = { role: "user", content: onlyText ? parts[0]?.text : parts };
    if (message.name) userMessage.name = message.name;
    out.push(userMessage);
  }
  return out;
}

function toToolContent(part: IRToolResultPart, context: EncodeContext): { content: string; images: Json[] } {
  if (part.cacheControl) dropField(context, "cache_control");
  const texts: string[] = [];
  const images: Json[] = [];
  for (const item of part.content) {
    if (item.type === "text") texts.push(item.text);
    else images.push(...toUserPart(item, context));
  }
  const text = texts.join("\n");
  // OpenAI tool messages have no is_error: the flag travels as a visible prefix the model reads.
  return { content: part.isError ? `Error: ${text}` : text, images };
}

function toUserPart(part: IRPart, context: EncodeContext): Json[] {
  if ("cacheControl" in part && part.cacheControl) dropField(context, "cache_control");
  switch (part.type) {
    case "text":
      return [{ type: "text", text: part.text }];
    case "image":
      return [toImagePart(part, context)];
    case "document":
      return [toFilePart(part, context)];
    default:
      return [];
  }
}

function toImagePart(part: IRImagePart, context: EncodeContext): Json {
  const source = part.source;
  if (source.kind === "file_id")
    rejectField(context, "image.source.file_id", "file ids of another provider cannot be used");
  const url = source.kind === "url" ? source.url : toDataUrl(source.mediaType, source.data);
  const image: Json = { url };
  if (part.detail) image.detail = part.detail;
  return { type: "image_url", image_url: image };
}

function toFilePart(part: IRDocumentPart, context: EncodeContext): Json {
  const source = part.source;
  switch (source.kind) {
    case "base64":
      return {
        type: "file",
        file: {
          filename: part.filename ?? part.title ?? "document.pdf",
          file_data: toDataUrl(source.mediaType, source.data),
        },
      };
    case "text":
      return { type: "text", text: part.title ? `${part.title}\n\n${source.text}` : source.text };
    case "url":
      return rejectField(context, "document.source.url", "OpenAI cannot fetch documents by URL");
    case "file_id":
      return rejectField(context, "document.source.file_id", "file ids of another provider cannot be used");
  }
}
