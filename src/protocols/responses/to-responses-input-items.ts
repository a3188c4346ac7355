import type { EncodeContext } from "../../ir/codec.ts";
import { toDataUrl } from "../../ir/data-url.ts";
import { dropField, rejectField } from "../../ir/drop-policy.ts";
import type {
  IRDocumentPart,
  IRImagePart,
  IRMessage,
  IRPart,
  IRReasoningPart,
  IRRequest,
  IRToolCallPart,
  IRToolResultPart,
} from "../../ir/types.ts";
import { readCustomToolInput } from "./custom-tool-input.ts";
import { readOpenAIReasoning } from "./reasoning-stash.ts";

type Json = Record<string, unknown>;

interface InputState {
  context: EncodeContext;
  /** File ids are the client's OpenAI files only when the client spoke an OpenAI protocol. */
  openAIFiles: boolean;
  /** Names of freeform (custom) tools: their calls and results have item types of their own. */
  customTools: Set<string>;
  /** Ids of the freeform calls seen so far, whose results go back as custom_tool_call_output. */
  customCalls: Set<string>;
}

/**
 * IR messages → Responses `input` items, in conversation order: user content → a `message` item
 * (input_text / input_image / input_file); assistant text → a `message` item of output_text;
 * tool calls → function_call (custom_tool_call for freeform tools); tool results →
 * function_call_output; reasoning the Responses API issued (the `openai:` stash) → its `reasoning`
 * item back, id and encrypted content, right before the output that followed it.
 */
export function toResponsesInputItems(request: IRRequest, context: EncodeContext): Json[] {
  const state: InputState = {
    context,
    openAIFiles: request.sourceProtocol === "openai" || request.sourceProtocol === "responses",
    customTools: new Set(request.tools?.filter((tool) => tool.custom).map((tool) => tool.name)),
    customCalls: new Set(),
  };
  const items: Json[] = [];
  for (const message of request.messages) {
    // No `name` on Responses messages.
    if (message.name) dropField(context, "name");
    items.push(
      ...(message.role === "assistant" ? toAssistantItems(message, state) : toUserItems(message, state)),
    );
  }
  return items;
}

function toAssistantItems(message: IRMessage, state: InputState): Json[] {
  const items: Json[] = [];
  /** The content of the message item being filled, while text parts follow each other. */
  let content: Json[] | undefined;
  for (const part of message.parts) {
    if ("cacheControl" in part && part.cacheControl) dropField(state.context, "cache_control");
    if (part.type === "text") {
      if (!part.text) continue;
      if (!content) {
        content = [];
        items.push({ type: "message", role: "assistant", content });
      }
      content.push({ type: "output_text", text: part.text, annotations: [] });
      continue;
    }
    const item =
      part.type === "reasoning"
        ? toReasoningItem(part)
        : part.type === "tool_call"
          ? toCallItem(part, state)
          : undefined;
    if (!item) continue;
    items.push(item);
    content = undefined;
  }
  return items;
}

/**
 * Only reasoning the Responses API issued can go back: Anthropic thinking and Gemini thoughts are
 * refused by OpenAI, so they are left out by design (not a client field, so not listed).
 */
function toReasoningItem(part: IRReasoningPart): Json | undefined {
  const stash = part.redacted ? undefined : readOpenAIReasoning(part.signature);
  // Without its encrypted content the item would have to be looked up in OpenAI's store, which is off.
  if (!stash?.encryptedContent) return undefined;
  return {
    type: "reasoning",
    id: stash.itemId,
    summary: part.text ? [{ type: "summary_text", text: part.text }] : [],
    encrypted_content: stash.encryptedContent,
  };
}

function toCallItem(part: IRToolCallPart, state: InputState): Json {
  if (!state.customTools.has(part.name))
    return { type: "function_call", call_id: part.id, name: part.name, arguments: part.arguments };
  state.customCalls.add(part.id);
  return {
    type: "custom_tool_call",
    call_id: part.id,
    name: part.name,
    input: readCustomToolInput(part.arguments),
  };
}

/** A user turn: content parts gather into message items; each tool result is an item of its own, in place. */
function toUserItems(message: IRMessage, state: InputState): Json[] {
  const items: Json[] = [];
  let content: Json[] | undefined;
  for (const part of message.parts) {
    if (part.type === "tool_result") {
      items.push(toResultItem(part, state));
      content = undefined;
      continue;
    }
    const input = toInputContent(part, state);
    if (!input) continue;
    if (!content) {
      content = [];
      items.push({ type: "message", role: "user", content });
    }
    content.push(input);
  }
  return items;
}

function toResultItem(part: IRToolResultPart, state: InputState): Json {
  if (part.cacheControl) dropField(state.context, "cache_control");
  const custom = state.customCalls.has(part.toolCallId);
  return {
    type: custom ? "custom_tool_call_output" : "function_call_output",
    call_id: part.toolCallId,
    output: toToolOutput(part, state),
  };
}

/**
 * Text only → one string; with images or files → a list of input parts. There is no is_error:
 * the flag travels as a visible prefix the model reads (as toward Chat Completions).
 */
function toToolOutput(part: IRToolResultPart, state: InputState): string | Json[] {
  const prefix = part.isError ? "Error: " : "";
  const texts = part.content.flatMap((item) => (item.type === "text" ? [item.text] : []));
  if (texts.length === part.content.length) return prefix + texts.join("\n");
  const output = part.content.flatMap((item): Json[] => {
    const content = toInputContent(item, state);
    return content ? [content] : [];
  });
  return prefix ? [{ type: "input_text", text: prefix.trim() }, ...output] : output;
}

function toInputContent(part: IRPart, state: InputState): Json | undefined {
  if ("cacheControl" in part && part.cacheControl) dropField(state.context, "cache_control");
  switch (part.type) {
    case "text":
      return { type: "input_text", text: part.text };
    case "image":
      return toInputImage(part, state);
    case "document":
      return toInputFile(part, state);
    default:
      return undefined;
  }
}

function toInputImage(part: IRImagePart, state: InputState): Json {
  const source = part.source;
  const image: Json = { type: "input_image", detail: part.detail ?? "auto" };
  if (source.kind === "file_id") image.file_id = ownFileId(source.fileId, "image.source.file_id", state);
  else image.image_url = source.kind === "url" ? source.url : toDataUrl(source.mediaType, source.data);
  return image;
}

function toInputFile(part: IRDocumentPart, state: InputState): Json {
  const source = part.source;
  switch (source.kind) {
    case "base64":
      return {
        type: "input_file",
        filename: part.filename ?? part.title ?? "document.pdf",
        file_data: toDataUrl(source.mediaType, source.data),
      };
    case "url":
      return { type: "input_file", file_url: source.url };
    case "text":
      return { type: "input_text", text: part.title ? `${part.title}\n\n${source.text}` : source.text };
    case "file_id":
      return { type: "input_file", file_id: ownFileId(source.fileId, "document.source.file_id", state) };
  }
}

function ownFileId(fileId: string, field: string, state: InputState): string {
  if (!state.openAIFiles) rejectField(state.context, field, "file ids of another provider cannot be used");
  return fileId;
}
