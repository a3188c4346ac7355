import { asRecord, asString } from "../../ir/guards.ts";
import { markGeminiSignature, readGeminiSignature } from "../gemini/thought-signature.ts";

/**
 * A Gemini function call's thought signature on the OpenAI tool call itself, where Google's own
 * OpenAI-compatible endpoint puts it: `tool_calls[i].extra_content.google.thought_signature`.
 * Clients that rebuild the assistant message from `content` and `tool_calls` only (LangChain, the
 * Vercel AI SDK, most agent loops) keep it there, when they would lose `reasoning_details`.
 * The IR keeps the signature as `gemini:<sig>` (IRToolCallPart.signature); anything else (an
 * Anthropic or OpenAI stash) is not Google's and goes nowhere.
 */
export function toToolCallExtraContent(signature: string | undefined): Record<string, unknown> | undefined {
  const raw = readGeminiSignature(signature);
  return raw ? { google: { thought_signature: raw } } : undefined;
}

/** `extra_content.google.thought_signature` of a tool call sent back → the IR's `gemini:<sig>`. */
export function readToolCallThoughtSignature(call: Record<string, unknown>): string | undefined {
  const raw = asString(asRecord(asRecord(call.extra_content)?.google)?.thought_signature);
  return raw ? markGeminiSignature(raw) : undefined;
}
