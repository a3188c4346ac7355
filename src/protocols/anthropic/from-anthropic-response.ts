import { GatewayError } from "../../errors/gateway-error.ts";
import { asArray, asRecord, asString, isRecord } from "../../ir/guards.ts";
import { generateId } from "../../ir/ids.ts";
import type { IRPart, IRResponse, IRTextPart } from "../../ir/types.ts";
import { fromAnthropicUsage } from "./convert-usage.ts";
import { fromAnthropicStopReason } from "./map-stop-reason.ts";
import { isServerToolBlock, renderServerToolBlock } from "./render-server-tool-block.ts";

/**
 * Anthropic message JSON → IR. Text keeps its citations. Server-tool blocks (server_tool_use,
 * mcp_tool_use, web_search_tool_result, …) have no equivalent in other protocols: each becomes a
 * line of text in place (render-server-tool-block.ts). Other block types are left out.
 */
export function fromAnthropicResponse(json: unknown): IRResponse {
  const body = asRecord(json);
  if (!body || !Array.isArray(body.content))
    throw new GatewayError({
      kind: "api_error",
      status: 502,
      message: "Upstream response not understood: no content",
    });
  const parts: IRPart[] = [];
  for (const block of asArray(body.content)) {
    if (!isRecord(block)) continue;
    switch (block.type) {
      case "text": {
        const part: IRTextPart = { type: "text", text: asString(block.text) ?? "" };
        const citations = asArray(block.citations).filter(isRecord);
        if (citations.length > 0) part.citations = citations;
        parts.push(part);
        break;
      }
      case "thinking": {
        const part: IRPart = { type: "reasoning", text: asString(block.thinking) ?? "" };
        const signature = asString(block.signature);
        if (signature) part.signature = signature;
        parts.push(part);
        break;
      }
      case "redacted_thinking":
        parts.push({ type: "reasoning", text: "", redacted: true, data: asString(block.data) ?? "" });
        break;
      case "tool_use":
        parts.push({
          type: "tool_call",
          id: asString(block.id) ?? generateId("toolu_"),
          name: asString(block.name) ?? "",
          arguments: JSON.stringify(block.input ?? {}),
        });
        break;
      default:
        if (isServerToolBlock(block.type)) parts.push({ type: "text", text: renderServerToolBlock(block) });
    }
  }
  const usage = fromAnthropicUsage(body.usage);
  const response: IRResponse = {
    id: asString(body.id) ?? generateId("msg_"),
    model: asString(body.model) ?? "",
    parts,
    stopReason: fromAnthropicStopReason(body.stop_reason),
    usage: { ...usage, inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 },
  };
  const stopSequence = asString(body.stop_sequence);
  if (stopSequence !== undefined) response.stopSequence = stopSequence;
  return response;
}
