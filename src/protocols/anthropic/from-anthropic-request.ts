import { invalidRequest } from "../../errors/gateway-error.ts";
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
  IRMediaSource,
  IRMessage,
  IRPart,
  IRReasoningConfig,
  IRReasoningEffort,
  IRRequest,
  IRTextPart,
  IRTool,
  IRToolCallPart,
  IRToolChoice,
  IRToolResultPart,
} from "../../ir/types.ts";

const CONSUMED = new Set([
  "model",
  "messages",
  "system",
  "max_tokens",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "stream",
  "tools",
  "tool_choice",
  "thinking",
  "output_config",
  "output_format",
  "metadata",
  "service_tier",
]);

const EFFORTS = new Set(["low", "medium", "high", "xhigh", "max"]);

/** Anthropic Messages request (schema-validated, gateway fields removed) → IR. */
export function fromAnthropicRequest(body: JsonObject): IRRequest {
  const system = fromSystem(body.system);
  const messages: IRMessage[] = [];
  const toolNames = new Map<string, string>();
  asArray(body.messages).forEach((raw, i) => {
    const path = `messages[${i}]`;
    if (!isRecord(raw)) throw invalidRequest(`${path} must be an object`, path);
    if (raw.role === "system") {
      // Not valid Anthropic, but sent by some clients: hoisted into the system prompt.
      system.push(...fromSystem(raw.content));
      return;
    }
    if (raw.role !== "user" && raw.role !== "assistant")
      throw invalidRequest(`${path}.role '${String(raw.role)}' is not a known role`, `${path}.role`);
    const parts = fromContent(raw.content, `${path}.content`, raw.role, toolNames);
    messages.push({ role: raw.role, parts });
  });
  const request: IRRequest = {
    model: asString(body.model) ?? "",
    system,
    messages,
    stream: body.stream === true,
    unknown: {},
    sourceProtocol: "anthropic",
  };
  const maxTokens = asNumber(body.max_tokens);
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const temperature = asNumber(body.temperature);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = asNumber(body.top_p);
  if (topP !== undefined) request.topP = topP;
  const topK = asNumber(body.top_k);
  if (topK !== undefined) request.topK = topK;
  if (Array.isArray(body.stop_sequences))
    request.stop = body.stop_sequences.filter((s): s is string => typeof s === "string");
  if (Array.isArray(body.tools)) request.tools = body.tools.map((tool, i) => fromTool(tool, i));
  const choice = asRecord(body.tool_choice);
  if (choice) {
    request.toolChoice = fromToolChoice(choice);
    const disable = asBoolean(choice.disable_parallel_tool_use);
    if (disable !== undefined) request.parallelToolCalls = !disable;
  }
  const reasoning = fromReasoning(body);
  if (reasoning) request.reasoning = reasoning;
  // `output_format` is the structured-outputs beta's name; output_config.format wins when both are given.
  const configFormat = asRecord(asRecord(body.output_config)?.format);
  const format = configFormat ?? asRecord(body.output_format);
  if (format) {
    const field = configFormat ? "output_config.format" : "output_format";
    if (format.type !== "json_schema")
      throw invalidRequest(`${field}.type '${String(format.type)}' is not known`, `${field}.type`);
    request.responseFormat = { type: "json_schema", schema: asRecord(format.schema) ?? {}, strict: true };
  }
  const metadata = asRecord(body.metadata);
  if (metadata) request.metadata = metadata;
  const userId = asString(metadata?.user_id);
  if (userId) request.user = userId;
  const tier = asString(body.service_tier);
  if (tier) request.serviceTier = tier;
  for (const [key, value] of Object.entries(body)) {
    if (!CONSUMED.has(key) && value !== undefined) request.unknown[key] = value;
  }
  return request;
}

function fromCacheControl(block: JsonObject): IRCacheControl | undefined {
  const cc = asRecord(block.cache_control);
  if (cc?.type !== "ephemeral") return undefined;
  const ttl = asString(cc.ttl);
  return ttl ? { type: "ephemeral", ttl } : { type: "ephemeral" };
}

function withCache<T extends { cacheControl?: IRCacheControl }>(part: T, block: JsonObject): T {
  const cacheControl = fromCacheControl(block);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

function fromSystem(system: unknown): IRTextPart[] {
  if (typeof system === "string") return system.length > 0 ? [{ type: "text", text: system }] : [];
  return asArray(system).flatMap((block, i) => {
    if (!isRecord(block) || block.type !== "text")
      throw invalidRequest(`system[${i}] must be a text block`, `system[${i}]`);
    return [withCache<IRTextPart>({ type: "text", text: asString(block.text) ?? "" }, block)];
  });
}

function fromContent(
  content: unknown,
  path: string,
  role: "user" | "assistant",
  toolNames: Map<string, string>,
): IRPart[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return asArray(content).map((block, i) => fromBlock(block, `${path}[${i}]`, role, toolNames));
}

function fromBlock(
  block: unknown,
  path: string,
  role: "user" | "assistant",
  toolNames: Map<string, string>,
): IRPart {
  if (!isRecord(block)) throw invalidRequest(`${path} must be an object`, path);
  switch (block.type) {
    case "text": {
      const part: IRTextPart = { type: "text", text: asString(block.text) ?? "" };
      if (block.citations !== undefined && block.citations !== null)
        part.extra = { citations: block.citations };
      return withCache(part, block);
    }
    case "image":
      return withCache<IRImagePart>(
        { type: "image", source: fromSource(block.source, `${path}.source`) },
        block,
      );
    case "document":
      return fromDocument(block, path);
    case "thinking": {
      const part: IRPart = { type: "reasoning", text: asString(block.thinking) ?? "" };
      const signature = asString(block.signature);
      if (signature) part.signature = signature;
      return part;
    }
    case "redacted_thinking":
      return { type: "reasoning", text: "", redacted: true, data: asString(block.data) ?? "" };
    case "tool_use": {
      const id = asString(block.id) ?? "";
      const name = asString(block.name) ?? "";
      toolNames.set(id, name);
      const input = block.input ?? {};
      return withCache<IRToolCallPart>(
        { type: "tool_call", id, name, arguments: JSON.stringify(input) },
        block,
      );
    }
    case "tool_result": {
      if (role !== "user") throw invalidRequest(`${path}: tool_result blocks belong in user turns`, path);
      return fromToolResult(block, path, toolNames);
    }
    default:
      throw invalidRequest(
        `${path}.type '${String(block.type)}' cannot be translated to another provider's protocol`,
        `${path}.type`,
        "unsupported_parameter",
      );
  }
}

function fromSource(source: unknown, path: string): IRMediaSource {
  const s = asRecord(source);
  switch (s?.type) {
    case "base64":
      return {
        kind: "base64",
        mediaType: asString(s.media_type) ?? "application/octet-stream",
        data: asString(s.data) ?? "",
      };
    case "url":
      return { kind: "url", url: asString(s.url) ?? "" };
    case "file":
      return { kind: "file_id", fileId: asString(s.file_id) ?? "" };
    default:
      throw invalidRequest(`${path}.type '${String(s?.type)}' is not a known source type`, `${path}.type`);
  }
}

function fromDocument(block: JsonObject, path: string): IRDocumentPart {
  const source = asRecord(block.source);
  let part: IRDocumentPart;
  if (source?.type === "text") {
    part = {
      type: "document",
      source: {
        kind: "text",
        text: asString(source.data) ?? "",
        mediaType: asString(source.media_type) ?? "text/plain",
      },
    };
  } else if (source?.type === "content") {
    const text = asArray(source.content)
      .map((b) => (isRecord(b) && b.type === "text" ? (asString(b.text) ?? "") : ""))
      .join("\n");
    part = { type: "document", source: { kind: "text", text, mediaType: "text/plain" } };
  } else {
    part = { type: "document", source: fromSource(source, `${path}.source`) };
  }
  const title = asString(block.title);
  if (title) part.title = title;
  return withCache(part, block);
}

function fromToolResult(block: JsonObject, path: string, toolNames: Map<string, string>): IRToolResultPart {
  const toolCallId = asString(block.tool_use_id) ?? "";
  const content: IRToolResultPart["content"] = [];
  if (typeof block.content === "string") content.push({ type: "text", text: block.content });
  else
    asArray(block.content).forEach((item, i) => {
      const part = fromBlock(item, `${path}.content[${i}]`, "user", toolNames);
      if (part.type !== "text" && part.type !== "image" && part.type !== "document")
        throw invalidRequest(
          `${path}.content[${i}]: only text, image and document blocks can be tool results`,
          path,
        );
      content.push(part);
    });
  const result: IRToolResultPart = { type: "tool_result", toolCallId, content };
  const name = toolNames.get(toolCallId);
  if (name) result.name = name;
  if (block.is_error === true) result.isError = true;
  return withCache(result, block);
}

function fromTool(tool: unknown, i: number): IRTool {
  const path = `tools[${i}]`;
  if (!isRecord(tool)) throw invalidRequest(`${path} must be an object`, path);
  if (tool.type !== undefined && tool.type !== "custom" && tool.type !== null)
    throw invalidRequest(
      `${path}: server tool '${String(tool.type)}' runs only on Anthropic and cannot be translated`,
      `${path}.type`,
      "unsupported_parameter",
    );
  const name = asString(tool.name);
  if (!name) throw invalidRequest(`${path}.name is required`, `${path}.name`);
  const ir: IRTool = { name, parameters: asRecord(tool.input_schema) ?? { type: "object", properties: {} } };
  const description = asString(tool.description);
  if (description !== undefined) ir.description = description;
  const strict = asBoolean(tool.strict);
  if (strict !== undefined) ir.strict = strict;
  return withCache(ir, tool);
}

function fromToolChoice(choice: JsonObject): IRToolChoice {
  switch (choice.type) {
    case "auto":
      return { type: "auto" };
    case "none":
      return { type: "none" };
    case "any":
      return { type: "required" };
    case "tool": {
      const name = asString(choice.name);
      if (name) return { type: "tool", name };
      break;
    }
  }
  throw invalidRequest(`tool_choice.type '${String(choice.type)}' is not known`, "tool_choice.type");
}

/** thinking {enabled, budget_tokens} | {adaptive} | {disabled}, and output_config.effort. */
function fromReasoning(body: JsonObject): IRReasoningConfig | undefined {
  const config: IRReasoningConfig = {};
  const thinking = asRecord(body.thinking);
  if (thinking?.type === "enabled") {
    const budget = asNumber(thinking.budget_tokens);
    if (budget !== undefined) config.budgetTokens = budget;
  } else if (thinking?.type === "adaptive") {
    config.adaptive = true;
  } else if (thinking?.type === "disabled") {
    config.disabled = true;
  }
  const effort = asString(asRecord(body.output_config)?.effort);
  if (effort !== undefined) {
    if (!EFFORTS.has(effort))
      throw invalidRequest(`output_config.effort '${effort}' is not a known effort`, "output_config.effort");
    config.effort = effort as IRReasoningEffort;
  }
  return Object.keys(config).length > 0 ? config : undefined;
}
