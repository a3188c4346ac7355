import type { ClientProtocol, EncodeContext } from "../../ir/codec.ts";
import { adjustField, dropField, dropUnknownFields, rejectField } from "../../ir/drop-policy.ts";
import { EFFORT_BUDGET, MIN_THINKING_BUDGET } from "../../ir/reasoning-budget.ts";
import { clientFieldOf, noteBudgetSent } from "../../ir/reasoning-levels.ts";
import type {
  IRCacheControl,
  IRDocumentPart,
  IRImagePart,
  IRMediaSource,
  IRMessage,
  IRPart,
  IRReasoningConfig,
  IRRequest,
  IRToolChoice,
} from "../../ir/types.ts";
import { isGeminiSignature } from "../gemini/thought-signature.ts";
import { isOpenAIReasoning } from "../responses/reasoning-stash.ts";
import { toAnthropicToolUseId } from "./tool-use-id.ts";

type Json = Record<string, unknown>;

/**
 * Anthropic requires max_tokens. When the client gave none: 4096 for the Claude 3 models
 * (their output limit), 8192 for every later model. Thinking budgets come on top (see
 * thinkingMaxTokens).
 */
export function defaultMaxTokens(model: string): number {
  return /claude-3-(haiku|sonnet|opus)/.test(model) ? 4096 : 8192;
}

/**
 * The largest max_tokens a Claude model accepts (no beta headers): Claude 3 4096, Claude 3.5
 * 8192, Opus 4 / 4.1 32000, later models 64000. Only limits that the gateway itself raised
 * (thinking) are clamped to it; a client's own max_tokens goes upstream as given.
 */
export function modelMaxOutput(model: string): number {
  if (/claude-3-(haiku|sonnet|opus)/.test(model)) return 4096;
  if (/claude-3-5/.test(model)) return 8192;
  if (/claude-opus-4(?:-[01])?(?:-\d{8}|-latest)?$/.test(model)) return 32000;
  return 64000;
}

/**
 * Thinking budget from the IR reasoning config; undefined when thinking stays off.
 * Explicit budget wins, else the effort table (EFFORT_BUDGET); never below Anthropic's 1024.
 */
export function thinkingBudget(reasoning: IRReasoningConfig | undefined): number | undefined {
  if (!reasoning || reasoning.disabled || reasoning.adaptive) return undefined;
  if (reasoning.effort === "none") return undefined;
  const budget =
    reasoning.budgetTokens ?? (reasoning.effort !== undefined ? EFFORT_BUDGET[reasoning.effort] : undefined);
  return budget === undefined ? undefined : Math.max(MIN_THINKING_BUDGET, budget);
}

/**
 * Anthropic requires budget_tokens < max_tokens. OpenAI's max_completion_tokens counts reasoning
 * too, so a client limit above the budget is kept as is; a limit at or below the budget is
 * raised to budget + limit (the client still gets its limit's worth of visible answer); no limit
 * gives budget + the model default.
 */
export function thinkingMaxTokens(budget: number, clientMax: number | undefined, model: string): number {
  if (clientMax !== undefined && clientMax > budget) return clientMax;
  return Math.min(budget + (clientMax ?? defaultMaxTokens(model)), modelMaxOutput(model));
}

/** The client's field that asked for reasoning, named when thinking has to be dropped. */
const REASONING_FIELD: Record<ClientProtocol, string> = {
  openai: "reasoning_effort",
  responses: "reasoning",
  anthropic: "thinking",
};

/** IR → Anthropic Messages request body (provider side). */
export function toAnthropicRequest(request: IRRequest, context: EncodeContext): Json {
  const body: Json = { model: request.model };
  let forcedTool = request.toolChoice?.type === "required" || request.toolChoice?.type === "tool";
  if (request.tools === undefined || request.tools.length === 0) forcedTool = false;
  let budget = thinkingBudget(request.reasoning);
  let adaptive = request.reasoning?.adaptive === true && !request.reasoning.disabled;
  // Anthropic refuses thinking with a forced tool choice, and in a tool loop whose last assistant
  // turn does not start with a signed thinking block (a client that did not send
  // reasoning_details back): thinking is dropped and listed rather than the request failing.
  if ((budget !== undefined || adaptive) && (forcedTool || toolLoopLacksThinking(request.messages))) {
    dropField(context, REASONING_FIELD[request.sourceProtocol ?? "anthropic"]);
    budget = undefined;
    adaptive = false;
  }
  let maxTokens = request.maxTokens ?? defaultMaxTokens(request.model);
  if (budget !== undefined) {
    maxTokens = thinkingMaxTokens(budget, request.maxTokens, request.model);
    // The model's output cap can leave less room than the budget: keep 1024 tokens for the answer.
    if (budget >= maxTokens) budget = Math.max(MIN_THINKING_BUDGET, maxTokens - MIN_THINKING_BUDGET);
    noteBudgetSent(context, request, budget);
    if (request.maxTokens !== undefined && maxTokens !== request.maxTokens)
      adjustField(context, clientFieldOf(request, "maxTokens"), request.maxTokens, maxTokens);
  }
  const thinkingOn = budget !== undefined || adaptive;

  const system = toSystem(request);
  if (system !== undefined) body.system = system;
  body.messages = toAnthropicMessages(request.messages, context);
  body.max_tokens = maxTokens;
  if (budget !== undefined) body.thinking = { type: "enabled", budget_tokens: budget };
  else if (adaptive) body.thinking = { type: "adaptive" };
  else if (request.reasoning?.disabled && request.sourceProtocol !== "openai")
    body.thinking = { type: "disabled" };

  const outputConfig: Json = {};
  // Anthropic effort levels only; from OpenAI clients (either protocol) the effort became a thinking budget above.
  const effort = request.reasoning?.effort;
  if (request.sourceProtocol === "anthropic" && effort && ["low", "medium", "high", "max"].includes(effort))
    outputConfig.effort = effort;

  if (request.temperature !== undefined) {
    // Extended thinking accepts only temperature 1.
    if (thinkingOn && request.temperature !== 1) dropField(context, "temperature");
    else {
      body.temperature = Math.min(1, Math.max(0, request.temperature));
      if (body.temperature !== request.temperature)
        adjustField(context, "temperature", request.temperature, body.temperature);
    }
  }
  if (request.topP !== undefined) {
    if (thinkingOn && request.topP < 0.95) dropField(context, "top_p");
    else body.top_p = request.topP;
  }
  if (request.topK !== undefined) {
    if (thinkingOn) dropField(context, "top_k");
    else body.top_k = request.topK;
  }
  if (request.stop && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.stream) body.stream = true;

  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      const out: Json = { name: tool.name };
      if (tool.description !== undefined) out.description = tool.description;
      out.input_schema = tool.parameters;
      if (tool.strict !== undefined) out.strict = tool.strict;
      if (tool.cacheControl) out.cache_control = toCacheControl(tool.cacheControl);
      return out;
    });
  }
  const toolChoice = toAnthropicToolChoice(
    request.toolChoice,
    request.parallelToolCalls,
    Boolean(request.tools?.length),
  );
  if (toolChoice) body.tool_choice = toolChoice;

  if (request.responseFormat?.type === "json_schema") {
    outputConfig.format = { type: "json_schema", schema: request.responseFormat.schema };
  } else if (request.responseFormat?.type === "json_object") {
    // No JSON mode on Anthropic: emulated with an instruction and listed, since nothing enforces it.
    dropField(context, "response_format");
    const instruction = { type: "text", text: "Respond with a single valid JSON object and nothing else." };
    body.system = Array.isArray(body.system)
      ? [...body.system, instruction]
      : typeof body.system === "string"
        ? [{ type: "text", text: body.system }, instruction]
        : [instruction];
  }
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;

  if (request.n !== undefined && request.n > 1)
    rejectField(context, "n", "Anthropic returns one choice per request");
  if (request.seed !== undefined) dropField(context, "seed");
  if (request.frequencyPenalty !== undefined) dropField(context, "frequency_penalty");
  if (request.presencePenalty !== undefined) dropField(context, "presence_penalty");
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.metadata && Object.keys(request.metadata).some((k) => k !== "user_id"))
    dropField(context, "metadata");
  if (request.promptCacheKey !== undefined) dropField(context, "prompt_cache_key");
  if (request.promptCacheRetention !== undefined) dropField(context, "prompt_cache_retention");
  if (request.serviceTier !== undefined) {
    const tier = toAnthropicServiceTier(request.serviceTier);
    if (tier) body.service_tier = tier;
    else dropField(context, "service_tier");
  }
  if (request.sourceProtocol === "anthropic") Object.assign(body, request.unknown);
  else {
    // Anthropic's MCP connector, asked for by a client of another protocol: Anthropic runs it.
    const { mcp_servers: mcpServers, ...unknown } = request.unknown;
    if (mcpServers !== undefined && mcpServers !== null) body.mcp_servers = mcpServers;
    dropUnknownFields(unknown, context);
  }
  return body;
}

/** The last assistant turn called tools but carries no signed (or redacted) thinking before them. */
export function toolLoopLacksThinking(messages: IRMessage[]): boolean {
  const last = messages.findLast((m) => m.role === "assistant");
  if (!last?.parts.some((p) => p.type === "tool_call")) return false;
  const first = last.parts.find(
    (p) =>
      (p.type !== "text" || p.text.length > 0) &&
      !(p.type === "reasoning" && isForeignReasoning(p.signature)),
  );
  return !(first?.type === "reasoning" && (first.redacted || first.signature));
}

/** A signature another vendor issued (Gemini thought signature, OpenAI Responses reasoning item). */
function isForeignReasoning(signature: string | undefined): boolean {
  return isGeminiSignature(signature) || isOpenAIReasoning(signature);
}

/** OpenAI auto → auto, default → standard_only; flex/priority have no Anthropic equivalent. */
function toAnthropicServiceTier(tier: string): string | undefined {
  if (tier === "auto" || tier === "standard_only") return tier;
  if (tier === "default") return "standard_only";
  return undefined;
}

export function toAnthropicToolChoice(
  choice: IRToolChoice | undefined,
  parallel: boolean | undefined,
  hasTools: boolean,
): Json | undefined {
  if (!choice && (parallel === undefined || !hasTools)) return undefined;
  let out: Json;
  switch (choice?.type) {
    case "none":
      return { type: "none" };
    case "required":
      out = { type: "any" };
      break;
    case "tool":
      out = { type: "tool", name: choice.name };
      break;
    default:
      out = { type: "auto" };
  }
  if (parallel === false) out.disable_parallel_tool_use = true;
  return out;
}

function toCacheControl(cc: IRCacheControl): Json {
  return cc.ttl ? { type: "ephemeral", ttl: cc.ttl } : { type: "ephemeral" };
}

function withCache(block: Json, cc: IRCacheControl | undefined): Json {
  if (cc) block.cache_control = toCacheControl(cc);
  return block;
}

function toSystem(request: IRRequest): string | Json[] | undefined {
  const parts = request.system.filter((p) => p.text.length > 0);
  if (parts.length === 0) return undefined;
  if (parts.length === 1 && !parts[0]?.cacheControl) return parts[0]?.text;
  return parts.map((p) => withCache({ type: "text", text: p.text }, p.cacheControl));
}

/**
 * Anthropic wants alternating turns with non-empty content: consecutive same-role messages are
 * merged (OpenAI's consecutive tool messages and the user message after them become one user
 * turn), tool_result blocks go first in a user turn, empty text blocks and empty turns are left out.
 */
export function toAnthropicMessages(messages: IRMessage[], context: EncodeContext): Json[] {
  const merged: Array<{ role: "user" | "assistant"; blocks: Json[] }> = [];
  messages.forEach((message, i) => {
    if (message.name) dropField(context, "name");
    const blocks = message.parts.flatMap((part) => toBlocks(part, i, context));
    if (blocks.length === 0) return;
    const last = merged[merged.length - 1];
    if (last && last.role === message.role) last.blocks.push(...blocks);
    else merged.push({ role: message.role, blocks });
  });
  const final = merged[merged.length - 1];
  if (final?.role === "assistant") trimFinalAssistantText(final.blocks);
  return merged.map(({ role, blocks }) => {
    if (role === "user") {
      const results = blocks.filter((b) => b.type === "tool_result");
      const rest = blocks.filter((b) => b.type !== "tool_result");
      return { role, content: [...results, ...rest] };
    }
    return { role, content: blocks };
  });
}

/**
 * A conversation that ends with an assistant turn asks Anthropic to continue it (a paused turn sent
 * back, a prefill); Anthropic refuses one whose last text ends with whitespace, so it is trimmed.
 */
function trimFinalAssistantText(blocks: Json[]): void {
  const last = blocks[blocks.length - 1];
  if (last?.type !== "text" || typeof last.text !== "string") return;
  const text = last.text.trimEnd();
  if (text.length > 0) last.text = text;
  else if (blocks.length > 1) blocks.pop();
}

function toBlocks(part: IRPart, messageIndex: number, context: EncodeContext): Json[] {
  switch (part.type) {
    case "text":
      return part.text.length > 0 ? [withCache({ type: "text", text: part.text }, part.cacheControl)] : [];
    case "image":
      return [toImageBlock(part, context)];
    case "document":
      return [toDocumentBlock(part, context)];
    case "reasoning":
      if (part.redacted) return [{ type: "redacted_thinking", data: part.data ?? "" }];
      // Gemini or OpenAI state stashed in a reasoning part means nothing to Anthropic (which would refuse it).
      if (isForeignReasoning(part.signature)) return [];
      if (part.signature) return [{ type: "thinking", thinking: part.text, signature: part.signature }];
      // A thinking block without its signature is refused by Anthropic: left out and listed.
      dropField(context, `messages[${messageIndex}].reasoning_content`);
      return [];
    case "tool_call":
      return [
        withCache(
          {
            type: "tool_use",
            id: toAnthropicToolUseId(part.id),
            name: part.name,
            input: parseToolInput(part.arguments),
          },
          part.cacheControl,
        ),
      ];
    case "tool_result": {
      const content = part.content.flatMap((item) => {
        if (item.type === "text") return item.text.length > 0 ? [{ type: "text", text: item.text }] : [];
        if (item.type === "image") return [toImageBlock(item, context)];
        return [toDocumentBlock(item, context)];
      });
      const block: Json = {
        type: "tool_result",
        tool_use_id: toAnthropicToolUseId(part.toolCallId),
        content,
      };
      if (part.isError) block.is_error = true;
      return [withCache(block, part.cacheControl)];
    }
  }
}

/** Tool arguments are JSON text; Anthropic wants an object. Invalid or non-object JSON → {}. */
export function parseToolInput(args: string): Json {
  try {
    const value: unknown = JSON.parse(args);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
  } catch {
    return {};
  }
}

function toSource(source: IRMediaSource, field: string, context: EncodeContext): Json {
  switch (source.kind) {
    case "base64":
      return { type: "base64", media_type: source.mediaType, data: source.data };
    case "url":
      return { type: "url", url: source.url };
    case "file_id":
      return rejectField(context, field, "file ids of another provider cannot be used");
  }
}

function toImageBlock(part: IRImagePart, context: EncodeContext): Json {
  if (part.detail && part.detail !== "auto") dropField(context, "image_url.detail");
  return withCache({ type: "image", source: toSource(part.source, "image_url", context) }, part.cacheControl);
}

function toDocumentBlock(part: IRDocumentPart, context: EncodeContext): Json {
  const source = part.source;
  let out: Json;
  if (source.kind === "text") {
    out = { type: "document", source: { type: "text", media_type: "text/plain", data: source.text } };
  } else if (source.kind === "base64" && source.mediaType.startsWith("text/")) {
    const text = Buffer.from(source.data, "base64").toString("utf8");
    out = { type: "document", source: { type: "text", media_type: "text/plain", data: text } };
  } else if (source.kind === "base64" && source.mediaType !== "application/pdf") {
    return rejectField(
      context,
      "file.file_data",
      `documents of type ${source.mediaType} are not supported (PDF and text only)`,
    );
  } else {
    out = { type: "document", source: toSource(source, "file", context) };
  }
  if (part.title) out.title = part.title;
  else if (part.filename) out.title = part.filename;
  return withCache(out, part.cacheControl);
}
