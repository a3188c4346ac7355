import { generateId } from "../../ir/ids.ts";
import type { IRPart } from "../../ir/types.ts";
import type { GeminiPart } from "./gemini-api.ts";
import {
  markGeminiCallSignature,
  markGeminiSignature,
  markGeminiTextSignature,
} from "./thought-signature.ts";

/** Gemini function calls carry no id (the Developer API omits it): the gateway makes one up. */
export const generateToolCallId = (): string => generateId("call_");

/**
 * Gemini content parts → IR output parts, in order. Thought parts become reasoning; a
 * thoughtSignature on a text part travels as an empty text-bound reasoning part just before that
 * text, which to-gemini-contents.ts puts back on the same text part next turn. A function call's signature is
 * both on the tool call and in an empty call-bound reasoning part just before it (see
 * thought-signature.ts for why). Adjacent parts of one kind are merged. Server-side tool results and
 * generated media are not part of the chat answer and are skipped.
 */
export function fromGeminiParts(parts: GeminiPart[], nextId: () => string = generateToolCallId): IRPart[] {
  const out: IRPart[] = [];
  for (const part of parts) {
    const signature = part.thoughtSignature ? markGeminiSignature(part.thoughtSignature) : undefined;
    const last = out[out.length - 1];
    if (part.functionCall) {
      const id = part.functionCall.id ?? nextId();
      if (part.thoughtSignature) {
        out.push({
          type: "reasoning",
          text: "",
          signature: markGeminiCallSignature(id, part.thoughtSignature),
        });
      }
      out.push({
        type: "tool_call",
        id,
        name: part.functionCall.name,
        arguments: JSON.stringify(part.functionCall.args ?? {}),
        ...(signature ? { signature } : {}),
      });
    } else if (part.thought && part.text !== undefined) {
      if (last?.type === "reasoning" && !last.signature && !last.redacted) {
        last.text += part.text;
        if (signature) last.signature = signature;
      } else {
        out.push({ type: "reasoning", text: part.text, ...(signature ? { signature } : {}) });
      }
    } else if (part.text !== undefined) {
      if (part.thoughtSignature) {
        out.push({ type: "reasoning", text: "", signature: markGeminiTextSignature(part.thoughtSignature) });
      }
      const previous = out[out.length - 1];
      if (part.text === "") continue;
      if (previous?.type === "text" && !signature) previous.text += part.text;
      else out.push({ type: "text", text: part.text });
    }
  }
  return out;
}
