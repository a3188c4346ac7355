import type { EncodeContext } from "../../ir/codec.ts";
import { adjustField, dropField, dropUnknownFields, rejectField } from "../../ir/drop-policy.ts";
import { effortFromBudget } from "../../ir/reasoning-budget.ts";
import { clientFieldOf, noteEffortSent } from "../../ir/reasoning-levels.ts";
import type { IRReasoningConfig, IRRequest, IRResponseFormat, IRTool, IRToolChoice } from "../../ir/types.ts";
import { toResponsesInputItems } from "./to-responses-input-items.ts";

type Json = Record<string, unknown>;

/** The Responses API refuses a max_output_tokens below 16. */
const MIN_OUTPUT_TOKENS = 16;
/** OpenAI's limit on safety_identifier. */
const MAX_SAFETY_IDENTIFIER = 128;

/** IR → OpenAI Responses request body (provider side: `POST {base_url}/responses`). */
export function toResponsesRequest(request: IRRequest, context: EncodeContext): Json {
  const body: Json = { model: request.model };
  if (request.system.length > 0) {
    if (request.system.some((p) => p.cacheControl)) dropField(context, "cache_control");
    body.instructions = request.system.map((p) => p.text).join("\n\n");
  }
  body.input = toResponsesInputItems(request, context);
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => toResponsesTool(tool, context));
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  if (request.toolChoice) body.tool_choice = toResponsesToolChoice(request.toolChoice, request.tools);
  // A client's smaller limit (a 1-token probe) is raised rather than refused.
  if (request.maxTokens !== undefined) {
    body.max_output_tokens = Math.max(MIN_OUTPUT_TOKENS, request.maxTokens);
    if (body.max_output_tokens !== request.maxTokens)
      adjustField(context, clientFieldOf(request, "maxTokens"), request.maxTokens, body.max_output_tokens);
  }
  const reasoning = toResponsesReasoning(request.reasoning);
  noteEffortSent(context, request, reasoning?.effort);
  // OpenAI's reasoning models refuse temperature and top_p (a 400) while they reason (any effort but
  // none): dropped and listed, as toward Anthropic with thinking on.
  const sampling = !isReasoningModel(request.model) || reasoning?.effort === "none";
  if (request.temperature !== undefined) {
    if (sampling) body.temperature = request.temperature;
    else dropField(context, "temperature");
  }
  if (request.topP !== undefined) {
    if (sampling) body.top_p = request.topP;
    else dropField(context, "top_p");
  }
  // Not in the Responses API (OpenAI's reasoning models take none of them): dropped and listed.
  if (request.topK !== undefined) dropField(context, "top_k");
  if (request.stop && request.stop.length > 0)
    dropField(context, request.sourceProtocol === "anthropic" ? "stop_sequences" : "stop");
  if (request.seed !== undefined) dropField(context, "seed");
  if (request.frequencyPenalty !== undefined) dropField(context, "frequency_penalty");
  if (request.presencePenalty !== undefined) dropField(context, "presence_penalty");
  if (request.n !== undefined && request.n > 1)
    rejectField(context, "n", "the Responses API returns one answer per request");
  if (reasoning) body.reasoning = reasoning;
  if (request.responseFormat) body.text = { format: toResponsesTextFormat(request.responseFormat) };
  if (request.stream) body.stream = true;
  if (request.user !== undefined) body.safety_identifier = toSafetyIdentifier(request.user);
  if (request.metadata) {
    // Anthropic metadata holds only user_id (already the safety identifier above).
    if (request.sourceProtocol !== "anthropic") body.metadata = request.metadata;
    else if (Object.keys(request.metadata).some((k) => k !== "user_id")) dropField(context, "metadata");
  }
  if (request.promptCacheKey !== undefined) body.prompt_cache_key = request.promptCacheKey;
  if (request.promptCacheRetention !== undefined) body.prompt_cache_retention = request.promptCacheRetention;
  // Anthropic's standard_only is OpenAI's default; every other tier has the same name on both.
  if (request.serviceTier !== undefined)
    body.service_tier = request.serviceTier === "standard_only" ? "default" : request.serviceTier;
  if (request.sourceProtocol === "responses") Object.assign(body, request.unknown);
  else dropUnknownFields(request.unknown, context);
  // The gateway stays stateless: OpenAI keeps nothing (store false), and each reasoning item comes
  // back encrypted, travels to the client inside the IR signature (`openai:<id>:<enc>`) and returns
  // with the client's next turn, so a translated conversation keeps its reasoning across turns.
  body.store = false;
  const include = Array.isArray(body.include) ? body.include : [];
  body.include = [...new Set([...include, "reasoning.encrypted_content"])];
  return body;
}

/**
 * Function tools are flat. `strict` is always sent: when it is omitted the Responses API turns a
 * compatible schema strict (every optional property becomes required), unlike Chat Completions.
 * Freeform (custom) tools go as what they are.
 */
function toResponsesTool(tool: IRTool, context: EncodeContext): Json {
  if (tool.cacheControl) dropField(context, "cache_control");
  if (tool.custom) {
    const custom: Json = { type: "custom", name: tool.name };
    if (tool.description !== undefined) custom.description = tool.description;
    if (tool.custom.format) custom.format = tool.custom.format;
    return custom;
  }
  const out: Json = { type: "function", name: tool.name };
  if (tool.description !== undefined) out.description = tool.description;
  out.parameters = tool.parameters;
  out.strict = tool.strict ?? false;
  return out;
}

export function toResponsesToolChoice(choice: IRToolChoice, tools: IRTool[] | undefined): unknown {
  if (choice.type !== "tool") return choice.type;
  const custom = tools?.some((tool) => tool.name === choice.name && tool.custom);
  return { type: custom ? "custom" : "function", name: choice.name };
}

/**
 * IR reasoning → `reasoning`: an effort goes as asked (`none` included; Anthropic's `max` becomes
 * `xhigh`, OpenAI's highest on most models); a budget maps through effortFromBudget; adaptive or
 * disabled thinking sends no effort (the model's default). Summaries ("auto") are asked for when
 * the client wants reasoning text: said so, or asked for thinking by budget or adaptively.
 */
export function toResponsesReasoning(reasoning: IRReasoningConfig | undefined): Json | undefined {
  if (!reasoning) return undefined;
  const out: Json = {};
  if (reasoning.effort === "none") out.effort = "none";
  else if (!reasoning.disabled) {
    if (reasoning.effort) out.effort = reasoning.effort === "max" ? "xhigh" : reasoning.effort;
    else if (reasoning.budgetTokens !== undefined && !reasoning.adaptive)
      out.effort = effortFromBudget(reasoning.budgetTokens);
  }
  const thinkingAsked = reasoning.budgetTokens !== undefined || reasoning.adaptive === true;
  const wantsText = reasoning.includeThoughts ?? (thinkingAsked && !reasoning.disabled);
  if (wantsText && out.effort !== "none") out.summary = "auto";
  return Object.keys(out).length > 0 ? out : undefined;
}

/** OpenAI's reasoning models: the o-series and the gpt-5 family, except its non-reasoning chat models. */
export function isReasoningModel(model: string): boolean {
  const id = model.slice(model.lastIndexOf("/") + 1);
  return /^(o\d|gpt-5)/.test(id) && !id.includes("-chat");
}

/** `text.format`: json_schema is flat here (no `json_schema` wrapper as in Chat Completions). */
export function toResponsesTextFormat(format: IRResponseFormat): Json {
  if (format.type !== "json_schema") return { type: format.type };
  const out: Json = { type: "json_schema", name: format.name ?? "response", schema: format.schema };
  if (format.description) out.description = format.description;
  // Anthropic structured outputs are always enforced, so strict unless the client said otherwise.
  out.strict = format.strict ?? true;
  return out;
}

/** A longer id (Claude Code's metadata.user_id is ~160 characters) is sent as its SHA-256, as OpenAI suggests. */
function toSafetyIdentifier(user: string): string {
  return user.length <= MAX_SAFETY_IDENTIFIER
    ? user
    : new Bun.CryptoHasher("sha256").update(user).digest("hex");
}
