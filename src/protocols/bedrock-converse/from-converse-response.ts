import { isRecord } from "../../ir/guards.ts";
import { generateId } from "../../ir/ids.ts";
import { deriveStopReason } from "../../ir/stop-reason.ts";
import type { IRPart, IRResponse } from "../../ir/types.ts";
import type { ConverseResponse } from "./converse-api.ts";
import { fromConverseUsage, mapConverseStopReason } from "./map-converse-stop-reason.ts";

/** One output content block → IR parts (unknown blocks are skipped). */
function fromBlock(block: Record<string, unknown>): IRPart[] {
  if (typeof block.text === "string") return [{ type: "text", text: block.text }];
  const toolUse = block.toolUse;
  if (isRecord(toolUse) && typeof toolUse.toolUseId === "string" && typeof toolUse.name === "string")
    return [
      {
        type: "tool_call",
        id: toolUse.toolUseId,
        name: toolUse.name,
        arguments: JSON.stringify(toolUse.input ?? {}),
      },
    ];
  const reasoning = block.reasoningContent;
  if (isRecord(reasoning)) {
    const text = reasoning.reasoningText;
    if (isRecord(text) && typeof text.text === "string")
      return [
        {
          type: "reasoning",
          text: text.text,
          ...(typeof text.signature === "string" ? { signature: text.signature } : {}),
        },
      ];
    if (typeof reasoning.redactedContent === "string")
      return [{ type: "reasoning", text: "", redacted: true, data: reasoning.redactedContent }];
  }
  return [];
}

/** Converse response → IR (Converse has no response id or model: the gateway names them). */
export function fromConverseResponse(json: unknown): IRResponse {
  const response = (isRecord(json) ? json : {}) as ConverseResponse;
  const content = response.output?.message?.content ?? [];
  const parts = content.filter(isRecord).flatMap(fromBlock);
  const reason = mapConverseStopReason(response.stopReason);
  return {
    id: generateId("msg_bdrk_"),
    model: "",
    parts,
    stopReason: deriveStopReason(
      reason,
      parts.some((p) => p.type === "tool_call"),
    ),
    usage: fromConverseUsage(response.usage),
  };
}
