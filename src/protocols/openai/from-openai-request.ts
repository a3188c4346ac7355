import { invalidRequest } from "../../errors/gateway-error.ts";
import { fromMediaUrl } from "../../ir/data-url.ts";
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  isRecord,
  type JsonObject,
} from "../../ir/guards.ts";
import type {
  IRCacheControl,
  IRDocumentPart,
  IRImagePart,
  IRMessage,
  IRPart,
  IRReasoningConfig,
  IRReasoningEffort,
  IRRequest,
  IRResponseFormat,
  IRTextPart,
  IRTool,
  IRToolCallPart,
  IRToolChoice,
  IRToolResultPart,
} from "../../ir/types.ts";
import { readOpenAIRequestOptions } from "./read-request-options.ts";
import { fromReasoningDetails } from "./reasoning-details.ts";
import { readToolCallThoughtSignature } from "./tool-call-signature.ts";

/** Request fields this decoder turns into IR; every other field lands in IRRequest.unknown. */
const CONSUMED = new Set([
  "model",
  "messages",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "top_k",
  "stop",
  "seed",
  "frequency_penalty",
  "presence_penalty",
  "n",
  "reasoning_effort",
  "reasoning",
  "response_format",
  "stream",
  "stream_options",
  "user",
  "metadata",
  "prompt_cache_key",
  "prompt_cache_retention",
  "service_tier",
]);

const EFFORTS = new Set(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);

/** OpenAI Chat Completions request (schema-validated, gateway fields removed) → IR. */
export function fromOpenAIRequest(body: JsonObject): IRRequest {
  const { system, messages } = fromOpenAIMessages(asArray(body.messages));
  const request: IRRequest = {
    model: asString(body.model) ?? "",
    system,
    messages,
    stream: body.stream === true,
    unknown: {},
    sourceProtocol: "openai",
  };
  if (Array.isArray(body.tools)) request.tools = body.tools.map((tool, i) => fromOpenAITool(tool, i));
  if (body.tool_choice !== undefined) request.toolChoice = fromOpenAIToolChoice(body.tool_choice);
  const parallel = asBoolean(body.parallel_tool_calls);
  if (parallel !== undefined) request.parallelToolCalls = parallel;
  const maxTokens = asNumber(body.max_completion_tokens) ?? asNumber(body.max_tokens);
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  setNumber(request, "temperature", body.temperature);
  setNumber(request, "topP", body.top_p);
  setNumber(request, "topK", body.top_k);
  setNumber(request, "seed", body.seed);
  setNumber(request, "frequencyPenalty", body.frequency_penalty);
  setNumber(request, "presencePenalty", body.presence_penalty);
  const n = asNumber(body.n);
  if (n !== undefined && n !== 1) request.n = n;
  if (typeof body.stop === "string") request.stop = [body.stop];
  else if (Array.isArray(body.stop))
    request.stop = body.stop.filter((s): s is string => typeof s === "string");
  const reasoning = fromOpenAIReasoning(body);
  if (reasoning) request.reasoning = reasoning;
  const responseFormat = fromOpenAIResponseFormat(body.response_format);
  if (responseFormat) request.responseFormat = responseFormat;
  const includeUsage = asBoolean(asRecord(body.stream_options)?.include_usage);
  if (includeUsage !== undefined) request.includeUsage = includeUsage;
  const user = asString(body.user);
  if (user !== undefined) request.user = user;
  readOpenAIRequestOptions(body, request);
  for (const [key, value] of Object.entries(body)) {
    if (!CONSUMED.has(key) && value !== undefined) request.unknown[key] = value;
  }
  return request;
}

type NumberField = "temperature" | "topP" | "topK" | "seed" | "frequencyPenalty" | "presencePenalty";

function setNumber(request: IRRequest, field: NumberField, value: unknown): void {
  const n = asNumber(value);
  if (n !== undefined) request[field] = n;
}

/**
 * System and developer messages become the IR system prompt, wherever they stand: a system
 * message in mid-conversation is hoisted (Anthropic and Gemini take one system prompt).
 * Consecutive tool messages become one user message of tool_result parts.
 */
export function fromOpenAIMessages(input: unknown[]): { system: IRTextPart[]; messages: IRMessage[] } {
  const system: IRTextPart[] = [];
  const messages: IRMessage[] = [];
  const toolNames = new Map<string, string>();
  input.forEach((raw, i) => {
    const path = `messages[${i}]`;
    if (!isRecord(raw)) throw invalidRequest(`${path} must be an object`, path);
    switch (raw.role) {
      case "system":
      case "developer":
        system.push(...fromTextOnlyContent(raw.content, `${path}.content`));
        return;
      case "user": {
        const message: IRMessage = { role: "user", parts: fromUserContent(raw.content, `${path}.content`) };
        const name = asString(raw.name);
        if (name) message.name = name;
        messages.push(message);
        return;
      }
      case "assistant": {
        const message = fromAssistantMessage(raw, path);
        for (const part of message.parts) if (part.type === "tool_call") toolNames.set(part.id, part.name);
        messages.push(message);
        return;
      }
      case "tool": {
        const result = fromToolMessage(raw, path, toolNames);
        const last = messages[messages.length - 1];
        if (
          last?.role === "user" &&
          last.parts.length > 0 &&
          last.parts.every((p) => p.type === "tool_result")
        ) {
          last.parts.push(result);
        } else {
          messages.push({ role: "user", parts: [result] });
        }
        return;
      }
      case "function":
        throw invalidRequest(
          `${path}: role 'function' is deprecated and not translated; use role 'tool'`,
          `${path}.role`,
        );
      default:
        throw invalidRequest(`${path}.role '${String(raw.role)}' is not a known role`, `${path}.role`);
    }
  });
  return { system, messages };
}

function fromCacheControl(part: JsonObject): IRCacheControl | undefined {
  const cc = asRecord(part.cache_control);
  if (cc?.type !== "ephemeral") return undefined;
  const ttl = asString(cc.ttl);
  return ttl ? { type: "ephemeral", ttl } : { type: "ephemeral" };
}

function textPart(text: string, source?: JsonObject): IRTextPart {
  const part: IRTextPart = { type: "text", text };
  const cacheControl = source && fromCacheControl(source);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

function fromTextOnlyContent(content: unknown, path: string): IRTextPart[] {
  if (typeof content === "string") return [textPart(content)];
  if (content === null || content === undefined) return [];
  return asArray(content).map((part, i) => {
    if (isRecord(part) && part.type === "text" && typeof part.text === "string")
      return textPart(part.text, part);
    throw invalidRequest(`${path}[${i}] must be a text part`, `${path}[${i}]`);
  });
}

function fromUserContent(content: unknown, path: string): IRPart[] {
  if (typeof content === "string") return [textPart(content)];
  if (content === null || content === undefined) return [];
  return asArray(content).map((part, i) => fromUserPart(part, `${path}[${i}]`));
}

function fromUserPart(part: unknown, path: string): IRTextPart | IRImagePart | IRDocumentPart {
  if (!isRecord(part)) throw invalidRequest(`${path} must be an object`, path);
  switch (part.type) {
    case "text":
      return textPart(asString(part.text) ?? "", part);
    case "image_url": {
      const image = asRecord(part.image_url);
      const url = asString(image?.url);
      if (!url) throw invalidRequest(`${path}.image_url.url is required`, `${path}.image_url.url`);
      const ir: IRImagePart = { type: "image", source: fromMediaUrl(url) };
      const detail = asString(image?.detail);
      if (detail) ir.detail = detail;
      const cacheControl = fromCacheControl(part);
      if (cacheControl) ir.cacheControl = cacheControl;
      return ir;
    }
    case "file": {
      const file = asRecord(part.file) ?? {};
      const data = asString(file.file_data);
      const fileId = asString(file.file_id);
      let document: IRDocumentPart;
      if (data) {
        const source = fromMediaUrl(data.startsWith("data:") ? data : `data:application/pdf;base64,${data}`);
        document = { type: "document", source };
      } else if (fileId) {
        document = { type: "document", source: { kind: "file_id", fileId } };
      } else {
        throw invalidRequest(`${path}.file needs file_data or file_id`, `${path}.file`);
      }
      const filename = asString(file.filename);
      if (filename) document.filename = filename;
      const cacheControl = fromCacheControl(part);
      if (cacheControl) document.cacheControl = cacheControl;
      return document;
    }
    case "input_audio":
      throw invalidRequest(
        `${path}: audio input cannot be translated to another protocol`,
        path,
        "unsupported_parameter",
      );
    default:
      throw invalidRequest(
        `${path}.type '${String(part.type)}' is not a known content part type`,
        `${path}.type`,
      );
  }
}

function fromAssistantMessage(raw: JsonObject, path: string): IRMessage {
  const parts: IRPart[] = [];
  // Reasoning first: it came first in the turn the client received.
  const stashed = fromReasoningDetails(raw);
  if (stashed) parts.push(...stashed);
  else {
    const text = asString(raw.reasoning_content) ?? asString(raw.reasoning);
    if (text) parts.push({ type: "reasoning", text });
  }
  if (typeof raw.content === "string") {
    if (raw.content.length > 0) parts.push(textPart(raw.content));
  } else if (Array.isArray(raw.content)) {
    raw.content.forEach((part, i) => {
      if (!isRecord(part)) return;
      if (part.type === "text") parts.push(textPart(asString(part.text) ?? "", part));
      else if (part.type === "refusal") parts.push(textPart(asString(part.refusal) ?? ""));
      else
        throw invalidRequest(
          `${path}.content[${i}]: assistant content must be text`,
          `${path}.content[${i}]`,
        );
    });
  }
  const refusal = asString(raw.refusal);
  if (refusal && !parts.some((p) => p.type === "text")) parts.push(textPart(refusal));
  asArray(raw.tool_calls).forEach((call, i) => {
    const callPath = `${path}.tool_calls[${i}]`;
    if (!isRecord(call)) throw invalidRequest(`${callPath} must be an object`, callPath);
    if (call.type !== undefined && call.type !== "function")
      throw invalidRequest(`${callPath}.type '${String(call.type)}' is not translated`, `${callPath}.type`);
    const fn = asRecord(call.function) ?? {};
    const id = asString(call.id);
    const name = asString(fn.name);
    if (!id || !name) throw invalidRequest(`${callPath} needs id and function.name`, callPath);
    const args = asString(fn.arguments);
    const part: IRToolCallPart = {
      type: "tool_call",
      id,
      name,
      arguments: args && args.trim() !== "" ? args : "{}",
    };
    const signature = readToolCallThoughtSignature(call);
    if (signature) part.signature = signature;
    parts.push(part);
  });
  if (raw.function_call !== undefined && raw.function_call !== null)
    throw invalidRequest(
      `${path}.function_call is deprecated and not translated; use tool_calls`,
      `${path}.function_call`,
    );
  const message: IRMessage = { role: "assistant", parts };
  const name = asString(raw.name);
  if (name) message.name = name;
  return message;
}

function fromToolMessage(raw: JsonObject, path: string, toolNames: Map<string, string>): IRToolResultPart {
  const toolCallId = asString(raw.tool_call_id);
  if (!toolCallId) throw invalidRequest(`${path}.tool_call_id is required`, `${path}.tool_call_id`);
  const content: IRToolResultPart["content"] = [];
  if (typeof raw.content === "string") content.push(textPart(raw.content));
  else
    asArray(raw.content).forEach((part, i) => {
      content.push(fromUserPart(part, `${path}.content[${i}]`));
    });
  const result: IRToolResultPart = { type: "tool_result", toolCallId, content };
  const name = toolNames.get(toolCallId);
  if (name) result.name = name;
  // OpenAI has no is_error; accepted here as an extension so Anthropic-aware clients can send it.
  if (raw.is_error === true) result.isError = true;
  return result;
}

function fromOpenAITool(tool: unknown, i: number): IRTool {
  const path = `tools[${i}]`;
  if (!isRecord(tool) || tool.type !== "function")
    throw invalidRequest(
      `${path}: only function tools can be translated (got '${isRecord(tool) ? String(tool.type) : typeof tool}')`,
      `${path}.type`,
      "unsupported_parameter",
    );
  const fn = asRecord(tool.function);
  const name = asString(fn?.name);
  if (!fn || !name) throw invalidRequest(`${path}.function.name is required`, `${path}.function.name`);
  const ir: IRTool = { name, parameters: asRecord(fn.parameters) ?? { type: "object", properties: {} } };
  const description = asString(fn.description);
  if (description !== undefined) ir.description = description;
  const strict = asBoolean(fn.strict);
  if (strict !== undefined) ir.strict = strict;
  const cacheControl = fromCacheControl(tool);
  if (cacheControl) ir.cacheControl = cacheControl;
  return ir;
}

export function fromOpenAIToolChoice(choice: unknown): IRToolChoice {
  if (choice === "auto") return { type: "auto" };
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "required" };
  if (isRecord(choice) && choice.type === "function") {
    const name = asString(asRecord(choice.function)?.name);
    if (name) return { type: "tool", name };
  }
  throw invalidRequest(
    "tool_choice: only auto, none, required and a named function can be translated",
    "tool_choice",
  );
}

/** `reasoning_effort`, or OpenRouter-style `reasoning: {effort, max_tokens, enabled}`. */
function fromOpenAIReasoning(body: JsonObject): IRReasoningConfig | undefined {
  const effort = asString(body.reasoning_effort) ?? asString(asRecord(body.reasoning)?.effort);
  const reasoning = asRecord(body.reasoning);
  const config: IRReasoningConfig = {};
  if (effort !== undefined) {
    if (!EFFORTS.has(effort))
      throw invalidRequest(`reasoning_effort '${effort}' is not a known effort`, "reasoning_effort");
    if (effort === "none") config.disabled = true;
    config.effort = effort as IRReasoningEffort;
  }
  const budget = asNumber(reasoning?.max_tokens);
  if (budget !== undefined) config.budgetTokens = budget;
  if (reasoning?.enabled === false) config.disabled = true;
  return Object.keys(config).length > 0 ? config : undefined;
}

function fromOpenAIResponseFormat(format: unknown): IRResponseFormat | undefined {
  if (!isRecord(format)) return undefined;
  if (format.type === "text") return { type: "text" };
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    const spec = asRecord(format.json_schema) ?? {};
    const out: IRResponseFormat = { type: "json_schema", schema: asRecord(spec.schema) ?? {} };
    const name = asString(spec.name);
    if (name) out.name = name;
    const strict = asBoolean(spec.strict);
    if (strict !== undefined) out.strict = strict;
    const description = asString(spec.description);
    if (description) out.description = description;
    return out;
  }
  throw invalidRequest(`response_format.type '${String(format.type)}' is not known`, "response_format.type");
}
