import { invalidRequest } from "../../errors/gateway-error.ts";
import { asArray, asString, isRecord, type JsonObject } from "../../ir/guards.ts";
import type { IRMessage, IRReasoningPart, IRTextPart, IRToolResultPart } from "../../ir/types.ts";
import { fromEncryptedContent } from "./encrypted-content.ts";
import { fromAssistantContent, fromInputContent, fromTextContent } from "./from-responses-content.ts";

/**
 * The Responses `input` (a string, or a list of items) → IR system prompt and messages.
 *
 * Items are flat where IR messages are turns: reasoning, assistant messages, function_call and
 * custom_tool_call items join the assistant turn they follow (a new one if the last message is the
 * user's); tool outputs gather into one user message of tool_result parts. System and developer
 * messages are hoisted into the system prompt wherever they stand, after `instructions`, as the
 * Chat Completions decoder does (Anthropic and Gemini take one system prompt).
 */
export function fromResponsesInput(
  input: unknown,
  instructions: string | undefined,
): { system: IRTextPart[]; messages: IRMessage[] } {
  const system: IRTextPart[] = instructions ? [{ type: "text", text: instructions }] : [];
  const messages: IRMessage[] = [];
  if (typeof input === "string") {
    messages.push({ role: "user", parts: [{ type: "text", text: input }] });
    return { system, messages };
  }
  const toolNames = new Map<string, string>();
  const assistantTurn = (): IRMessage => {
    const last = messages[messages.length - 1];
    if (last?.role === "assistant") return last;
    const turn: IRMessage = { role: "assistant", parts: [] };
    messages.push(turn);
    return turn;
  };
  const addToolResult = (result: IRToolResultPart) => {
    const last = messages[messages.length - 1];
    if (last?.role === "user" && last.parts.length > 0 && last.parts.every((p) => p.type === "tool_result"))
      last.parts.push(result);
    else messages.push({ role: "user", parts: [result] });
  };

  asArray(input).forEach((item, i) => {
    const path = `input[${i}]`;
    if (!isRecord(item)) throw invalidRequest(`${path} must be an object`, path);
    const type = item.type ?? (item.role !== undefined ? "message" : undefined);
    switch (type) {
      case "message":
        switch (item.role) {
          case "system":
          case "developer":
            system.push(...fromTextContent(item.content, `${path}.content`));
            return;
          case "user":
            messages.push({ role: "user", parts: fromInputContent(item.content, `${path}.content`) });
            return;
          case "assistant":
            assistantTurn().parts.push(...fromAssistantContent(item.content, `${path}.content`));
            return;
          default:
            throw invalidRequest(`${path}.role '${String(item.role)}' is not a known role`, `${path}.role`);
        }
      case "function_call": {
        const { callId, name } = callIdentity(item, path);
        const args = asString(item.arguments) ?? "";
        toolNames.set(callId, name);
        assistantTurn().parts.push({
          type: "tool_call",
          id: callId,
          name,
          arguments: args.trim() === "" ? "{}" : args,
        });
        return;
      }
      case "custom_tool_call": {
        const { callId, name } = callIdentity(item, path);
        toolNames.set(callId, name);
        // Custom tools travel as functions of one string argument (see from-responses-tools.ts).
        const args = JSON.stringify({ input: asString(item.input) ?? "" });
        assistantTurn().parts.push({ type: "tool_call", id: callId, name, arguments: args });
        return;
      }
      case "function_call_output":
      case "custom_tool_call_output":
        addToolResult(fromToolOutput(item, path, toolNames));
        return;
      case "reasoning": {
        const part = fromReasoningItem(item);
        if (part) assistantTurn().parts.push(part);
        return;
      }
      // The gateway stores nothing, so a reference (which the Vercel AI SDK sends for its earlier
      // output unless store is false) cannot be resolved; losing the item would change the answer.
      case "item_reference":
        throw invalidRequest(
          `${path}: an item_reference points at an item stored by OpenAI and cannot be translated for this provider; send the item itself (clients that keep the conversation, such as the Vercel AI SDK, do so with store: false)`,
          path,
          "unsupported_parameter",
        );
      default:
        throw invalidRequest(
          `${path}: '${String(type)}' items cannot be translated for this provider`,
          path,
          "unsupported_parameter",
        );
    }
  });
  return { system, messages };
}

function callIdentity(item: JsonObject, path: string): { callId: string; name: string } {
  const callId = asString(item.call_id);
  const name = asString(item.name);
  if (!callId || !name) throw invalidRequest(`${path} needs call_id and name`, path);
  return { callId, name };
}

function fromToolOutput(item: JsonObject, path: string, toolNames: Map<string, string>): IRToolResultPart {
  const toolCallId = asString(item.call_id);
  if (!toolCallId) throw invalidRequest(`${path}.call_id is required`, `${path}.call_id`);
  const result: IRToolResultPart = {
    type: "tool_result",
    toolCallId,
    content: fromInputContent(item.output ?? "", `${path}.output`),
  };
  const name = toolNames.get(toolCallId);
  if (name) result.name = name;
  return result;
}

/**
 * A reasoning item: its summary texts (or, from models that return raw reasoning, its
 * reasoning_text parts) and what its encrypted_content restores. An item with neither carries
 * nothing another provider could use.
 */
function fromReasoningItem(item: JsonObject): IRReasoningPart | undefined {
  const texts = (list: unknown, type: string) =>
    asArray(list)
      .filter((p): p is JsonObject => isRecord(p) && p.type === type && typeof p.text === "string")
      .map((p) => p.text as string);
  const summary = texts(item.summary, "summary_text");
  const text = (summary.length > 0 ? summary : texts(item.content, "reasoning_text")).join("\n\n");
  const encrypted = asString(item.encrypted_content);
  if (!text && !encrypted) return undefined;
  return fromEncryptedContent(asString(item.id) ?? "", text, encrypted);
}
