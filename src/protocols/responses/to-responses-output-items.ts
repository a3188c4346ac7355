/**
 * The output items of a Responses `response` object, shaped (and keyed in the order) OpenAI
 * returns them. Shared by the JSON encoder and the stream encoder, so that an item in
 * `response.output_item.done` and in the terminal response object is the same value.
 */
import { generateId } from "../../ir/ids.ts";
import type { IRRequest } from "../../ir/types.ts";

export type ResponsesItem = Record<string, unknown>;
export type ItemStatus = "in_progress" | "completed" | "incomplete";

/** Item id prefixes, as OpenAI's. */
export const newItemId = {
  message: () => generateId("msg_"),
  reasoning: () => generateId("rs_"),
  functionCall: () => generateId("fc_"),
  customToolCall: () => generateId("ctc_"),
};

/** Names of the request's custom (freeform) tools: their calls go back as custom_tool_call items. */
export const customToolNames = (request: IRRequest | undefined): Set<string> =>
  new Set((request?.tools ?? []).filter((tool) => tool.custom).map((tool) => tool.name));

export const outputTextPart = (text: string): ResponsesItem => ({
  type: "output_text",
  annotations: [],
  logprobs: [],
  text,
});

export const refusalPart = (refusal: string): ResponsesItem => ({ type: "refusal", refusal });

export const summaryTextPart = (text: string): ResponsesItem => ({ type: "summary_text", text });

export const messageItem = (id: string, status: ItemStatus, content: ResponsesItem[]): ResponsesItem => ({
  id,
  type: "message",
  status,
  content,
  role: "assistant",
});

/** OpenAI reasoning items have no status; encrypted_content only when there is something to carry. */
export function reasoningItem(id: string, text: string, encryptedContent: string | undefined): ResponsesItem {
  const item: ResponsesItem = { id, type: "reasoning" };
  if (encryptedContent !== undefined) item.encrypted_content = encryptedContent;
  item.summary = text ? [summaryTextPart(text)] : [];
  return item;
}

export const functionCallItem = (
  id: string,
  status: ItemStatus,
  call: { callId: string; name: string; arguments: string },
): ResponsesItem => ({
  id,
  type: "function_call",
  status,
  arguments: call.arguments,
  call_id: call.callId,
  name: call.name,
});

export const customToolCallItem = (
  id: string,
  status: ItemStatus,
  call: { callId: string; name: string; input: string },
): ResponsesItem => ({
  id,
  type: "custom_tool_call",
  status,
  call_id: call.callId,
  input: call.input,
  name: call.name,
});

/** The item a truncated response ends on is `incomplete`; reasoning items, having no status, stay as they are. */
export function markIncomplete(item: ResponsesItem | undefined): void {
  if (item && "status" in item) item.status = "incomplete";
}
