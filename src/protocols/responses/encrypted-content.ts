import type { IRReasoningPart } from "../../ir/types.ts";
import { isGeminiSignature } from "../gemini/thought-signature.ts";
import {
  isOpenAIReasoning,
  markAnthropicRedacted,
  markAnthropicSignature,
  markOpenAIReasoning,
  readAnthropicStash,
} from "./reasoning-stash.ts";

/**
 * A reasoning item's `encrypted_content` as a Responses client sees it: whatever the upstream
 * needs back to continue its reasoning, marked by issuer (see reasoning-stash.ts). Undefined when
 * the part carries nothing opaque.
 */
export function toEncryptedContent(part: IRReasoningPart): string | undefined {
  if (part.redacted) return markAnthropicRedacted(part.data ?? "");
  if (part.signature === undefined || part.signature === "") return undefined;
  // Gemini's and OpenAI's own marks already say who issued them; an unmarked one is Anthropic's.
  if (isGeminiSignature(part.signature) || isOpenAIReasoning(part.signature)) return part.signature;
  return markAnthropicSignature(part.signature);
}

/**
 * A client's reasoning item → IR reasoning part: an Anthropic mark is unwrapped to the raw
 * signature (or redacted payload), Gemini and OpenAI marks stay as they are (their codecs read
 * them), and anything else is a real OpenAI `encrypted_content`, marked with its item id.
 */
export function fromEncryptedContent(
  itemId: string,
  text: string,
  encrypted: string | undefined,
): IRReasoningPart {
  if (!encrypted) return { type: "reasoning", text };
  const anthropic = readAnthropicStash(encrypted);
  if (anthropic?.redacted) return { type: "reasoning", text: "", redacted: true, data: anthropic.data };
  if (anthropic) return { type: "reasoning", text, signature: anthropic.signature };
  if (isGeminiSignature(encrypted) || isOpenAIReasoning(encrypted))
    return { type: "reasoning", text, signature: encrypted };
  return { type: "reasoning", text, signature: markOpenAIReasoning(itemId, encrypted) };
}
