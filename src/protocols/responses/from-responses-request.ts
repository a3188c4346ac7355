import { invalidRequest } from "../../errors/gateway-error.ts";
import { asBoolean, asNumber, asRecord, asString, isRecord, type JsonObject } from "../../ir/guards.ts";
import type { IRReasoningConfig, IRReasoningEffort, IRRequest, IRResponseFormat } from "../../ir/types.ts";
import { readOpenAIRequestOptions } from "../openai/read-request-options.ts";
import { fromResponsesInput } from "./from-responses-input.ts";
import { fromResponsesToolChoice, fromResponsesTools } from "./from-responses-tools.ts";

/** Request fields this decoder turns into IR. */
const CONSUMED = new Set([
  "model",
  "input",
  "instructions",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "max_output_tokens",
  "temperature",
  "top_p",
  "reasoning",
  "text",
  "metadata",
  "prompt_cache_key",
  "prompt_cache_retention",
  "service_tier",
  "user",
  "safety_identifier",
  "truncation",
  "top_logprobs",
]);

/**
 * Fields the gateway's pipeline answers itself (the stream, stored responses, what the response
 * includes, background mode): never in IRRequest.unknown, which would list them as dropped.
 */
const PIPELINE_FIELDS = new Set([
  "store",
  "include",
  "previous_response_id",
  "stream",
  "stream_options",
  "background",
]);

const EFFORTS = new Set(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);
const SUMMARIES = new Set(["auto", "concise", "detailed"]);

/** OpenAI Responses request (schema-validated, gateway fields removed) → IR. */
export function fromResponsesRequest(body: JsonObject): IRRequest {
  const { system, messages } = fromResponsesInput(body.input ?? [], asString(body.instructions));
  const request: IRRequest = {
    model: asString(body.model) ?? "",
    system,
    messages,
    stream: body.stream === true,
    unknown: {},
    sourceProtocol: "responses",
  };
  if (Array.isArray(body.tools)) {
    const { tools, builtIn } = fromResponsesTools(body.tools);
    if (tools.length > 0) request.tools = tools;
    Object.assign(request.unknown, builtIn);
  }
  if (body.tool_choice !== undefined && body.tool_choice !== null) {
    const { toolChoice, dropped } = fromResponsesToolChoice(body.tool_choice);
    request.toolChoice = toolChoice;
    if (dropped) request.unknown[dropped[0]] = dropped[1];
  }
  const parallel = asBoolean(body.parallel_tool_calls);
  if (parallel !== undefined) request.parallelToolCalls = parallel;
  const maxTokens = asNumber(body.max_output_tokens);
  if (maxTokens !== undefined) request.maxTokens = maxTokens;
  const temperature = asNumber(body.temperature);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = asNumber(body.top_p);
  if (topP !== undefined) request.topP = topP;
  const reasoning = fromResponsesReasoning(body.reasoning);
  if (reasoning) request.reasoning = reasoning;
  const text = asRecord(body.text);
  const responseFormat = fromResponsesTextFormat(text?.format);
  if (responseFormat) request.responseFormat = responseFormat;
  if (text?.verbosity !== undefined && text.verbosity !== null)
    request.unknown["text.verbosity"] = text.verbosity;
  const user = asString(body.user) ?? asString(body.safety_identifier);
  if (user !== undefined) request.user = user;
  readOpenAIRequestOptions(body, request);
  // Dropping the context window's oldest items is OpenAI's server-side doing; "disabled" is every provider's way.
  if (body.truncation === "auto") request.unknown.truncation = body.truncation;
  if ((asNumber(body.top_logprobs) ?? 0) > 0) request.unknown.top_logprobs = body.top_logprobs;
  for (const [key, value] of Object.entries(body)) {
    if (!CONSUMED.has(key) && !PIPELINE_FIELDS.has(key) && value !== undefined) request.unknown[key] = value;
  }
  return request;
}

/**
 * `reasoning: {effort, summary}`. Asking for a summary (auto, concise, detailed) is asking to see
 * the model's thoughts. No `reasoning` object leaves the IR's undefined (the model's default).
 */
function fromResponsesReasoning(value: unknown): IRReasoningConfig | undefined {
  const reasoning = asRecord(value);
  if (!reasoning) return undefined;
  const config: IRReasoningConfig = {};
  const effort = asString(reasoning.effort);
  if (effort !== undefined) {
    if (!EFFORTS.has(effort))
      throw invalidRequest(`reasoning.effort '${effort}' is not a known effort`, "reasoning.effort");
    if (effort === "none") config.disabled = true;
    config.effort = effort as IRReasoningEffort;
  }
  const summary = asString(reasoning.summary) ?? asString(reasoning.generate_summary);
  if (summary !== undefined && SUMMARIES.has(summary)) config.includeThoughts = true;
  return config;
}

function fromResponsesTextFormat(format: unknown): IRResponseFormat | undefined {
  if (!isRecord(format)) return undefined;
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json_object":
      return { type: "json_object" };
    case "json_schema": {
      const out: IRResponseFormat = { type: "json_schema", schema: asRecord(format.schema) ?? {} };
      const name = asString(format.name);
      if (name) out.name = name;
      const strict = asBoolean(format.strict);
      if (strict !== undefined) out.strict = strict;
      const description = asString(format.description);
      if (description) out.description = description;
      return out;
    }
    default:
      throw invalidRequest(`text.format.type '${String(format.type)}' is not known`, "text.format.type");
  }
}
