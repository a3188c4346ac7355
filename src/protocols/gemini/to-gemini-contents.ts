import { invalidRequest } from "../../errors/gateway-error.ts";
import type { EncodeContext } from "../../ir/codec.ts";
import { dropField } from "../../ir/drop-policy.ts";
import { isRecord } from "../../ir/guards.ts";
import type { IRMessage, IRPart, IRTextPart, IRToolCallPart, IRToolResultPart } from "../../ir/types.ts";
import type { GeminiContent, GeminiPart } from "./gemini-api.ts";
import { readGeminiModelFamily } from "./gemini-model-family.ts";
import {
  readGeminiCallSignature,
  readGeminiSignature,
  readGeminiTextSignature,
  SKIP_SIGNATURE_VALIDATION,
} from "./thought-signature.ts";
import { toGeminiMediaPart } from "./to-gemini-part.ts";

interface ContentState {
  context: EncodeContext;
  /** Tool call id → function name, from the calls seen so far (functionResponse needs the name). */
  callNames: Map<string, string>;
  /** Gemini 3 wants a signature on replayed function calls. */
  needsCallSignature: boolean;
}

function noteCacheControl(part: IRPart, context: EncodeContext): void {
  if ("cacheControl" in part && part.cacheControl) dropField(context, "cache_control");
}

function parseArguments(call: IRToolCallPart, param: string): Record<string, unknown> {
  if (call.arguments.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments);
  } catch {
    throw invalidRequest(`tool call '${call.id}' has arguments that are not valid JSON`, param);
  }
  if (!isRecord(parsed))
    throw invalidRequest(`tool call '${call.id}' arguments must be a JSON object`, param);
  return parsed;
}

/** Gemini reads `output` / `error` keys; an object result is the output itself. */
function toFunctionResponseBody(result: IRToolResultPart): Record<string, unknown> {
  const text = result.content
    .filter((p): p is IRTextPart => p.type === "text")
    .map((p) => p.text)
    .join("\n");
  let value: unknown = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed)) value = parsed;
  } catch {
    // plain text output
  }
  if (result.isError) return { error: value };
  return isRecord(value) ? value : { output: value };
}

function toUserParts(message: IRMessage, index: number, state: ContentState): GeminiPart[] {
  const parts: GeminiPart[] = [];
  message.parts.forEach((part, p) => {
    const param = `messages[${index}].content[${p}]`;
    noteCacheControl(part, state.context);
    switch (part.type) {
      case "text":
        parts.push({ text: part.text });
        break;
      case "image":
      case "document":
        if (part.type === "image" && part.detail) dropField(state.context, "detail");
        parts.push(toGeminiMediaPart(part, state.context, param));
        break;
      case "tool_result": {
        const name = part.name ?? state.callNames.get(part.toolCallId);
        if (!name) {
          throw invalidRequest(
            `tool result '${part.toolCallId}' has no matching tool call earlier in the conversation; Gemini needs the function name`,
            param,
          );
        }
        parts.push({ functionResponse: { name, response: toFunctionResponseBody(part) } });
        // Images/documents returned by a tool follow their functionResponse as ordinary parts.
        part.content.forEach((inner, i) => {
          if (inner.type !== "text")
            parts.push(toGeminiMediaPart(inner, state.context, `${param}.content[${i}]`));
        });
        break;
      }
      default:
        break; // reasoning / tool calls never belong to a user turn
    }
  });
  return parts;
}

function toModelParts(message: IRMessage, index: number, state: ContentState): GeminiPart[] {
  const parts: GeminiPart[] = [];
  /** Function-call signatures carried in call-bound reasoning parts, by tool call id. */
  const callSignatures = new Map<string, string>();
  for (const part of message.parts) {
    const bound = part.type === "reasoning" ? readGeminiCallSignature(part.signature) : undefined;
    if (bound) callSignatures.set(bound.toolCallId, bound.signature);
  }
  /** A text-bound signature, waiting for the text part it came on. */
  let pending: string | undefined;
  let firstCall = true;
  const take = (): string | undefined => {
    const signature = pending;
    pending = undefined;
    return signature;
  };
  message.parts.forEach((part, p) => {
    const param = `messages[${index}].content[${p}]`;
    noteCacheControl(part, state.context);
    switch (part.type) {
      case "reasoning": {
        const own = readGeminiSignature(part.signature);
        const forText = readGeminiTextSignature(part.signature);
        // Thinking from another vendor (or redacted) means nothing to Gemini: it is not sent.
        if (!own && !forText) break;
        if (own) parts.push({ text: part.text, thought: true, thoughtSignature: own });
        else if (part.text) parts.push({ text: part.text, thought: true });
        if (forText) {
          if (pending) parts.push({ text: "", thoughtSignature: take() });
          pending = forText;
        }
        break;
      }
      case "text": {
        const signature = take();
        parts.push(signature ? { text: part.text, thoughtSignature: signature } : { text: part.text });
        break;
      }
      case "tool_call": {
        state.callNames.set(part.id, part.name);
        const own = readGeminiSignature(part.signature) ?? callSignatures.get(part.id);
        const signature =
          own ?? (state.needsCallSignature && firstCall ? SKIP_SIGNATURE_VALIDATION : undefined);
        firstCall = false;
        const call: GeminiPart = { functionCall: { name: part.name, args: parseArguments(part, param) } };
        if (signature) call.thoughtSignature = signature;
        parts.push(call);
        break;
      }
      case "image":
      case "document":
        parts.push(toGeminiMediaPart(part, state.context, param));
        break;
      default:
        break;
    }
  });
  if (pending) parts.push({ text: "", thoughtSignature: pending });
  return parts;
}

/**
 * IR messages → Gemini contents (user/model). Consecutive turns of one role are merged: Gemini
 * expects all functionResponses for one model turn in the next single user turn, and clients split
 * them across messages (one OpenAI `tool` message per call).
 */
export function toGeminiContents(
  messages: IRMessage[],
  model: string,
  context: EncodeContext,
): GeminiContent[] {
  const state: ContentState = {
    context,
    callNames: new Map(),
    needsCallSignature: readGeminiModelFamily(model).usesThinkingLevel,
  };
  const contents: GeminiContent[] = [];
  messages.forEach((message, index) => {
    if (message.name) dropField(context, "name");
    const role = message.role === "assistant" ? "model" : "user";
    const parts = role === "model" ? toModelParts(message, index, state) : toUserParts(message, index, state);
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  });
  return contents;
}
