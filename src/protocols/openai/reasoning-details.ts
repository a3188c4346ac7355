import { asArray, asString, isRecord } from "../../ir/guards.ts";
import type { IRReasoningPart } from "../../ir/types.ts";

/**
 * The reversible stash for reasoning an OpenAI client cannot otherwise express: OpenRouter's
 * `reasoning_details` array on the assistant message. One entry per reasoning block, in order:
 * `reasoning.text` (text + signature) or `reasoning.encrypted` (a redacted_thinking payload).
 * A client that sends the assistant message back as received restores the thinking blocks.
 */
export type ReasoningDetail =
  | { type: "reasoning.text"; text: string; signature?: string; index: number }
  | { type: "reasoning.encrypted"; data: string; index: number };

export function toReasoningDetails(parts: IRReasoningPart[]): ReasoningDetail[] {
  return parts.map((part, index) =>
    part.redacted
      ? { type: "reasoning.encrypted", data: part.data ?? "", index }
      : part.signature !== undefined
        ? { type: "reasoning.text", text: part.text, signature: part.signature, index }
        : { type: "reasoning.text", text: part.text, index },
  );
}

/**
 * Reads `reasoning_details` (OpenRouter) or `thinking_blocks` (LiteLLM's equivalent) back into
 * reasoning parts; undefined when the message carries neither.
 */
export function fromReasoningDetails(message: Record<string, unknown>): IRReasoningPart[] | undefined {
  if (Array.isArray(message.reasoning_details)) {
    const parts: IRReasoningPart[] = [];
    for (const detail of asArray(message.reasoning_details)) {
      if (!isRecord(detail)) continue;
      if (detail.type === "reasoning.encrypted") {
        parts.push({ type: "reasoning", text: "", redacted: true, data: asString(detail.data) ?? "" });
      } else if (detail.type === "reasoning.text") {
        const part: IRReasoningPart = { type: "reasoning", text: asString(detail.text) ?? "" };
        const signature = asString(detail.signature);
        if (signature) part.signature = signature;
        parts.push(part);
      } else if (detail.type === "reasoning.summary") {
        parts.push({ type: "reasoning", text: asString(detail.summary) ?? "" });
      }
    }
    return parts;
  }
  if (Array.isArray(message.thinking_blocks)) {
    const parts: IRReasoningPart[] = [];
    for (const block of asArray(message.thinking_blocks)) {
      if (!isRecord(block)) continue;
      if (block.type === "redacted_thinking") {
        parts.push({ type: "reasoning", text: "", redacted: true, data: asString(block.data) ?? "" });
      } else if (block.type === "thinking") {
        const part: IRReasoningPart = { type: "reasoning", text: asString(block.thinking) ?? "" };
        const signature = asString(block.signature);
        if (signature) part.signature = signature;
        parts.push(part);
      }
    }
    return parts;
  }
  return undefined;
}
