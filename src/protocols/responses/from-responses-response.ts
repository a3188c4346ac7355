import { GatewayError } from "../../errors/gateway-error.ts";
import { asArray, asNumber, asRecord, asString, isRecord, type JsonObject } from "../../ir/guards.ts";
import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRPart, IRResponse, IRToolCallPart } from "../../ir/types.ts";
import { fromResponsesUsage } from "./from-responses-usage.ts";
import { fromResponsesStatus } from "./map-responses-status.ts";
import { readReasoningItem } from "./read-reasoning-item.ts";

/**
 * Responses API JSON (provider side) → IR, output items in order: reasoning → a reasoning part
 * (signature = the `openai:` stash when encrypted content came back), message → text parts (a
 * refusal becomes text with stop reason refusal, as from Chat Completions), function_call and
 * custom_tool_call → tool calls. Items of OpenAI's built-in tools (web_search_call, mcp_call…) ran
 * upstream and have no IR form: their effect is in the text.
 */
export function fromResponsesResponse(json: unknown): IRResponse {
  const body = asRecord(json);
  if (!body || !Array.isArray(body.output))
    throw upstreamError("Upstream response not understood: Responses body has no output array");
  if (body.status === "failed") {
    const error = asRecord(body.error);
    throw upstreamError(`Upstream response failed: ${asString(error?.message) ?? "no message"}`, error?.code);
  }
  const parts: IRPart[] = [];
  const refusals: string[] = [];
  let toolCalls = 0;
  for (const item of body.output) {
    if (!isRecord(item)) continue;
    switch (item.type) {
      case "reasoning": {
        const { text, signature } = readReasoningItem(item);
        if (text || signature)
          parts.push(signature ? { type: "reasoning", text, signature } : { type: "reasoning", text });
        break;
      }
      case "message":
        for (const content of asArray(item.content)) {
          if (!isRecord(content)) continue;
          if (content.type === "output_text" && typeof content.text === "string" && content.text)
            parts.push({ type: "text", text: content.text });
          else if (content.type === "refusal" && typeof content.refusal === "string" && content.refusal) {
            parts.push({ type: "text", text: content.refusal });
            refusals.push(content.refusal);
          }
        }
        break;
      case "function_call":
      case "custom_tool_call":
        parts.push(fromCallItem(item));
        toolCalls++;
        break;
    }
  }
  const response: IRResponse = {
    id: asString(body.id) || generateId("resp_"),
    model: asString(body.model) ?? "",
    parts,
    stopReason: refusals.length > 0 ? "refusal" : deriveStopReason(fromResponsesStatus(body), toolCalls > 0),
    usage: fromResponsesUsage(body.usage) ?? { inputTokens: 0, outputTokens: 0 },
  };
  const created = asNumber(body.created_at);
  if (created !== undefined) response.created = created;
  const tier = asString(body.service_tier);
  if (tier) response.serviceTier = tier;
  if (refusals.length > 0) response.refusal = refusals.join("");
  return response;
}

/**
 * A function_call, or a custom_tool_call (freeform tool: one string `input`), as an IR tool call.
 * The freeform input travels as the JSON object {"input": …}, the shape a client protocol without
 * freeform tools can carry and the Responses client encoder turns back into a custom_tool_call.
 */
export function fromCallItem(item: JsonObject): IRToolCallPart {
  const args =
    item.type === "custom_tool_call"
      ? JSON.stringify({ input: asString(item.input) ?? "" })
      : (asString(item.arguments) ?? "");
  return {
    type: "tool_call",
    id: asString(item.call_id) || generateId("call_"),
    name: asString(item.name) ?? "",
    arguments: args.trim() === "" ? "{}" : args,
  };
}

function upstreamError(message: string, code?: unknown): GatewayError {
  return new GatewayError({ kind: "api_error", status: 502, message, code: asString(code) ?? null });
}
